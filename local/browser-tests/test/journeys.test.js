// The buyer, organizer and door-staff journeys in headless Chromium against the one-command local stack.
// Every part a journey needs must be served by the stack: a missing one fails the journey, it is never skipped.
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../support/stack.js';
import { launchBrowser, openJourney, useSession, SCREENSHOT_DIR } from '../support/browser.js';
import { call, devLogin, paidOrder, probe, seedEvent, waitForMessage } from '../support/backend.js';
import { gradientPng, qrTextOf } from '../support/png.js';

const ORGANIZER = 'organizer@example.test';
const JOURNEY_TIMEOUT_MS = 180_000;
let stack;
let browser;
let can;

before(async () => {
  stack = await startStack({ environment: { BOXOFFICE_ORGANIZER_EMAILS: ORGANIZER } });
  browser = await launchBrowser();
  can = await probe(stack);
  console.log(`# the stack serves: ${JSON.stringify(can)}; banner: ${JSON.stringify(stack.urls)}`);
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  const stopped = await stack?.stop();
  if (stopped) assert.ok(stopped.code === 0 || stopped.code === 143 || stopped.signal === 'SIGTERM', `the stack stopped with ${JSON.stringify(stopped)}`);
});

function requireServed(...parts) {
  const reasons = { catalog: 'the ticketing API (/api/events)', devLogin: 'POST /api/dev/login', checkin: 'POST /api/checkin',
    serverless: 'the serverless routes (/api/client-config serverlessApiUrl and the local inbox in the banner)' };
  const missing = parts.filter((part) => !can[part]);
  assert.deepEqual(missing, [], `the stack does not serve ${missing.map((part) => reasons[part]).join(' and ')}`);
}

test('the app shell loads under its CSP: navigation, deep links, not-found page, phone width', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const journey = await openJourney(browser, 'shell');
  const { page } = journey;
  try {
    const shell = await page.goto(`${stack.baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Upcoming events' }).waitFor();
    const policy = shell.headers()['content-security-policy'];
    assert.match(policy, /script-src 'self'/);
    assert.match(policy, /frame-ancestors 'none'/);
    assert.doesNotMatch(policy, /https:[; ]|\*/, 'the policy names exact origins, no scheme or port wildcard');
    assert.equal(await page.locator('meta[http-equiv="Content-Security-Policy"]').count(), 0, 'the policy is a header, not a meta tag');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the content', 'the first Tab reaches the skip link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'app', 'the skip link moves focus to the content');
    await page.locator('.state-empty, .state-error, .card').first().waitFor();
    await journey.check('events');

    await page.goto(`${stack.baseUrl}/events/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('heading', { level: 1, name: /Event (not found|unavailable)/ }).waitFor();
    await journey.check('unknown-event');

    await page.goto(`${stack.baseUrl}/no/such/page`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await journey.check('not-found');

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'page-heading', 'focus moves to the new page heading');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByText('Enter a valid email address').waitFor();
    await journey.check('sign-in-invalid-email');

    await page.goto(`${stack.baseUrl}/organizer`);
    await page.getByText('Please sign in to manage your events').waitFor();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${stack.baseUrl}/subscribe`);
    await page.getByRole('heading', { level: 1, name: 'Event announcements' }).waitFor();
    await journey.check('subscribe-phone');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('browse: cards, search, category and city filters, load more, sold-out badge, event page; transferred size', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  for (let i = 1; i <= 13; i += 1) {
    await seedEvent(stack.baseUrl, organizer, {
      title: `Browse night ${String(i).padStart(2, '0')}`, daysAhead: 10 + i, category: i % 2 ? 'concert' : 'theatre',
      city: i % 3 ? 'Lyon' : 'Paris', ticketTypes: [{ name: 'Standing', priceMinor: 1500 + i * 100, capacity: 100 }, { name: 'Balcony', priceMinor: 4200, capacity: 10 }],
    });
  }
  const soldOut = await seedEvent(stack.baseUrl, organizer, {
    title: 'Browse sold-out gala', daysAhead: 5, city: 'Nantes', ticketTypes: [{ name: 'Seat', priceMinor: 9900, capacity: 0 }],
  });

  const journey = await openJourney(browser, 'browse');
  const { page } = journey;
  try {
    const cdp = await journey.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let transferred = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (event) => { transferred += event.encodedDataLength; requests += 1; });
    await page.goto(`${stack.baseUrl}/`);
    await page.getByRole('button', { name: 'Load more events' }).waitFor();
    await page.waitForLoadState('networkidle');
    const fromTiming = await page.evaluate(() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
      .reduce((sum, entry) => sum + entry.transferSize, 0));
    const figures = { requests, transferredBytes: transferred, resourceTimingTransferBytes: fromTiming };
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'event-list-transfer.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`# event list page, cold cache: ${JSON.stringify(figures)}`);
    await cdp.detach();

    const cards = page.locator('.cards > li');
    assert.equal(await cards.count(), 12, 'the first page has 12 cards');
    const first = cards.first();
    assert.match(await first.textContent(), /Browse sold-out gala/, 'events come by start time');
    await first.getByText('Sold out').waitFor();
    assert.match(await first.locator('time').textContent(), /CET|CEST|GMT\+1|GMT\+2/, 'the date shows the venue time zone');
    await cards.nth(1).getByText(/From €16\.00|From €16/).waitFor();
    assert.equal(await first.locator('img').count(), 1, 'each card has a thumbnail');
    await journey.check('list');

    await page.getByRole('button', { name: 'Load more events' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.cards > li').length === 14);
    assert.equal(await page.getByRole('button', { name: 'Load more events' }).count(), 0, 'the last page has no load more');
    await journey.check('list-all');

    await page.getByLabel('Search').fill('night 1');
    await page.getByLabel('Category').fill('concert');
    await page.getByLabel('City').fill('Lyon');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=night\+1/);
    await page.locator('.cards > li').first().waitFor();
    const titles = await page.locator('.card-title').allTextContents();
    assert.deepEqual(titles, ['Browse night 11', 'Browse night 13'], 'search and filters combine');
    await journey.check('search');

    await page.getByLabel('Search').fill('nothing like this');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No events match these filters.').waitFor();
    await journey.check('search-empty');

    await page.goto(`${stack.baseUrl}/events/${soldOut.id}`);
    await page.getByRole('heading', { level: 1, name: 'Browse sold-out gala' }).waitFor();
    await page.locator('.ticket-type').getByText('Sold out').waitFor();
    await journey.check('event-sold-out');

    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('.cards > li').first().waitFor();
    await journey.check('list-phone');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('buyer of free tickets with a dev session: quantity, one order per click, sold-out and sales-window states, my tickets', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const buyer = await devLogin(stack.baseUrl, 'buyer-dev@example.test');
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Dev buyer concert', daysAhead: 40,
    ticketTypes: [
      { name: 'Standing', priceMinor: 0, capacity: 5 },
      { name: 'Last seat', priceMinor: 0, capacity: 1 },
      { name: 'Late release', priceMinor: 0, capacity: 50, salesStart: new Date(Date.now() + 5 * 86_400_000).toISOString().replace(/\.\d+Z/, 'Z') },
    ],
  });
  const journey = await openJourney(browser, 'buyer-dev');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    const purchases = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/purchases$/.test(request.url())) purchases.push(request.headers()['idempotency-key']);
    });
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    await page.getByRole('heading', { level: 1, name: 'Dev buyer concert' }).waitFor();
    await page.locator('.ticket-type', { hasText: 'Late release' }).getByText('Not on sale yet').waitFor();
    await journey.check('event');

    const standing = page.locator('.ticket-type', { hasText: 'Standing' });
    assert.equal(await standing.locator('select option').count(), 5, 'quantity is limited by what remains');
    await standing.getByLabel('Quantity').selectOption('2');
    await standing.getByRole('button', { name: 'Get tickets' }).dblclick();
    await standing.getByText('Order confirmed.').waitFor();
    assert.equal(purchases.length, 1, 'a double click places one purchase');
    assert.match(purchases[0], /^[0-9a-f-]{36}$/, 'the purchase carries a UUID Idempotency-Key');
    await journey.check('order-confirmed');

    await standing.getByText('3 left').waitFor();
    await standing.getByRole('button', { name: 'Get more' }).click();
    await standing.getByText('1 left').waitFor();
    assert.equal(purchases.length, 2);
    assert.notEqual(purchases[0], purchases[1], 'each purchase attempt has its own key');

    const lastSeat = page.locator('.ticket-type', { hasText: 'Last seat' });
    const rival = await devLogin(stack.baseUrl, 'rival@example.test');
    const taken = await call(stack.baseUrl, `/api/ticket-types/${event.ticketTypes.find((type) => type.name === 'Last seat').id}/purchases`,
      { method: 'POST', token: rival.token, body: { quantity: 1 }, headers: { 'Idempotency-Key': 'rival-1' } });
    assert.equal(taken.status, 201, 'a rival buys the last seat first');
    await lastSeat.getByRole('button', { name: 'Get tickets' }).click();
    await lastSeat.getByRole('alert').getByText(/Sold out/).waitFor();
    await journey.check('sold-out-error');
    await lastSeat.getByRole('button', { name: 'Refresh availability' }).click();
    await page.locator('.ticket-type', { hasText: 'Last seat' }).locator('.badge', { hasText: 'Sold out' }).waitFor();

    await page.getByRole('link', { name: 'My tickets' }).click();
    await page.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    await page.locator('.order').first().getByRole('link', { name: 'Dev buyer concert' }).waitFor();
    assert.equal(await page.locator('.order').count(), 2);
    assert.equal(await page.locator('.ticket').count(), 4);
    if (can.serverless) {
      await page.waitForFunction(() => [...document.querySelectorAll('.qr')].every((qr) => qr.dataset.qrStatus === 'ready'), null, { timeout: 60_000 });
    } else {
      await page.waitForFunction(() => [...document.querySelectorAll('.qr')].every((qr) => qr.dataset.qrStatus === 'failed'));
    }
    await journey.check('my-tickets');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('a sign-in link that points elsewhere (next=/%5Cexample.org and friends) keeps a signed-in buyer on this site', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  requireServed('devLogin');
  const buyer = await devLogin(stack.baseUrl, 'redirected@example.test');
  const journey = await openJourney(browser, 'sign-in-redirect');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    for (const next of ['/%5Cexample.org', '/%09/example.org', '/.//example.org', '//example.org']) {
      await page.goto(`${stack.baseUrl}/sign-in?next=${next}`);
      const link = page.getByRole('link', { name: 'Continue' });
      await link.waitFor();
      const target = await link.evaluate((anchor) => anchor.href);
      assert.equal(new URL(target).origin, new URL(stack.baseUrl).origin, `next=${next} led to ${target}`);
      assert.equal(new URL(target).pathname, '/my/tickets');
    }
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    assert.equal(new URL(page.url()).origin, new URL(stack.baseUrl).origin);
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('waiting room: the event page sends the buyer to the queue, which shows their place and wait, admits them when the sale opens, and they buy', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const buyer = await devLogin(stack.baseUrl, 'queued-buyer@example.test');
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Queued on-sale', daysAhead: 30, ticketTypes: [{ name: 'Floor', priceMinor: 0, capacity: 10 }],
  });
  const floor = event.ticketTypes[0];
  const opensAt = new Date(Date.now() + 8_000);
  const room = await call(stack.baseUrl, `/api/events/${event.id}/waiting-room`,
    { method: 'PUT', token: organizer.token, body: { opensAt: opensAt.toISOString(), admitPerMinute: 6000 } });
  assert.equal(room.status, 200, JSON.stringify(room.json));
  for (const rival of ['early-1@example.test', 'early-2@example.test']) {
    const joined = await call(stack.baseUrl, `/api/events/${event.id}/queue`, { method: 'POST', token: (await devLogin(stack.baseUrl, rival)).token });
    assert.equal(joined.json.state, 'waiting');
  }
  const skipped = await call(stack.baseUrl, `/api/ticket-types/${floor.id}/purchases`,
    { method: 'POST', token: buyer.token, body: { quantity: 1 }, headers: { 'Idempotency-Key': 'queue-jumper' } });
  assert.equal(skipped.status, 403, 'nobody buys around the queue');
  assert.equal(skipped.json.code, 'admission_required');

  const journey = await openJourney(browser, 'waiting-room');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    await page.getByRole('heading', { level: 1, name: 'Queued on-sale' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Get tickets' }).count(), 0, 'no purchase form before one\'s turn');
    await journey.check('event-with-queue');
    await page.getByRole('link', { name: 'Join the queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();
    await page.locator('.queue-ahead').getByText(/You are next\.|[12] (person is|people are) ahead of you\./).waitFor();
    await page.locator('.queue-wait').getByText(/Estimated wait: /).waitFor();
    await page.getByText(/then everyone who is here is put in random order/).waitFor();
    await journey.check('queue-waiting');
    await page.reload();
    await page.locator('.queue-ahead').waitFor();

    await page.getByText('It is your turn.').waitFor({ timeout: 60_000 });
    await journey.check('queue-admitted');
    await page.getByRole('link', { name: 'Choose your tickets' }).click();
    const type = page.locator('.ticket-type', { hasText: 'Floor' });
    await type.getByLabel('Quantity').selectOption('2');
    await type.getByRole('button', { name: 'Get tickets' }).click();
    await type.getByText('Order confirmed.').waitFor();
    await journey.check('queue-bought');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('waiting room at a sold-out sale: the queue page shows the buyer\'s place and says everything is sold or held', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Gone before the queue', daysAhead: 31, ticketTypes: [{ name: 'Only seat', priceMinor: 0, capacity: 1 }],
  });
  const seat = event.ticketTypes[0];
  const first = await devLogin(stack.baseUrl, 'first-in@example.test');
  const bought = await call(stack.baseUrl, `/api/ticket-types/${seat.id}/purchases`,
    { method: 'POST', token: first.token, body: { quantity: 1 }, headers: { 'Idempotency-Key': 'the-only-seat' } });
  assert.equal(bought.status, 201, JSON.stringify(bought.json));
  const room = await call(stack.baseUrl, `/api/events/${event.id}/waiting-room`,
    { method: 'PUT', token: organizer.token, body: { opensAt: new Date(Date.now() + 120_000).toISOString(), admitPerMinute: 60 } });
  assert.equal(room.status, 200, JSON.stringify(room.json));
  const buyer = await devLogin(stack.baseUrl, 'too-late@example.test');

  const journey = await openJourney(browser, 'waiting-room-sold-out');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/events/${event.id}/queue`);
    await page.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();
    await page.locator('.queue-ahead').getByText('You are next.').waitFor();
    await page.locator('.queue-sold-out').getByText(/Sold out for now\..*your place is kept/).waitFor();
    await journey.check('queue-sold-out');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('buyer over the purchase rate limit: the 429 is explained and the button waits for Retry-After', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const buyer = await devLogin(stack.baseUrl, 'eager-buyer@example.test');
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Rush hour show', daysAhead: 50, ticketTypes: [{ name: 'Pit', priceMinor: 0, capacity: 500 }],
  });
  const typeId = event.ticketTypes[0].id;
  let answer;
  for (let attempt = 1; attempt <= 200; attempt += 1) {
    answer = await call(stack.baseUrl, `/api/ticket-types/${typeId}/purchases`,
      { method: 'POST', token: buyer.token, body: { quantity: 1 }, headers: { 'Idempotency-Key': `rush-${attempt}` } });
    if (answer.status === 429) break;
    assert.equal(answer.status, 201, answer.text);
  }
  assert.equal(answer.status, 429, 'the buyer reached the purchase rate limit');
  const journey = await openJourney(browser, 'buyer-rate-limited');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    const pit = page.locator('.ticket-type', { hasText: 'Pit' });
    await pit.getByRole('button', { name: 'Get tickets' }).click();
    await pit.getByRole('alert').getByText(/Too many purchases in a short time\. You can try again in \d+ seconds\./).waitFor();
    assert.ok(await pit.getByRole('button', { name: 'Get tickets' }).isDisabled(), 'the button stays disabled until Retry-After has passed');
    await journey.check('rate-limited');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('buyer full journey: sign in with the emailed code at a new address, hold, pay with a success card, QR codes, the tickets email, announcements confirmed by the emailed link, sign out', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin', 'serverless');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Full journey festival', category: 'festival', daysAhead: 60, ticketTypes: [{ name: 'Day pass', priceMinor: 4900, capacity: 20 }],
  });
  const email = `buyer-${Date.now()}@example.test`;
  const journey = await openJourney(browser, 'buyer-full');
  const { page } = journey;
  const activityAnswers = [];
  page.on('response', (response) => {
    if (response.request().method() === 'POST' && response.url().endsWith('/log-activity')) activityAnswers.push(response.status());
  });
  try {
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    await page.getByRole('link', { name: 'Sign in to buy' }).click();
    await page.getByLabel('Email address').fill(email);
    const started = Date.now() - 2000;
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('Six-digit code').waitFor({ timeout: 30_000 });
    await journey.check('code');
    const otpMail = await waitForMessage(stack.inboxUrl, email, /sign-in code is \d{6}/, { after: started, timeoutMs: 60_000 });
    assert.equal(otpMail.subject, 'Your Boxoffice sign-in code');
    const code = /sign-in code is (\d{6})/.exec(otpMail.text)[1];
    await page.getByLabel('Six-digit code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.baseUrl}/events/${event.id}`);
    await page.getByRole('button', { name: `Sign out (${email})` }).waitFor();

    const pass = page.locator('.ticket-type', { hasText: 'Day pass' });
    await pass.getByLabel('Quantity').selectOption('3');
    await pass.getByRole('button', { name: 'Reserve' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your tickets are held' }).waitFor();
    await page.getByRole('timer').getByText(/^(9|10):\d\d$/).waitFor();
    await journey.check('held');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await payOnStripePage(page, '4242 4242 4242 4242');
    await journey.check('stripe-page');
    await page.getByRole('heading', { level: 1, name: 'Payment received' }).waitFor({ timeout: 30_000 });
    await page.getByText(/We received €147\.00/).waitFor();
    await journey.check('paid');

    await page.getByRole('link', { name: 'See my tickets' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.qr').length === 3
      && [...document.querySelectorAll('.qr')].every((qr) => qr.dataset.qrStatus === 'ready'), null, { timeout: 60_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('.qr-image')].every((image) => image.complete && image.naturalWidth > 0));
    await journey.check('tickets-with-qr');

    // The tickets email, as the buyer's mail client shows it: the local inbox renders its HTML in a sandboxed frame
    // with the three QR codes inline, and offers the calendar file.
    const ticketMail = await waitForMessage(stack.inboxUrl, email, /^Your tickets for Full journey festival$/, { after: started, timeoutMs: 60_000 });
    assert.equal(ticketMail.parts.filter((part) => part.contentType === 'image/png').length, 3, 'one inline QR code per ticket');
    assert.ok(ticketMail.parts.some((part) => part.filename === 'event.ics'), 'the event is attached for the calendar');
    const mailPage = await journey.context.newPage();
    try {
      await mailPage.goto(`${stack.inboxUrl}/messages/${ticketMail.id}`);
      const frame = mailPage.frameLocator('iframe.mail');
      await frame.getByText('Your 3 tickets are ready for Full journey festival.').waitFor();
      const qrImages = frame.locator('img');
      await qrImages.nth(2).waitFor();
      for (const deadline = Date.now() + 15_000; ;) {
        const loaded = await qrImages.evaluateAll((images) => images.filter((image) => image.complete && image.naturalWidth > 0).length);
        if (loaded === 3) break;
        assert.ok(Date.now() < deadline, `the three QR codes show in the rendered email (${loaded} loaded)`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 200));
      }
      await mailPage.screenshot({ path: join(SCREENSHOT_DIR, 'buyer-full-tickets-email.png'), fullPage: true });
    } finally {
      await mailPage.close();
    }

    await page.getByRole('link', { name: 'Announcements' }).click();
    assert.equal(await page.getByLabel('Email address').inputValue(), email);
    await page.getByLabel('festival').check();
    await page.getByLabel('Cities').fill('Lyon, Paris');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    // Signed in, the address is proven: its owner's choices are saved at once, with no confirmation email.
    await page.getByText('Saved.').waitFor();
    await journey.check('subscribed-signed-in');

    // A copy of the token, as anyone who read the tab's storage would keep it.
    const copiedToken = await page.evaluate(() => JSON.parse(sessionStorage.getItem('boxoffice.session')).token);
    const signOutAnswer = page.waitForResponse((response) => response.url().endsWith('/api/me/sign-out'));
    await page.getByRole('button', { name: `Sign out (${email})` }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('boxoffice.session')), null, 'signing out forgets the token');
    assert.equal((await signOutAnswer).status(), 204, 'the backend revokes the session');
    await assertTokenRefused(copiedToken);

    // A visitor who is not signed in subscribes another address: nothing changes until the emailed link is used.
    const visitor = `visitor-${Date.now()}@example.org`;
    await page.getByRole('link', { name: 'Announcements' }).click();
    await page.getByLabel('Email address').fill(visitor);
    await page.getByLabel('festival').check();
    await page.getByLabel('Cities').fill('Lyon, Paris');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('Almost done.').waitFor();
    await journey.check('subscribed');
    const confirmation = await waitForMessage(stack.inboxUrl, visitor, /^Confirm your Boxoffice announcements$/, { after: started, timeoutMs: 60_000 });
    const confirmLink = confirmation.links.find((url) => url.startsWith(`${stack.baseUrl}/subscription/confirm?token=`));
    assert.ok(confirmLink, `the confirmation email links to the confirmation page: ${JSON.stringify(confirmation.links)}`);
    await page.goto(confirmLink);
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await page.locator('#subscription-confirmed').getByText(/categories: festival; cities: lyon, paris/i).waitFor();
    await journey.check('subscription-confirmed');
    for (const deadline = Date.now() + 10_000; activityAnswers.length === 0 && Date.now() < deadline;) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
    assert.ok(activityAnswers.length > 0 && activityAnswers.every((status) => status === 202),
      `page views and purchases reach /log-activity in batches: ${JSON.stringify(activityAnswers)}`);
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

/**
 * A signed-out token is refused by the backend at once and by a Lambda route (get-qr-code, through the local API
 * Gateway) within the minute sign-outs are promised in; an unknown ticket answers 404 to a live session, 401 once it
 * is revoked.
 */
async function assertTokenRefused(token) {
  const headers = { Authorization: `Bearer ${token}` };
  assert.equal((await fetch(`${stack.baseUrl}/api/me`, { headers })).status, 401, 'the backend refuses the old token');
  const { serverlessApiUrl } = await (await fetch(`${stack.baseUrl}/api/client-config`)).json();
  const qrCode = `${serverlessApiUrl}/get-qr-code?ticketId=00000000-0000-4000-8000-000000000000`;
  let status;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    status = (await fetch(qrCode, { headers })).status;
    if (status === 401) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 1000));
  }
  assert.fail(`get-qr-code still answers ${status} to the signed-out token after 60 s`);
}

test('buyer pays with a declined card, is told why on the hold page, and pays with another card', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const buyer = await devLogin(stack.baseUrl, 'declined-buyer@example.test');
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Declined card cabaret', daysAhead: 45, ticketTypes: [{ name: 'Seat', priceMinor: 3200, capacity: 10 }],
  });
  const journey = await openJourney(browser, 'buyer-declined');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    await page.locator('.ticket-type', { hasText: 'Seat' }).getByRole('button', { name: 'Reserve' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your tickets are held' }).waitFor();
    await page.getByRole('button', { name: 'Pay now' }).click();
    await payOnStripePage(page, '4000 0000 0000 0002');
    await page.getByRole('alert').getByText('Your card was declined.').waitFor();
    await journey.check('stripe-declined');
    await page.getByRole('link', { name: 'Back to the shop' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your tickets are held' }).waitFor();
    await page.getByRole('alert').getByText('Payment declined: Your card was declined.').waitFor();
    await page.getByText('Nothing was charged. You can pay with another card while your tickets are held.').waitFor();
    await journey.check('hold-declined');
    await page.getByRole('button', { name: 'Try paying again' }).click();
    await payOnStripePage(page, '4242 4242 4242 4242');
    await page.getByRole('heading', { level: 1, name: 'Payment received' }).waitFor({ timeout: 30_000 });
    await journey.check('paid-after-decline');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('buyer watches a hold run out on the page: the countdown ends and the tickets go back on sale', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const buyer = await devLogin(stack.baseUrl, 'slow-buyer@example.test');
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'One-minute hold matinee', daysAhead: 46, holdMinutes: 1, ticketTypes: [{ name: 'Seat', priceMinor: 1500, capacity: 2 }],
  });
  const journey = await openJourney(browser, 'buyer-hold-expires');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, buyer);
    await page.goto(`${stack.baseUrl}/events/${event.id}`);
    const seat = page.locator('.ticket-type', { hasText: 'Seat' });
    await seat.getByText('held 1 minutes while you pay').waitFor();
    await seat.getByLabel('Quantity').selectOption('2');
    await seat.getByRole('button', { name: 'Reserve' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your tickets are held' }).waitFor();
    await page.getByRole('timer').getByText(/^[01]:\d\d$/).waitFor();
    await journey.check('held-one-minute');
    const other = await call(stack.baseUrl, `/api/events/${event.id}`);
    assert.equal(other.json.ticketTypes[0].remaining, 0, 'held tickets are taken for everyone else');
    await page.getByText('Less than a minute left to pay.').waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { level: 1, name: 'Your hold expired' }).waitFor({ timeout: 90_000 });
    await page.getByText('the tickets went back on sale').waitFor();
    await page.getByText('Nothing was charged.').waitFor();
    await journey.check('hold-expired');
    const after = await call(stack.baseUrl, `/api/events/${event.id}`);
    assert.equal(after.json.ticketTypes[0].remaining, 2, 'the expired hold returned its tickets');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('refund: the organizer cancels a paid order, the buyer sees the refund on My tickets', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const buyer = await devLogin(stack.baseUrl, 'refunded-buyer@example.test');
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Refund recital', daysAhead: 47, ticketTypes: [{ name: 'Stalls', priceMinor: 2750, capacity: 10 }],
  });
  const order = await paidOrder(stack.baseUrl, buyer, event.ticketTypes[0].id, 2);
  const journey = await openJourney(browser, 'refund');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/organizer/events/${event.id}/dashboard`);
    const stats = page.locator('.stats');
    await stats.getByText('€55.00').first().waitFor();
    await page.getByLabel('Order number').fill(order.id);
    await page.getByRole('button', { name: 'Find order' }).click();
    await page.getByRole('button', { name: 'Cancel this order' }).click();
    await page.getByText(/€55\.00 is being refunded to the buyer/).waitFor();
    await journey.check('organizer-refunding');

    await useSession(page, stack.baseUrl, buyer);
    const qrRequests = [];
    page.on('request', (request) => { if (request.url().includes('/get-qr-code')) qrRequests.push(request.url()); });
    for (let attempt = 0; attempt < 40; attempt += 1) {
      await page.goto(`${stack.baseUrl}/my/tickets`);
      await page.locator('.order').first().waitFor();
      if (await page.getByText('Refunded €55.00').count()) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 500));
    }
    const refunded = page.locator('.order', { hasText: 'Refund recital' });
    await refunded.getByText('Paid €55.00 · Refunded €55.00').waitFor();
    await refunded.getByText('Order cancelled').waitFor();
    const cancelledTickets = refunded.locator('.ticket');
    assert.equal(await cancelledTickets.count(), 2);
    for (const ticket of await cancelledTickets.all()) {
      await ticket.locator('.ticket-status', { hasText: 'Cancelled' }).waitFor();
      await ticket.getByText('This ticket is void.').waitFor();
      assert.equal(await ticket.locator('img').count(), 0, 'a cancelled ticket shows no QR code');
    }
    await page.waitForLoadState('networkidle');
    assert.deepEqual(qrRequests, [], 'My tickets asks for no QR code of a cancelled ticket');
    await journey.check('buyer-refunded');

    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/organizer/events/${event.id}/dashboard`);
    await page.locator('.stats').getByText('Refunded money').waitFor();
    await page.locator('.stats div', { hasText: 'Refunded money' }).getByText('€55.00').waitFor();
    await journey.check('organizer-refunded');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('organizer: create an event, ticket types, publish, sales dashboard, cancel an order, cancel the event', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const journey = await openJourney(browser, 'organizer');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/organizer`);
    await page.getByRole('heading', { level: 1, name: 'My events' }).waitFor();
    await page.locator('.state-empty, .organizer-event').first().waitFor();
    await journey.check('my-events');
    await page.getByRole('link', { name: 'Create an event' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create an event' }).waitFor();

    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByText('This field is required.').waitFor();
    await page.getByLabel('Image').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    await page.getByText('notes.txt is not a JPEG, PNG or WebP image.').waitFor();
    await page.getByLabel('Image').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(6 * 1024 * 1024) });
    await page.getByText(/huge\.png is 6\.0 MB; the limit is 5 MB/).waitFor();
    await journey.check('create-errors');

    await page.getByLabel('Title').fill('Organizer jazz evening');
    await page.getByLabel('Description').fill('Three sets, one night.');
    await page.getByLabel('Category').fill('concert');
    await page.getByLabel('City').fill('Lyon');
    await page.getByLabel("Venue", { exact: true }).fill('Le Périscope');
    await page.getByLabel('Time zone of the venue').fill('Europe/Paris');
    const start = new Date(Date.now() + 20 * 86_400_000);
    const day = start.toISOString().slice(0, 10);
    await page.getByLabel('Starts').fill(`${day}T20:00`);
    await page.getByLabel('Ends').fill(`${day}T19:00`);
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByText('The event must end after it starts.').waitFor();
    await page.getByLabel('Ends').fill(`${day}T23:30`);
    await page.getByLabel('Tickets per buyer (optional)').fill('0');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByText('Enter a whole number from 1 to 1000, or leave it empty.').waitFor();
    await page.getByLabel('Tickets per buyer (optional)').fill('4');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit: Organizer jazz evening' }).waitFor();
    await page.getByText('The event is created as a draft.').waitFor();
    await page.locator('.badge-status-draft').first().waitFor();
    const eventId = /\/organizer\/events\/([0-9a-f-]{36})$/.exec(page.url())[1];
    await journey.check('draft');

    await page.getByLabel('Name').fill('Seated');
    await page.getByLabel('Price').fill('35.50');
    await page.getByLabel('Tickets available').fill('40');
    await page.getByRole('button', { name: 'Add ticket type' }).click();
    await page.getByText('Ticket type Seated added.').waitFor();
    await page.locator('.ticket-type', { hasText: 'Seated' }).getByText(/€35\.50 · 0 sold of 40/).waitFor();
    await journey.check('ticket-type-added');

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('The event is published.').waitFor();
    await page.locator('.badge-status-published').first().waitFor();
    await journey.check('published');

    await page.getByLabel('Title').fill('Organizer jazz evening (late show)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit: Organizer jazz evening (late show)' }).waitFor();

    const buyer = await devLogin(stack.baseUrl, 'jazz-fan@example.test');
    const seated = (await call(stack.baseUrl, `/api/events/${eventId}`)).json.ticketTypes[0];
    const order = { json: await paidOrder(stack.baseUrl, buyer, seated.id, 4) };
    const fifth = await call(stack.baseUrl, `/api/ticket-types/${seated.id}/holds`,
      { method: 'POST', token: buyer.token, body: { quantity: 1 }, headers: { 'Idempotency-Key': 'jazz-fan-fifth' } });
    assert.equal(fifth.status, 409, 'the organizer\'s limit of 4 per buyer holds');
    assert.equal(fifth.json.code, 'buyer_limit_reached');

    await page.getByRole('link', { name: 'Sales dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: /Sales/ }).waitFor();
    const stats = page.locator('.stats');
    await stats.getByText('4 of 40').waitFor();
    await stats.getByText('€142.00').waitFor();
    await journey.check('dashboard');

    await page.getByLabel('Order number').fill('not-an-order');
    await page.getByRole('button', { name: 'Find order' }).click();
    await page.getByText('An order number looks like').waitFor();
    await page.getByLabel('Order number').fill(order.json.id);
    await page.getByRole('button', { name: 'Find order' }).click();
    await page.getByText('jazz-fan@example.test').waitFor();
    await page.getByRole('button', { name: 'Cancel this order' }).click();
    await page.getByText(/The order is cancelled; .* €142\.00 is being refunded to the buyer\./).waitFor();
    await stats.getByText('0 of 40').waitFor();
    await journey.check('order-cancelled');

    await page.goto(`${stack.baseUrl}/organizer`);
    await page.getByRole('link', { name: 'Organizer jazz evening (late show)', exact: true }).click();
    await page.getByRole('button', { name: 'Cancel event' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the event' }).click();
    await page.getByText('The event is cancelled.').waitFor();
    await page.locator('.badge-status-cancelled').first().waitFor();
    await journey.check('event-cancelled');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('organizer uploads an event image: preview, progress, stored key shown on the event', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin', 'serverless');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const journey = await openJourney(browser, 'organizer-image');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/organizer/events/new`);
    await page.getByLabel('Image').setInputFiles({ name: 'poster.png', mimeType: 'image/png', buffer: gradientPng(1200, 675) });
    await page.waitForFunction(() => document.querySelector('.image-preview')?.src.startsWith('blob:'));
    await page.getByText('Image uploaded. Save the event to use it.').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('progress').evaluate((bar) => bar.value), 100);
    await journey.check('uploaded');
    await page.getByLabel('Title').fill('Poster show');
    await page.getByLabel('Category').fill('theatre');
    await page.getByLabel('City').fill('Paris');
    await page.getByLabel("Venue", { exact: true }).fill('Odéon');
    await page.getByLabel('Time zone of the venue').fill('Europe/Paris');
    const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Starts').fill(`${day}T19:00`);
    await page.getByLabel('Ends').fill(`${day}T21:00`);
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit: Poster show' }).waitFor();
    const eventId = /\/organizer\/events\/([0-9a-f-]{36})$/.exec(page.url())[1];
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((key) => key.startsWith('boxoffice.organizer.events.')))));
    assert.ok(stored.find((event) => event.id === eventId).imageKey, 'the saved event has the uploaded image key');
    await page.waitForFunction(() => document.querySelector('.image-preview')?.src.startsWith('blob:'));
    await journey.check('event-with-image');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('door staff: a code that is no ticket shows invalid, in big letters', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('devLogin', 'checkin');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const journey = await openJourney(browser, 'check-in-invalid');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/check-in`);
    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor();
    await page.getByText(/enter the code by hand|Point the camera/).waitFor();
    await journey.check('ready');
    await page.getByRole('button', { name: 'Check ticket' }).click();
    await page.getByText('Type the ticket code first.').waitFor();
    await page.getByLabel('Ticket code').fill('this-is-not-a-ticket');
    await page.getByRole('button', { name: 'Check ticket' }).click();
    await page.locator('.check-invalid').getByText('Invalid ticket').waitFor();
    await journey.check('invalid');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

test('door staff: the code of a real ticket (read from its QR code) shows valid, then already used', { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
  requireServed('catalog', 'devLogin', 'checkin', 'serverless');
  const organizer = await devLogin(stack.baseUrl, ORGANIZER);
  const { token, eventId } = await ticketToken(organizer);
  const journey = await openJourney(browser, 'check-in');
  const { page } = journey;
  try {
    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/check-in`);
    await page.getByLabel('Ticket code').fill(token);
    await page.getByRole('button', { name: 'Check ticket' }).click();
    await page.locator('.check-valid').getByText('Valid: let them in').waitFor();
    await journey.check('valid');
    await page.getByLabel('Ticket code').fill(token);
    await page.getByRole('button', { name: 'Check ticket' }).click();
    await page.locator('.check-used').getByText(/First scanned/).waitFor();
    await journey.check('already-used');

    await page.goto(`${stack.baseUrl}/organizer/events/${eventId}/dashboard`);
    await page.locator('.stat', { hasText: 'Checked in' }).getByText('1', { exact: true }).waitFor();
    await journey.check('dashboard-checked-in');
    journey.assertClean();
  } finally {
    await journey.close();
  }
});

/** On the local Stripe server's hosted checkout page: enters a test card and pays. */
async function payOnStripePage(page, card) {
  await page.getByLabel('Card number').waitFor();
  assert.ok(page.url().startsWith(stack.urls['Stripe (test)']), `the buyer pays on Stripe's page, not ours: ${page.url()}`);
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM / YY)').fill('12 / 34');
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
}

/** A real ticket's token and event, the token as a door scanner reads it from the QR code the buyer's My tickets page shows. */
async function ticketToken(organizer) {
  const event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Door test night', startsAt: new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000),
    ticketTypes: [{ name: 'Entry', priceMinor: 0, capacity: 10, salesEnd: new Date(Date.now() + 600_000).toISOString().replace(/\.\d+Z/, 'Z') }],
  });
  const buyer = await devLogin(stack.baseUrl, 'door-guest@example.test');
  const bought = await call(stack.baseUrl, `/api/ticket-types/${event.ticketTypes[0].id}/purchases`,
    { method: 'POST', token: buyer.token, body: { quantity: 1 }, headers: { 'Idempotency-Key': 'door-guest-1' } });
  assert.equal(bought.status, 201);
  const journey = await openJourney(browser, 'check-in-ticket');
  try {
    await useSession(journey.page, stack.baseUrl, buyer);
    await journey.page.goto(`${stack.baseUrl}/my/tickets`);
    const image = journey.page.locator('.qr-image').first();
    await image.waitFor({ timeout: 60_000 });
    await journey.check('ticket-qr');
    const png = Buffer.from(await (await fetch(await image.getAttribute('src'))).arrayBuffer());
    const token = qrTextOf(png);
    assert.ok(token, 'the QR code of the ticket is readable');
    return { token, eventId: event.id };
  } finally {
    await journey.close();
  }
}
