// A buyer's journey through the local load balancer in front of two backend processes (./boxoffice up --backends 2),
// as buyers reach the ECS tasks through the ALB: every page, asset and API call goes through HAProxy.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backendsOf, startStack } from '../support/stack.js';
import { launchBrowser, openJourney, useSession } from '../support/browser.js';
import { devLogin, probe, seedEvent } from '../support/backend.js';

const ORGANIZER = 'organizer@balanced.test';
const JOURNEY_TIMEOUT_MS = 180_000;
let stack;
let browser;
let can;

before(async () => {
  stack = await startStack({ environment: { BOXOFFICE_ORGANIZER_EMAILS: ORGANIZER }, args: ['--backends', '2'] });
  browser = await launchBrowser();
  can = await probe(stack);
  console.log(`# the stack serves: ${JSON.stringify(can)}; banner: ${JSON.stringify(stack.urls)}`);
}, { timeout: 300_000 });

after(async () => {
  await browser?.close();
  const stopped = await stack?.stop();
  if (stopped) assert.ok(stopped.code === 0 || stopped.code === 143 || stopped.signal === 'SIGTERM', `the stack stopped with ${JSON.stringify(stopped)}`);
});

test('through the load balancer with two backends: event page, a purchase, my tickets with their QR codes', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  assert.ok(stack.urls['Backend 1'] && stack.urls['Backend 2'], `the banner lists both backends: ${stack.banner}`);
  assert.ok(can.catalog && can.devLogin && can.serverless, `the stack serves the API, the dev login and the serverless half: ${JSON.stringify(can)}`);
  const before = await backendsOf(stack);
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const buyer = await devLogin(stack.baseUrl, 'buyer@balanced.test');
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Two backends night', daysAhead: 30, ticketTypes: [{ name: 'Standing', priceMinor: 0, capacity: 20 }],
  });
  const journey = await openJourney(browser, 'balanced');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    await page.getByRole('heading', { level: 1, name: 'Two backends night' }).waitFor();
    await journey.check('event');

    const standing = page.locator('.ticket-type', { hasText: 'Standing' });
    await standing.getByLabel('Quantity').selectOption('2');
    await standing.getByRole('button', { name: 'Get tickets' }).click();
    await standing.getByText('Order confirmed.').waitFor();
    await standing.getByText('18 left').waitFor();
    await journey.check('order-confirmed');

    await page.getByRole('link', { name: 'See my tickets' }).click();
    await page.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    await page.locator('.order').first().getByRole('link', { name: 'Two backends night' }).waitFor();
    assert.equal(await page.locator('.order').count(), 1);
    assert.equal(await page.locator('.ticket').count(), 2);
    // Issued by the workflow a backend started, with the task role's credentials the stack serves it.
    await page.waitForFunction(() => [...document.querySelectorAll('.qr')].every((qr) => qr.dataset.qrStatus === 'ready'), null, { timeout: 60_000 });
    await journey.check('my-tickets');
    journey.assertClean();
  } finally {
    await journey.close();
  }

  const after = await backendsOf(stack);
  for (const target of after) {
    const earlier = before.find((backend) => backend.target === target.target);
    assert.equal(target.state, 'healthy', `${target.target} is healthy`);
    assert.ok(target.requests > earlier.requests, `${target.target} answered part of the journey: ${JSON.stringify(after)}`);
    assert.equal(target.serverErrors, earlier.serverErrors, `${target.target} answered no 5xx`);
  }
});
