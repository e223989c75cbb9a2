// What organizers and newcomers expect beyond buying and scanning: the API documentation page, calendar files and
// add-to-calendar links, attendee lists with their CSV export and live check-in counts, the team (admins,
// organizers, door staff), and the page in French. One stack for all of them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../support/stack.js';
import { launchBrowser, openJourney } from '../support/browser.js';

const ADMIN = 'admin@example.test';
const ORGANIZER = 'organizer@example.test';
const JOURNEY_TIMEOUT_MS = 180_000;
let stack;
let browser;

before(async () => {
  stack = await startStack({ environment: { BOXOFFICE_ADMIN_EMAILS: ADMIN, BOXOFFICE_ORGANIZER_EMAILS: ORGANIZER } });
  browser = await launchBrowser();
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  const stopped = await stack?.stop();
  if (stopped) assert.ok(stopped.code === 0 || stopped.code === 143 || stopped.signal === 'SIGTERM', `the stack stopped with ${JSON.stringify(stopped)}`);
});

test('API docs: /api/docs renders every operation of /api/openapi.yaml from the vendored Swagger UI, under its CSP', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const journey = await openJourney(browser, 'api-docs');
  const { page } = journey;
  try {
    const outside = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(stack.baseUrl) && !request.url().startsWith('data:')) outside.push(request.url());
    });
    await page.goto(`${stack.baseUrl}/api/docs`);
    const document = await (await fetch(`${stack.baseUrl}/api/openapi.yaml`)).text();
    const operations = [...document.matchAll(/^\s+operationId: (\w+)$/gm)].map((match) => match[1]);
    await page.locator('.opblock').first().waitFor();
    assert.equal(await page.locator('.opblock').count(), operations.length, 'one block per operation of the document');
    assert.match(await page.locator('.info .title').textContent(), /Boxoffice API/);
    assert.equal(await page.locator('select#servers').inputValue(), `${stack.baseUrl}/api`, 'Try it out calls this host');
    await journey.check('operations');

    await page.locator('#operations-catalog-listEvents .opblock-summary-control').click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('.live-responses-table tr.response .response-col_status').first().waitFor();
    assert.equal((await page.locator('.live-responses-table tr.response .response-col_status').first().textContent()).trim(), '200');
    await journey.check('tried');
    assert.deepEqual(outside, [], 'the page loads nothing from another origin');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});
