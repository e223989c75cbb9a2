/** The buyer's orders and tickets, each ticket with its QR code from /get-qr-code (pending until it is made). */
import { api } from '../api.js';
import { h, pageHeading, loading, empty, errorBox, replace, formatInZone, formatMoney, formatLocal } from '../dom.js';
import { qrCode } from '../serverless.js';
import { currentSession } from '../session.js';
import { logActivity } from '../activity.js';
import { signInPrompt } from './guards.js';

const QR_RETRY_DELAYS_MS = [1000, 2000, 3000, 5000, 8000, 13000, 20000, 30000];

export function render(view) {
  view.append(pageHeading('My tickets'));
  if (!currentSession()) {
    view.append(signInPrompt('to see your tickets'));
    return undefined;
  }
  const controller = new AbortController();
  const timers = new Set();
  const events = new Map();
  const list = h('ol', { class: 'orders', 'aria-label': 'Orders' });
  const status = h('div', { 'aria-live': 'polite' });
  const more = h('div', { class: 'more' });
  view.append(status, list, more);
  let cursor = null;

  async function loadPage() {
    replace(more);
    replace(status, loading('Loading your tickets…'));
    try {
      const params = new URLSearchParams({ limit: '10' });
      if (cursor) params.set('cursor', cursor);
      const page = await api(`/me/orders?${params}`, { signal: controller.signal });
      const firstPage = !cursor;
      cursor = page.nextCursor ?? null;
      replace(status);
      if (firstPage && page.items.length === 0) {
        replace(status, empty('You have no tickets yet.', h('a', { href: '/' }, 'Find an event')));
      }
      for (const order of page.items) list.append(orderItem(order));
      if (cursor) replace(more, h('button', { type: 'button', class: 'button secondary', onclick: loadPage }, 'Load older orders'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(status, errorBox(error, loadPage));
    }
  }

  function orderItem(order) {
    const heading = h('h2', {}, 'Event');
    const when = h('p', { class: 'card-meta' });
    eventOf(order.eventId).then((event) => {
      heading.replaceChildren(h('a', { href: `/events/${event.id}` }, event.title));
      when.textContent = `${formatInZone(event.startsAt, event.timeZone)} · ${event.venue}, ${event.city}`;
    }).catch(() => { heading.textContent = 'Event details unavailable'; });
    const cancelled = order.status === 'cancelled';
    return h('li', { class: `order${cancelled ? ' order-cancelled' : ''}` },
      heading, when,
      h('p', { class: 'card-meta' },
        `${order.quantity} ticket${order.quantity === 1 ? '' : 's'} · ${formatMoney(order.totalMinor, order.currency)} · ordered ${formatLocal(order.placedAt)}`),
      h('p', { class: 'card-meta' }, 'Order number ', h('code', {}, order.id)),
      cancelled ? h('p', { class: 'badge badge-cancelled' }, 'Order cancelled') : null,
      paymentLine(order),
      h('ul', { class: 'tickets' }, ...(order.tickets ?? []).map(ticketItem)));
  }

  function eventOf(eventId) {
    if (!events.has(eventId)) events.set(eventId, api(`/events/${eventId}`, { auth: false, signal: controller.signal }));
    return events.get(eventId);
  }

  function ticketItem(ticket, index) {
    const qr = h('div', { class: 'qr', 'aria-live': 'polite' });
    const item = h('li', { class: 'ticket', dataset: { ticketId: ticket.id } },
      h('h3', {}, `Ticket ${index + 1}`),
      h('p', { class: 'ticket-status' }, { valid: 'Valid', checked_in: 'Checked in', cancelled: 'Cancelled' }[ticket.status] ?? ticket.status),
      qr);
    if (ticket.status === 'cancelled') {
      replace(qr, h('p', {}, 'This ticket is void.'));
    } else if (ticket.qrStatus === 'failed') {
      qrState(qr, 'failed', 'The QR code could not be made. Please contact the organizer.');
    } else {
      loadQr(ticket, qr, 0);
    }
    return item;
  }

  async function loadQr(ticket, container, attempt) {
    qrState(container, 'pending', attempt === 0 ? 'Loading the QR code…' : 'The QR code is being made…');
    try {
      const { url } = await qrCode(ticket.id);
      const image = h('img', { src: url, alt: `QR code of ticket ${ticket.id}`, width: 200, height: 200, class: 'qr-image' });
      image.addEventListener('error', () => failQr(ticket, container, 'The QR code image could not be loaded.'));
      image.addEventListener('load', () => logActivity('qr_code_viewed', { ticketId: ticket.id }));
      replace(container, image);
      container.dataset.qrStatus = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      const notYet = error.code !== 'not_configured' && (error.status === 404 || error.status === 409 || error.status === 425 || error.status === 503);
      if (notYet && attempt < QR_RETRY_DELAYS_MS.length) {
        const timer = setTimeout(() => { timers.delete(timer); loadQr(ticket, container, attempt + 1); }, QR_RETRY_DELAYS_MS[attempt]);
        timers.add(timer);
        qrState(container, 'pending', 'The QR code is being made…');
      } else {
        failQr(ticket, container, notYet ? 'The QR code is not ready yet.' : error.message);
      }
    }
  }

  function failQr(ticket, container, message) {
    qrState(container, 'failed', message || 'The QR code could not be loaded.');
    container.append(h('button', { type: 'button', class: 'button secondary', onclick: () => loadQr(ticket, container, 0) }, 'Try again'));
  }

  loadPage();
  return () => {
    controller.abort();
    timers.forEach(clearTimeout);
  };
}

function qrState(container, state, text) {
  container.dataset.qrStatus = state;
  replace(container, h('p', { class: `qr-${state}` }, text));
}

/** What was paid for an order and what went back: "Paid €70.00 · Refund of €70.00 pending". */
function paymentLine(order) {
  if (order.paidMinor === undefined && !(order.refunds ?? []).length) return null;
  const parts = [];
  if (order.paidMinor !== undefined) parts.push(`Paid ${formatMoney(order.paidMinor, order.currency)}`);
  for (const refund of order.refunds ?? []) {
    const amount = formatMoney(refund.amountMinor, refund.currency);
    parts.push({ pending: `Refund of ${amount} on its way`, succeeded: `Refunded ${amount}`, failed: `Refund of ${amount} failed: the organizer will contact you` }[refund.status]);
  }
  return h('p', { class: 'payment-status' }, parts.join(' · '));
}
