// What organizers and newcomers expect beyond buying and scanning: the demo data of `./boxoffice up --demo`, the API
// documentation page, calendar files and add-to-calendar links, attendee lists with their CSV export and live
// check-in counts. One stack, started with --demo, for all of them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../support/stack.js';
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { launchBrowser, openJourney, useSession } from '../support/browser.js';
import { call, devLogin, seedEvent } from '../support/backend.js';

const ORGANIZER = 'organizer@example.test';
const JOURNEY_TIMEOUT_MS = 180_000;
let stack;
let browser;

before(async () => {
  stack = await startStack({ environment: { BOXOFFICE_ORGANIZER_EMAILS: ORGANIZER }, args: ['--demo'] });
  browser = await launchBrowser();
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  const stopped = await stack?.stop();
  if (stopped) assert.ok(stopped.code === 0 || stopped.code === 143 || stopped.signal === 'SIGTERM', `the stack stopped with ${JSON.stringify(stopped)}`);
});

test('demo: --demo publishes sample events with images and ticket types, and prints how to sign in as each role', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  for (const deadline = Date.now() + 30_000; !/^Demo: sample events/m.test(stack.output()) && Date.now() < deadline;) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  const banner = stack.output().slice(stack.output().search(/^Demo: sample events/m));
  assert.match(banner, /as the organizer +organizer@demo\.boxoffice\.test/);
  assert.match(banner, /as door staff +door@demo\.boxoffice\.test/);
  assert.ok(banner.includes(stack.inboxUrl), 'the inbox where the codes arrive');
  const journey = await openJourney(browser, 'demo');
  const { page } = journey;
  try {
    await page.goto(`${stack.baseUrl}/`);
    for (const title of ['Jazz on the River', 'Hamlet, in the round', 'City Derby']) {
      await page.getByRole('heading', { name: title }).waitFor();
    }
    await page.waitForFunction(() => [...document.querySelectorAll('.card img')]
      .filter((image) => /events\/demo\/.+\.svg$/.test(image.src) && image.complete && image.naturalWidth > 0).length >= 3);
    await journey.check('events');
    await page.getByRole('heading', { name: 'Jazz on the River' }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Jazz on the River' }).waitFor();
    assert.equal(await page.locator('.ticket-type').count(), 2);
    await journey.check('event');
    journey.assertClean();
  } finally {
    await journey.close();
  }
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

test('calendar: My tickets links the event\'s .ics, which parses with its UID, venue time zone, location and URL, and calendar links', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const buyer = await devLogin(stack.baseUrl, 'calendar-buyer@example.test');
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Fête de la musique, édition spéciale', startsAt: new Date('2031-06-21T17:00:00Z'),
    ticketTypes: [{ name: 'Entrée', priceMinor: 0, capacity: 20 }],
  });
  const bought = await call(stack.baseUrl, `/api/ticket-types/${event.ticketTypes[0].id}/purchases`,
    { method: 'POST', token: buyer.token, body: { quantity: 1 }, headers: { 'Idempotency-Key': `calendar-${Date.now()}` } });
  assert.equal(bought.status, 201, bought.text);
  const journey = await openJourney(browser, 'calendar');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/my/tickets`);
    const order = page.locator('.order', { hasText: event.title });
    await order.getByRole('link', { name: 'Download .ics' }).waitFor();
    await journey.check('my-tickets');
    const [download] = await Promise.all([page.waitForEvent('download'), order.getByRole('link', { name: 'Download .ics' }).click()]);
    assert.match(download.suggestedFilename(), /^fete-de-la-musique-edition-speciale\.ics$/);
    const text = readFileSync(await download.path(), 'utf8');
    assert.ok(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75), 'lines folded at 75 octets');

    const calendar = new ICAL.Component(ICAL.parse(text));
    ICAL.TimezoneService.register(new ICAL.Timezone(calendar.getFirstSubcomponent('vtimezone')));
    const vevent = new ICAL.Event(calendar.getFirstSubcomponent('vevent'));
    assert.equal(vevent.uid, `${event.id}@boxoffice`);
    assert.equal(vevent.summary, event.title);
    assert.equal(vevent.location, 'Halle Tony Garnier, Lyon');
    assert.equal(calendar.getFirstSubcomponent('vevent').getFirstProperty('dtstart').getParameter('tzid'), 'Europe/Paris');
    assert.equal(vevent.startDate.zone.tzid, 'Europe/Paris', 'the zone is the file\'s own VTIMEZONE');
    assert.equal(vevent.startDate.toString(), '2031-06-21T19:00:00', 'the venue\'s wall clock');
    assert.equal(vevent.startDate.toUnixTime(), Date.parse('2031-06-21T17:00:00Z') / 1000, 'the right instant, through the VTIMEZONE');
    assert.equal(vevent.endDate.toUnixTime(), Date.parse('2031-06-21T20:00:00Z') / 1000);
    assert.equal(calendar.getFirstSubcomponent('vevent').getFirstPropertyValue('url'), `${stack.baseUrl}/events/${event.id}`);

    const google = new URL(await order.getByRole('link', { name: /Google Calendar/ }).getAttribute('href'));
    assert.equal(google.searchParams.get('dates'), '20310621T170000Z/20310621T200000Z');
    assert.equal(google.searchParams.get('ctz'), 'Europe/Paris');
    const outlook = new URL(await order.getByRole('link', { name: /Outlook/ }).getAttribute('href'));
    assert.equal(outlook.searchParams.get('startdt'), '2031-06-21T17:00:00.000Z');

    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    await page.getByRole('link', { name: 'Download .ics' }).waitFor();
    await journey.check('event-page');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('attendees: search, filters, pages, CSV download and live check-in counts on the organizer\'s attendee page', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Attendee night', ticketTypes: [{ name: 'Standing', priceMinor: 0, capacity: 100 }, { name: 'Balcony, front', priceMinor: 0, capacity: 100 }],
  });
  const [standing, balcony] = event.ticketTypes;
  const orders = [];
  for (const [index, type] of [standing, standing, balcony].entries()) {
    const buyer = await devLogin(stack.baseUrl, `attendee-${index}@example.test`);
    const placed = await call(stack.baseUrl, `/api/ticket-types/${type.id}/purchases`,
      { method: 'POST', token: buyer.token, body: { quantity: 2 }, headers: { 'Idempotency-Key': `attendee-${index}-${Date.now()}` } });
    assert.equal(placed.status, 201, placed.text);
    orders.push(placed.json);
  }
  const journey = await openJourney(browser, 'attendees');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/organizer/events/${event.id}/dashboard`);
    await page.getByRole('link', { name: 'Attendees and live check-in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Attendees: Attendee night' }).waitFor();
    await page.getByText('0 of 6 tickets checked in (0%)').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 6);
    await journey.check('all', { settled: 'load' });

    await page.getByLabel('Search').fill('ATTENDEE-1@');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('tbody tr').nth(1).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 2);
    assert.deepEqual(new Set(await page.locator('tbody tr td:first-child').allTextContents()), new Set(['attendee-1@example.test']));

    await page.getByLabel('Search').fill('');
    await page.getByLabel('Ticket type').selectOption({ label: 'Balcony, front' });
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('tbody tr td', { hasText: 'attendee-2@example.test' }).first().waitFor();
    assert.equal(await page.locator('tbody tr').count(), 2);
    await journey.check('filtered', { settled: 'load' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = readFileSync(await download.path());
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark for spreadsheet apps');
    const lines = csv.subarray(3).toString('utf8').split('\r\n');
    assert.equal(lines[0], 'ticket_id,order_id,buyer_email,ticket_type,price,currency,status,purchased_at,checked_in_at');
    assert.equal(lines.length, 4, 'the two balcony tickets the filter selects, and the last line end');
    assert.match(lines[1], /,attendee-2@example\.test,"Balcony, front",0\.00,EUR,valid,/);

    const cancelled = await call(stack.baseUrl, `/api/orders/${orders[0].id}/cancel`, { method: 'POST', token: organizer.token });
    assert.equal(cancelled.status, 200, cancelled.text);
    await page.getByText('0 of 4 tickets checked in (0%)').waitFor({ timeout: 10_000 });
    await journey.check('live', { settled: 'load' });
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('languages: French from Accept-Language, the switch back to English and forth, dates and money per locale', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Soirée bilingue', startsAt: new Date('2031-06-21T17:00:00Z'),
    ticketTypes: [{ name: 'Entrée', priceMinor: 1250, capacity: 20 }],
  });
  const journey = await openJourney(browser, 'languages', { locale: 'fr-FR' });
  const { page } = journey;
  try {
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    await page.getByRole('heading', { level: 1, name: 'Soirée bilingue' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr', 'French from the browser\'s Accept-Language');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Événements' }).waitFor();
    await page.getByRole('link', { name: 'Télécharger le .ics' }).waitFor();
    assert.match(await page.locator('.facts time').first().textContent(), /sam\. 21 juin 2031.*19:00/, 'a French date on the venue\'s clock');
    assert.match(await page.locator('.ticket-type .price').textContent(), /12,50\s€/, 'French money');
    await journey.check('french');

    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('link', { name: 'Download .ics' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.locator('.ticket-type .price').textContent(), /€12\.50/);
    await journey.check('english');

    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('link', { name: 'Télécharger le .ics' }).waitFor();
    await page.goto(`${stack.baseUrl}/no/such/page`);
    await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
    await page.goto(`${stack.baseUrl}/?q=bilingue`);
    await page.getByRole('heading', { level: 1, name: 'Événements à venir' }).waitFor();
    await page.locator('.card', { hasText: 'Soirée bilingue' }).locator('.card-price', { hasText: /À partir de 12,50\s€/ }).waitFor();
    await journey.check('french-events');

    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    await page.getByRole('heading', { level: 2, name: 'Billets' }).waitFor();
    await page.getByRole('button', { name: 'Réserver' }).waitFor();
    assert.match(await page.locator('.ticket-type .remaining').textContent(), /20 restants · jusqu'à 6 par commande/);
    await page.goto(`${stack.baseUrl}/organizer/team`);
    await page.getByRole('heading', { level: 1, name: "Contrôleurs d'accès" }).waitFor();
    await page.getByRole('button', { name: 'Inviter' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Équipe' }).waitFor();
    await journey.check('french-team');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('team: the organizer invites door staff for one event, who signs in and sees it at the door; signed out everywhere, their session is refused; revoked, they lose the door', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const event = await seedEvent(stack.baseUrl, organizer, { title: 'Team night', ticketTypes: [{ name: 'Standing', priceMinor: 0, capacity: 50 }] });
  const staffEmail = `steward-${Date.now()}@example.test`;
  const staff = await devLogin(stack.baseUrl, staffEmail);
  const journey = await openJourney(browser, 'team');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/organizer/team`);
    await page.getByRole('heading', { level: 1, name: 'Door staff' }).waitFor();
    await page.getByLabel('Email').fill(staffEmail);
    await page.getByLabel('Events').selectOption({ label: 'Team night' });
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const row = page.getByRole('table', { name: 'Your door staff' }).getByRole('row').filter({ hasText: staffEmail });
    await row.getByText('Invited').waitFor();
    assert.match(await row.textContent(), /Only Team night/);
    await journey.check('invited');

    await useSession(page, stack.baseUrl, staff);
    await page.goto(`${stack.baseUrl}/check-in`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Check-in' }).waitFor();
    await page.locator('#door-event option', { hasText: 'Team night' }).waitFor({ state: 'attached' });
    assert.equal(await page.getByRole('alert').filter({ hasText: 'This page is for' }).count(), 0);
    await journey.check('staff-at-the-door');

    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/organizer/team`);
    await row.getByText('Active').waitFor();
    await page.getByRole('button', { name: `Sign out everywhere: ${staffEmail}` }).click();
    await page.getByText(`${staffEmail} is signed out on every device`).waitFor();
    const refused = await fetch(`${stack.baseUrl}/api/me`, { headers: { Authorization: `Bearer ${staff.token}` } });
    assert.equal(refused.status, 401, 'the door staff member\'s session is refused');
    await journey.check('signed-out-everywhere');
    await page.getByRole('button', { name: `Revoke ${staffEmail}` }).click();
    await page.getByText(`${staffEmail} no longer checks tickets in for you`).waitFor();
    await page.getByRole('table', { name: /Invitations, acceptances and revocations/ }).getByRole('row')
      .filter({ hasText: staffEmail }).filter({ hasText: 'revoked' }).waitFor();
    await journey.check('revoked');

    // Signed out everywhere covers the second it happened in; the staff member signs in again after it.
    await new Promise((resolveWait) => setTimeout(resolveWait, 1100));
    await useSession(page, stack.baseUrl, await devLogin(stack.baseUrl, staffEmail));
    await page.goto(`${stack.baseUrl}/check-in`);
    await page.getByRole('alert').filter({ hasText: 'This page is for door staff and organizers' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Check-in' }).count(), 0);
    await journey.check('door-closed');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('admin: a buyer asks to organize, the administrator approves, and the buyer can create events', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const buyerEmail = `hopeful-${Date.now()}@example.test`;
  const buyer = await devLogin(stack.baseUrl, buyerEmail);
  const admin = await devLogin(stack.baseUrl, 'admin@demo.boxoffice.test');
  const journey = await openJourney(browser, 'admin');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/`);
    await page.getByRole('link', { name: 'Become an organizer' }).click();
    await page.getByRole('button', { name: 'Ask to organize events' }).click();
    await page.getByText('is waiting for an administrator').waitFor();
    await journey.check('requested');

    await useSession(page, stack.baseUrl, admin);
    await page.goto(`${stack.baseUrl}/admin`);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.getByRole('button', { name: `Approve ${buyerEmail}` }).click();
    await page.getByText(`${buyerEmail} organizes now.`).waitFor();
    await journey.check('approved');

    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/organizer`);
    await page.getByRole('link', { name: 'Create an event' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).waitFor();
    await journey.check('organizer');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});
