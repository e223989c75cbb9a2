/**
 * An event's sales for its organizer: per ticket type, tickets sold, held by buyers paying, paid, refunded and checked
 * in, and the money received, refunded and kept; check-in conflicts of offline doors; cancelling an order (a paid one
 * is refunded).
 */
import { api } from '../api.js';
import { h, pageHeading, loading, errorBox, replace, field, formatMoney, formatLocal, messageOf } from '../dom.js';
import { myEvent } from '../organizer-store.js';
import { t } from '../i18n.js';
import { roleGate } from './guards.js';
import { conflictsSection } from '../door/conflicts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function render(view, { params }) {
  const heading = pageHeading('Sales dashboard');
  view.append(h('p', { class: 'breadcrumb' }, h('a', { href: `/organizer/events/${params.eventId}` }, '← Edit event')), heading,
    h('p', {}, h('a', { class: 'button secondary', href: `/organizer/events/${params.eventId}/attendees` }, t('dashboard.attendees'))));
  const gate = roleGate('organizer', 'to see sales');
  if (gate) {
    view.append(gate);
    return undefined;
  }
  const controller = new AbortController();
  const summary = h('section', { 'aria-labelledby': 'summary-heading', 'aria-live': 'polite' });
  view.append(summary, conflictsSection(params.eventId, controller.signal), cancelOrderSection(params.eventId, () => loadSummary()));
  myEvent(params.eventId, controller.signal).then((event) => {
    heading.textContent = `Sales: ${event.title}`;
    document.title = `${heading.textContent} · Boxoffice`;
  }).catch(() => {});

  async function loadSummary() {
    replace(summary, h('h2', { id: 'summary-heading' }, 'Ticket sales'), loading('Loading sales…'));
    try {
      const data = await api(`/events/${params.eventId}/summary`, { signal: controller.signal });
      replace(summary, h('h2', { id: 'summary-heading' }, 'Ticket sales'), ...summaryView(data),
        h('button', { type: 'button', class: 'button secondary', onclick: loadSummary }, 'Refresh'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(summary, h('h2', { id: 'summary-heading' }, 'Ticket sales'), errorBox(error, loadSummary));
    }
  }
  await loadSummary();
  return () => controller.abort();
}

function summaryView(data) {
  const types = data.ticketTypes ?? [];
  if (types.length === 0) return [h('p', { class: 'state state-empty' }, 'This event has no ticket types yet.')];
  const checkIns = (type) => type.checkedIn ?? type.checkIns;
  const hasCheckIns = types.some((type) => checkIns(type) !== undefined) || data.checkedIn !== undefined;
  const total = (pick) => types.reduce((sum, type) => sum + (pick(type) ?? 0), 0);
  const currencies = [...new Set(types.map((type) => type.currency))];
  const money = (pick) => currencies.map((currency) => formatMoney(
    types.filter((type) => type.currency === currency).reduce((sum, type) => sum + (pick(type) ?? 0), 0), currency)).join(' + ');
  const capacity = total((type) => type.capacity);
  const sold = total((type) => type.sold);
  const checkedIn = data.checkedIn ?? total(checkIns);
  const pending = total((type) => type.refundsPending);
  return [
    h('dl', { class: 'stats' },
      stat('Sold', `${sold} of ${capacity}`), stat('Held (paying now)', String(total((type) => type.held))),
      stat('Remaining', String(total((type) => type.remaining))), stat('Paid', String(total((type) => type.paid))),
      stat('Refunded', String(total((type) => type.refunded))),
      stat('Revenue', money((type) => type.revenueMinor)), stat('Refunded money', money((type) => type.refundedMinor)),
      stat('Checked in', hasCheckIns ? String(checkedIn) : 'not reported')),
    pending > 0 ? h('p', { class: 'notice' }, `${pending} refund${pending === 1 ? ' is' : 's are'} on the way to buyers.`) : null,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Sales per ticket type' },
      h('table', {},
        h('thead', {}, h('tr', {}, ...['Ticket type', 'Capacity', 'Sold', 'Held', 'Remaining', 'Paid', 'Refunded', 'Revenue', 'Checked in']
          .map((label) => h('th', { scope: 'col' }, label)))),
        h('tbody', {}, ...types.map((type) => h('tr', {},
          h('th', { scope: 'row' }, type.name),
          h('td', {}, String(type.capacity)), h('td', {}, String(type.sold)), h('td', {}, String(type.held ?? 0)),
          h('td', {}, String(type.remaining)), h('td', {}, String(type.paid ?? 0)), h('td', {}, String(type.refunded ?? 0)),
          h('td', {}, formatMoney(type.revenueMinor, type.currency)),
          h('td', {}, checkIns(type) === undefined ? '—' : String(checkIns(type)))))))),
  ];
}

function stat(label, value) {
  return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, value));
}

function cancelOrderSection(eventId, onCancelled) {
  const input = h('input', { name: 'orderId', type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: 36 });
  const find = h('button', { type: 'submit', class: 'button secondary' }, 'Find order');
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { novalidate: true, onsubmit: lookUp },
    field({ id: 'cancel-order-id', label: 'Order number', input, hint: 'The order id the buyer gives you.' }), find);

  async function lookUp(event) {
    event.preventDefault();
    const orderId = input.value.trim();
    const error = document.getElementById('cancel-order-id-error');
    error.textContent = '';
    if (!UUID.test(orderId)) {
      error.textContent = 'An order number looks like 3f2c1a9e-… (36 characters).';
      input.focus();
      return;
    }
    find.disabled = true;
    replace(result, loading('Looking up the order…'));
    try {
      const order = await api(`/orders/${orderId}`);
      replace(result, order.eventId === eventId ? orderCard(order) : h('p', { class: 'notice notice-error', role: 'alert' }, 'This order is for another event.'));
    } catch (failure) {
      replace(result, h('p', { class: 'notice notice-error', role: 'alert' },
        failure.status === 404 ? 'No order with this number for your events.' : messageOf(failure)));
    } finally {
      find.disabled = false;
    }
  }

  function orderCard(order) {
    const status = h('div', { 'aria-live': 'polite' });
    const cancel = h('button', { type: 'button', class: 'button danger', onclick: cancelOrder }, 'Cancel this order');
    async function cancelOrder() {
      cancel.disabled = true;
      try {
        const cancelled = await api(`/orders/${order.id}/cancel`, { method: 'POST' });
        replace(result, orderCard(cancelled), h('p', { class: 'notice notice-success' }, cancelled.paidMinor !== undefined
          ? `The order is cancelled; its tickets are void, the seats are back on sale and ${formatMoney(cancelled.paidMinor, cancelled.currency)} is being refunded to the buyer.`
          : 'The order is cancelled; its tickets are void and the seats are back on sale.'));
        onCancelled();
      } catch (failure) {
        cancel.disabled = false;
        replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(failure)));
      }
    }
    return h('div', { class: 'order' },
      h('p', {}, h('strong', {}, `Order ${order.id}`)),
      h('p', {}, `${order.buyerEmail} · ${order.quantity} ticket${order.quantity === 1 ? '' : 's'} · ${formatMoney(order.totalMinor, order.currency)} · ${formatLocal(order.placedAt)}`),
      order.status === 'cancelled' ? h('p', { class: 'badge badge-cancelled' }, 'Cancelled') : cancel, status);
  }

  return h('section', { class: 'cancel-order', 'aria-labelledby': 'cancel-heading' },
    h('h2', { id: 'cancel-heading' }, 'Cancel an order'), form, result);
}
