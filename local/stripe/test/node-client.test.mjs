// Drives the local Stripe server with Stripe's own Node package (a client nobody here wrote): a Checkout Session paid
// on the hosted page, the signed webhook it sends checked by the package's constructEvent, a 3-D Secure payment, a
// decline, refunds and Stripe's typed errors. Run by SecondClientsTest with STRIPE_API_BASE and STRIPE_SECRET_KEY.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';

const base = new URL(process.env.STRIPE_API_BASE);
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { host: base.hostname, port: Number(base.port), protocol: 'http' });
const deliveries = [];
let server;
let endpoint;

before(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk) => { body += chunk; }).on('end', () => {
      deliveries.push({ body, signature: request.headers['stripe-signature'] });
      response.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = await stripe.webhookEndpoints.create({ url: `http://127.0.0.1:${server.address().port}/hook`, enabled_events: ['checkout.session.completed'] });
});

after(async () => {
  await stripe.webhookEndpoints.del(endpoint.id);
  server.close();
});

function session(amount, currency = 'eur') {
  return stripe.checkout.sessions.create({
    mode: 'payment', client_reference_id: 'node-hold', customer_email: 'node@example.org',
    success_url: 'https://shop.example/done?session={CHECKOUT_SESSION_ID}', cancel_url: 'https://shop.example/back',
    line_items: [{ quantity: 2, price_data: { currency, unit_amount: amount, product_data: { name: 'Pit' } } }],
  });
}

async function pay(url, card) {
  const response = await fetch(url, {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ cardNumber: card, expiry: '12 / 34', cvc: '123' }),
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

async function waitFor(predicate) {
  for (let i = 0; i < 100; i++) {
    const found = deliveries.find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no such delivery');
}

test('a paid session, its signed webhook verified by stripe.webhooks.constructEvent, and refunds', async () => {
  const created = await session(1999);
  assert.equal(created.amount_total, 3998);
  const paid = await pay(created.url, '4242424242424242');
  assert.equal(paid.status, 303);
  assert.equal(paid.location, `https://shop.example/done?session=${created.id}`);

  const retrieved = await stripe.checkout.sessions.retrieve(created.id, { expand: ['payment_intent'] });
  assert.equal(retrieved.payment_status, 'paid');
  assert.equal(retrieved.payment_intent.status, 'succeeded');

  const delivery = await waitFor((each) => each.body.includes(created.id));
  const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret);
  assert.equal(event.type, 'checkout.session.completed');
  assert.throws(() => stripe.webhooks.constructEvent(delivery.body.replace('3998', '1'), delivery.signature, endpoint.secret),
    Stripe.errors.StripeSignatureVerificationError);

  const refund = await stripe.refunds.create({ payment_intent: retrieved.payment_intent.id, amount: 1999 }, { idempotencyKey: `node-${created.id}` });
  const again = await stripe.refunds.create({ payment_intent: retrieved.payment_intent.id, amount: 1999 }, { idempotencyKey: `node-${created.id}` });
  assert.equal(again.id, refund.id);
  await assert.rejects(stripe.refunds.create({ payment_intent: retrieved.payment_intent.id, amount: 2000 }),
    (error) => error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'amount_too_large');
});

test('a declined card, 3-D Secure, the events list and a wrong key', async () => {
  const created = await session(5000, 'jpy');
  assert.match((await pay(created.url, '4000000000000002')).text, /Your card was declined\./);
  const challenged = await pay(created.url, '4000002500003155');
  assert.equal(challenged.status, 303);
  const done = await fetch(`${base.origin}${challenged.location}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ outcome: 'complete' }) });
  assert.equal(done.status, 303);
  assert.equal((await stripe.checkout.sessions.retrieve(created.id)).payment_status, 'paid');

  const failures = await stripe.events.list({ type: 'payment_intent.payment_failed', limit: 100 });
  assert.ok(failures.data.some((event) => event.data.object.last_payment_error.decline_code === 'generic_decline'));

  const stranger = new Stripe('sk_test_wrong', { host: base.hostname, port: Number(base.port), protocol: 'http' });
  await assert.rejects(stranger.checkout.sessions.retrieve(created.id), Stripe.errors.StripeAuthenticationError);
  await assert.rejects(stripe.checkout.sessions.retrieve('cs_test_missing'), (error) => error.code === 'resource_missing');
});
