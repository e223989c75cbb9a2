/** The buyer's orders and tickets, each ticket with its QR code from /get-qr-code (pending until it is made). */
import { api } from '../api.js';
import { h, pageHeading, loading, empty, errorBox, replace, formatInZone, formatMoney, formatLocal } from '../dom.js';
import { qrCode } from '../serverless.js';
import { calendarLinks } from '../calendar.js';
import { t, tn } from '../i18n.js';
import { currentSession } from '../session.js';
import { logActivity } from '../activity.js';
import { signInPrompt } from './guards.js';

const QR_RETRY_DELAYS_MS = [1000, 2000, 3000, 5000, 8000, 13000, 20000, 30000];

export function render(view) {
  view.append(pageHeading(t('nav.myTickets')));
  if (!currentSession()) {
    view.append(signInPrompt(t('tickets.gate')));
    return undefined;
  }
  const controller = new AbortController();
  const timers = new Set();
  const events = new Map();
  const list = h('ol', { class: 'orders', 'aria-label': t('tickets.orders') });
  const status = h('div', { 'aria-live': 'polite' });
  const more = h('div', { class: 'more' });
  view.append(status, list, more);
  let cursor = null;

  async function loadPage() {
    replace(more);
    replace(status, loading(t('tickets.loading')));
    try {
      const params = new URLSearchParams({ limit: '10' });
      if (cursor) params.set('cursor', cursor);
      const page = await api(`/me/orders?${params}`, { signal: controller.signal });
      const firstPage = !cursor;
      cursor = page.nextCursor ?? null;
      replace(status);
      if (firstPage && page.items.length === 0) {
        replace(status, empty(t('tickets.none'), h('a', { href: '/' }, t('tickets.findEvent'))));
      }
      for (const order of page.items) list.append(orderItem(order));
      if (cursor) replace(more, h('button', { type: 'button', class: 'button secondary', onclick: loadPage }, t('tickets.more')));
    } catch (error) {
      if (error.name !== 'AbortError') replace(status, errorBox(error, loadPage));
    }
  }

  function orderItem(order) {
    const heading = h('h2', {}, t('tickets.event'));
    const when = h('p', { class: 'card-meta' });
    const calendar = h('div', { class: 'order-calendar' });
    eventOf(order.eventId).then((event) => {
      heading.replaceChildren(h('a', { href: `/events/${event.id}` }, event.title));
      when.textContent = `${formatInZone(event.startsAt, event.timeZone)} · ${event.venue}, ${event.city}`;
      if (order.status !== 'cancelled' && event.status !== 'cancelled') replace(calendar, calendarLinks(event));
    }).catch(() => { heading.textContent = t('tickets.eventUnavailable'); });
    const cancelled = order.status === 'cancelled';
    return h('li', { class: `order${cancelled ? ' order-cancelled' : ''}` },
      heading, when, calendar,
      h('p', { class: 'card-meta' },
        tn('tickets.orderLine', order.quantity, { total: formatMoney(order.totalMinor, order.currency), placed: formatLocal(order.placedAt) })),
      h('p', { class: 'card-meta' }, t('tickets.orderNumber'), ' ', h('code', {}, order.id)),
      cancelled ? h('p', { class: 'badge badge-cancelled' }, t('tickets.orderCancelled')) : null,
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
      h('h3', {}, t('tickets.ticket', { number: index + 1 })),
      h('p', { class: 'ticket-status' }, t(`tickets.status.${ticket.status}`)),
      qr);
    if (ticket.status === 'cancelled') {
      voidQr(qr);
    } else if (ticket.qrStatus === 'failed') {
      qrState(qr, 'failed', t('tickets.qrFailed'));
    } else {
      loadQr(ticket, qr, 0);
    }
    return item;
  }

  // Also for a ticket cancelled after this page loaded, which /get-qr-code refuses (410): no retry can bring it back.
  function voidQr(container) {
    const status = container.closest('.ticket')?.querySelector('.ticket-status');
    if (status) status.textContent = t('tickets.status.cancelled');
    container.dataset.qrStatus = 'void';
    replace(container, h('p', {}, t('tickets.void')));
  }

  async function loadQr(ticket, container, attempt) {
    qrState(container, 'pending', attempt === 0 ? t('tickets.qrLoading') : t('tickets.qrMaking'));
    try {
      const { url } = await qrCode(ticket.id);
      const image = h('img', { src: url, alt: t('tickets.qrAlt', { id: ticket.id }), width: 200, height: 200, class: 'qr-image' });
      image.addEventListener('error', () => failQr(ticket, container, t('tickets.qrImageFailed')));
      image.addEventListener('load', () => logActivity('qr_code_viewed', { ticketId: ticket.id }));
      replace(container, image);
      container.dataset.qrStatus = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error.status === 410) {
        voidQr(container);
        return;
      }
      const notYet = error.code !== 'not_configured' && (error.status === 404 || error.status === 409 || error.status === 425 || error.status === 503);
      if (notYet && attempt < QR_RETRY_DELAYS_MS.length) {
        const timer = setTimeout(() => { timers.delete(timer); loadQr(ticket, container, attempt + 1); }, QR_RETRY_DELAYS_MS[attempt]);
        timers.add(timer);
        qrState(container, 'pending', t('tickets.qrMaking'));
      } else {
        failQr(ticket, container, notYet ? t('tickets.qrNotReady') : error.message);
      }
    }
  }

  function failQr(ticket, container, message) {
    qrState(container, 'failed', message || t('tickets.qrLoadFailed'));
    container.append(h('button', { type: 'button', class: 'button secondary', onclick: () => loadQr(ticket, container, 0) }, t('tickets.tryAgain')));
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
  if (order.paidMinor !== undefined) parts.push(t('tickets.paid', { amount: formatMoney(order.paidMinor, order.currency) }));
  for (const refund of order.refunds ?? []) {
    const amount = formatMoney(refund.amountMinor, refund.currency);
    parts.push(t(`tickets.refund.${refund.status}`, { amount }));
  }
  return h('p', { class: 'payment-status' }, parts.join(' · '));
}
