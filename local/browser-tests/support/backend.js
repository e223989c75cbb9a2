// Talks to the stack from the test process: dev sessions, seeding events through the real API, the local inbox,
// and probes of what the stack serves so far.
import assert from 'node:assert/strict';

export async function call(baseUrl, path, { method = 'GET', token, body, headers = {} } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, json, text, headers: response.headers };
}

async function ok(promise, expected, what) {
  const answer = await promise;
  assert.equal(answer.status, expected, `${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer.json;
}

/** The stored form of a session, as the app's session module writes it to sessionStorage. */
export function storedSession({ token, expiresAt }) {
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  return { token, expiresAt, email: claims.sub, roles: claims.roles ?? [] };
}

export async function devLogin(baseUrl, email) {
  return storedSession(await ok(call(baseUrl, '/api/dev/login', { method: 'POST', body: { email } }), 200, `dev login of ${email}`));
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A published event with the given ticket types (price in minor units), created through the organizer API. */
export async function seedEvent(baseUrl, organizer, { title, category = 'concert', city = 'Lyon', daysAhead = 30, startsAt: start, ticketTypes = [], holdMinutes }) {
  const startsAt = start ?? new Date(Date.now() + daysAhead * DAY);
  if (!start) startsAt.setUTCHours(19, 0, 0, 0);
  const event = await ok(call(baseUrl, '/api/events', {
    method: 'POST', token: organizer.token,
    body: { title, description: `${title}, seeded by the browser tests.`, category, venue: 'Halle Tony Garnier', city,
      startsAt: iso(startsAt), endsAt: iso(new Date(startsAt.getTime() + 3 * HOUR)), timeZone: 'Europe/Paris',
      ...(holdMinutes ? { holdMinutes } : {}) },
  }), 201, `create ${title}`);
  for (const type of ticketTypes) {
    await ok(call(baseUrl, `/api/events/${event.id}/ticket-types`, {
      method: 'POST', token: organizer.token,
      body: { currency: 'EUR', maxPerOrder: 6, salesStart: iso(new Date(Date.now() - HOUR)),
        salesEnd: iso(new Date(startsAt.getTime() - HOUR)), ...type },
    }), 201, `ticket type ${type.name} of ${title}`);
  }
  return ok(call(baseUrl, `/api/events/${event.id}/publish`, { method: 'POST', token: organizer.token }), 200, `publish ${title}`);
}

export function iso(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Which parts of the system this stack serves, so journeys that need a missing part say so instead of failing. */
export async function probe(stack) {
  const { baseUrl } = stack;
  const events = await call(baseUrl, '/api/events?limit=1');
  const login = await call(baseUrl, '/api/dev/login', { method: 'POST', body: { email: 'probe@example.test' } });
  const config = await call(baseUrl, '/api/client-config');
  const checkin = await call(baseUrl, '/api/checkin', { method: 'POST', body: { token: 'probe' }, token: login.json?.token });
  const serverlessApiUrl = config.status === 200 ? config.json?.serverlessApiUrl ?? null : null;
  return {
    catalog: events.status === 200,
    devLogin: login.status === 200,
    serverless: Boolean(serverlessApiUrl) && Boolean(stack.inboxUrl),
    serverlessApiUrl,
    checkin: !(checkin.status === 404 && /No API route/.test(checkin.text)),
  };
}

/** The messages the local web inbox caught for `address`, newest last as the inbox lists them. */
export async function inboxMessages(inboxUrl, address) {
  const response = await fetch(`${inboxUrl}/api/messages?to=${encodeURIComponent(address)}`);
  assert.equal(response.status, 200, 'the local inbox answers');
  return response.json();
}

/** Waits for a message to `address` whose subject or text matches `pattern`, and returns it. */
export async function waitForMessage(inboxUrl, address, pattern, { timeoutMs = 30_000, after = 0 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await inboxMessages(inboxUrl, address))
      .filter((message) => Date.parse(message.receivedAt) >= after)
      .find((message) => pattern.test(message.subject) || pattern.test(message.text));
    if (found) return found;
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  throw new Error(`no message matching ${pattern} reached ${address} within ${timeoutMs} ms`);
}

/**
 * A paid order as a buyer makes one: a hold, its checkout, a test card on the local Stripe server's hosted page (a
 * plain form post, as the page's browser sends it), then the hold confirmed by Stripe's webhook. Returns the hold,
 * whose id is its order's.
 */
export async function paidOrder(baseUrl, buyer, ticketTypeId, quantity, { card = '4242424242424242' } = {}) {
  const hold = await ok(call(baseUrl, `/api/ticket-types/${ticketTypeId}/holds`, {
    method: 'POST', token: buyer.token, body: { quantity }, headers: { 'Idempotency-Key': `paid-${Date.now()}-${Math.random()}` },
  }), 201, 'hold');
  const { checkoutUrl } = await ok(call(baseUrl, `/api/holds/${hold.id}/checkout`, { method: 'POST', token: buyer.token }), 200, 'checkout');
  const paid = await fetch(checkoutUrl, { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ cardNumber: card, expiry: '12 / 34', cvc: '123' }) });
  assert.equal(paid.status, 303, `the test card pays on the hosted page: ${await paid.text()}`);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const now = await ok(call(baseUrl, `/api/holds/${hold.id}`, { token: buyer.token }), 200, 'hold');
    if (now.status === 'confirmed') return now;
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  throw new Error(`hold ${hold.id} was not confirmed within 30 s of its payment`);
}
