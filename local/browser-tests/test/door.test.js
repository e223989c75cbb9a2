// The door at a real entrance, in headless Chromium against the one-command stack: a ticket's QR code shown to a fake
// camera is checked in by the bundled decoder (no BarcodeDetector, no WebCrypto Ed25519), and two doors that lose the
// network keep checking tickets, then sync, the server reporting the ticket both let in as one conflict.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../support/stack.js';
import { launchBrowser, openJourney, useSession } from '../support/browser.js';
import { call, devLogin, iso, probe, seedEvent } from '../support/backend.js';
import { writeY4mOfPng } from '../support/camera.js';
import { qrTextOf } from '../support/png.js';

const ORGANIZER = 'door-organizer@example.test';
const STAFF = 'door-staff@example.test';
const BUYER = 'door-buyer@example.test';
const JOURNEY_TIMEOUT_MS = 240_000;
let stack;
let browser;
let organizer;
let staff;
let event;
/** Ticket tokens as read from the QR codes the stack issued: four of one order, one of a cancelled order. */
let tickets;
let cancelledTicket;
let qrPngOfFirst;
const scratch = mkdtempSync(join(tmpdir(), 'boxoffice-door-'));

before(async () => {
  stack = await startStack({ environment: { BOXOFFICE_ORGANIZER_EMAILS: ORGANIZER, BOXOFFICE_DOOR_STAFF_EMAILS: `${STAFF}:${ORGANIZER}` } });
  const can = await probe(stack);
  assert.ok(can.serverless && can.checkin, `the stack serves the QR codes and check-in: ${JSON.stringify(can)}`);
  browser = await launchBrowser();
  organizer = await devLogin(stack.baseUrl, ORGANIZER);
  staff = await devLogin(stack.baseUrl, STAFF);
  const startsAt = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 2 * 3_600_000);
  event = await seedEvent(stack.baseUrl, organizer, {
    title: 'Doors open night', startsAt,
    ticketTypes: [{ name: 'Standing', priceMinor: 0, capacity: 20, salesEnd: iso(new Date(Date.now() + 3_600_000)) }],
  });
  const buyer = await devLogin(stack.baseUrl, BUYER);
  const kept = await buy(buyer, 4, 'door-kept');
  const voided = await buy(buyer, 1, 'door-voided');
  const pngs = await Promise.all(kept.tickets.map((ticket) => issuedQrPng(buyer, ticket.id)));
  qrPngOfFirst = pngs[0];
  tickets = pngs.map(qrTextOf);
  // The cancelled ticket's QR code was issued before its order was cancelled: the token is genuine.
  cancelledTicket = qrTextOf(await issuedQrPng(buyer, voided.tickets[0].id));
  const cancelled = await call(stack.baseUrl, `/api/orders/${voided.id}/cancel`, { method: 'POST', token: organizer.token });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.ok(tickets.every(Boolean) && cancelledTicket, 'every QR code is readable');
}, { timeout: 300_000 });

after(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function buy(buyer, quantity, key) {
  const answer = await call(stack.baseUrl, `/api/ticket-types/${event.ticketTypes[0].id}/purchases`,
    { method: 'POST', token: buyer.token, body: { quantity }, headers: { 'Idempotency-Key': key } });
  assert.equal(answer.status, 201, answer.text);
  return answer.json;
}

/** The PNG of a ticket's QR code, once the issuance workflow has made it (get-qr-code answers 404 until then). */
async function issuedQrPng(session, ticketId) {
  const { serverlessApiUrl } = (await call(stack.baseUrl, '/api/client-config')).json;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const answer = await call(serverlessApiUrl.replace(/\/$/, ''), `/get-qr-code?ticketId=${ticketId}`, { token: session.token });
    if (answer.status === 200) return Buffer.from(await (await fetch(answer.json.url)).arrayBuffer());
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  throw new Error(`no QR code for ticket ${ticketId} within 90 s`);
}

/** A token with one signature character changed: a forgery as a copier with no private key would make it. */
function forged(token) {
  const last = token.at(-5) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -5)}${last}${token.slice(-4)}`;
}

async function prepareDoor(page, doorName) {
  await useSession(page, stack.baseUrl, staff);
  await page.goto(`${stack.baseUrl}/check-in`);
  await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor();
  await page.getByLabel('Door name (optional)').fill(doorName);
  await page.getByLabel('Door name (optional)').blur();
  await page.getByLabel('Event').selectOption(event.id);
  await page.getByText('No scans waiting to sync').waitFor();
  await page.getByText(/Ticket list refreshed/).waitFor();
}

async function typeCode(page, token) {
  await page.getByLabel('Ticket code').fill(token);
  await page.getByRole('button', { name: 'Check ticket' }).click();
}

test('camera: a ticket QR code shown to the camera is checked in by the bundled decoder and verifier', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const video = join(scratch, 'ticket.y4m');
  writeY4mOfPng(video, qrPngOfFirst);
  const cameraBrowser = await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`] });
  try {
    const journey = await openJourney(cameraBrowser, 'door-camera');
    const { page, context } = journey;
    await context.grantPermissions(['camera'], { origin: stack.baseUrl });
    // As on Safari or Firefox, or an older phone: no BarcodeDetector, no Ed25519 in WebCrypto.
    await context.addInitScript(() => {
      delete window.BarcodeDetector;
      const importKey = crypto.subtle.importKey.bind(crypto.subtle);
      crypto.subtle.importKey = (format, key, algorithm, ...rest) => ((algorithm?.name ?? algorithm) === 'Ed25519'
        ? Promise.reject(new DOMException('Ed25519 is not supported', 'NotSupportedError'))
        : importKey(format, key, algorithm, ...rest));
    });
    const scanned = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/checkin')) scanned.push(request.postDataJSON().token);
    });
    try {
      await prepareDoor(page, 'Camera door');
      assert.equal(await page.evaluate(() => 'BarcodeDetector' in window), false);
      assert.equal(await page.locator('.door-status').getAttribute('data-verifier'), 'bundled');
      await journey.check('ready');
      await page.getByRole('button', { name: 'Start the camera' }).click();
      await page.locator('.check-valid').getByText('Valid: let them in').waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('section.camera').getAttribute('data-decoder'), 'bundled');
      assert.deepEqual(scanned, [tickets[0]], 'the camera read the ticket QR code the stack issued, once');
      await journey.check('valid');
      // The ticket stays in front of the camera: it is not checked again while it stays in view.
      await page.waitForTimeout(3000);
      assert.equal(scanned.length, 1, 'a code still in view is read once');
      await page.getByText(/let in, synced/).waitFor();
      journey.assertClean();
    } finally {
      await journey.close();
    }
  } finally {
    await cameraBrowser.close();
  }
});

test('offline doors: scans without network, a reload from the service worker, sync and one conflict reported', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
  const north = await openJourney(browser, 'door-north', { viewport: { width: 390, height: 844 } });
  const south = await openJourney(browser, 'door-south', { viewport: { width: 390, height: 844 } });
  try {
    await prepareDoor(north.page, 'North door');
    await prepareDoor(south.page, 'South door');
    assert.equal(await north.page.locator('.door-status').getAttribute('data-verifier'), 'webcrypto',
      'headless Chromium verifies Ed25519 with WebCrypto');
    await north.page.evaluate(() => navigator.serviceWorker.ready);
    await north.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cdp = await north.context.newCDPSession(north.page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], 'the door manifest parses without errors');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // Playwright's contexts are incognito, where nothing installs; every other criterion is checked.
    assert.deepEqual(installabilityErrors.filter((error) => error.errorId !== 'in-incognito'), [],
      'the door page can be installed');
    await north.check('prepared');

    await north.context.setOffline(true);
    await south.context.setOffline(true);
    await north.page.reload();
    await north.page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor();
    await north.page.getByText('Offline: tickets are checked on this device').waitFor();
    await north.check('offline-reloaded');

    const { page } = north;
    await typeCode(page, tickets[1]);
    await page.locator('.check-valid').getByText(/checked offline, will sync/).waitFor();
    await typeCode(page, tickets[1]);
    await page.locator('.check-used').getByText('Already used').waitFor();
    await north.check('offline-duplicate');
    await typeCode(page, cancelledTicket);
    await page.locator('.check-invalid').getByText('Ticket cancelled').waitFor();
    await typeCode(page, forged(tickets[2]));
    await page.locator('.check-invalid').getByText('Invalid ticket').waitFor();
    await north.check('offline-forged');
    await typeCode(page, tickets[2]);
    await page.locator('.check-valid').getByText(/checked offline/).waitFor();
    await page.getByText('2 scans waiting to sync').waitFor();

    await typeCode(south.page, tickets[1]);
    await south.page.locator('.check-valid').getByText(/checked offline/).waitFor();
    await south.page.getByText('1 scan waiting to sync').waitFor();
    await south.check('offline-valid');

    await north.context.setOffline(false);
    await page.getByText('No scans waiting to sync').waitFor({ timeout: 30_000 });
    await page.locator('.door-online').getByText('Online').waitFor();
    assert.equal(await page.getByText(/conflicts? reported to the organizer/).count(), 0, 'the first door to sync has no conflict');
    await north.check('synced');
    await south.context.setOffline(false);
    await south.page.getByText('No scans waiting to sync').waitFor({ timeout: 30_000 });
    await south.page.getByText('1 conflict reported to the organizer', { exact: false }).waitFor();
    await south.page.getByText('conflict: let in elsewhere first').waitFor();
    await south.check('conflict');
    north.assertClean();
    south.assertClean();
  } finally {
    await north.close();
    await south.close();
  }

  const dashboard = await openJourney(browser, 'door-conflicts');
  try {
    const { page } = dashboard;
    await useSession(page, stack.baseUrl, organizer);
    await page.goto(`${stack.baseUrl}/organizer/events/${event.id}/dashboard`);
    await page.getByText('1 conflict: tickets let in twice').waitFor();
    const row = page.locator('.checkin-conflicts tbody tr');
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /Let in twice.*South door.*North door/);
    await page.locator('.stat', { hasText: 'Checked in' }).getByText('3', { exact: true }).waitFor();
    await dashboard.check('dashboard');
    dashboard.assertClean();
  } finally {
    await dashboard.close();
  }
});
