/**
 * An event's sales for its organizer: per ticket type, tickets sold, held by buyers paying, paid, refunded and checked
 * in, and the money received, refunded and kept; check-in conflicts of offline doors; cancelling an order (a paid one
 * is refunded).
 */
import { api } from '../api.js';
import { h, pageHeading, loading, errorBox, replace, field, formatMoney, formatLocal, messageOf } from '../dom.js';
import { myEvent } from '../organizer-store.js';
import { t, tn } from '../i18n.js';
import { roleGate } from './guards.js';
import { conflictsSection } from '../door/conflicts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function render(view, { params }) {
  const heading = pageHeading(t('dashboard.title'));
  view.append(h('p', { class: 'breadcrumb' }, h('a', { href: `/organizer/events/${params.eventId}` }, t('dashboard.edit'))), heading,
    h('p', {}, h('a', { class: 'button secondary', href: `/organizer/events/${params.eventId}/attendees` }, t('dashboard.attendees'))));
  const gate = roleGate('organizer', t('dashboard.gate'));
  if (gate) {
    view.append(gate);
    return undefined;
  }
  const controller = new AbortController();
  const summary = h('section', { 'aria-labelledby': 'summary-heading', 'aria-live': 'polite' });
  view.append(summary, conflictsSection(params.eventId, controller.signal), cancelOrderSection(params.eventId, () => loadSummary()));
  myEvent(params.eventId, controller.signal).then((event) => {
    heading.textContent = t('dashboard.titleOf', { title: event.title });
    document.title = `${heading.textContent} · Boxoffice`;
  }).catch(() => {});

  async function loadSummary() {
    replace(summary, h('h2', { id: 'summary-heading' }, t('dashboard.sales')), loading(t('dashboard.loading')));
    try {
      const data = await api(`/events/${params.eventId}/summary`, { signal: controller.signal });
      replace(summary, h('h2', { id: 'summary-heading' }, t('dashboard.sales')), ...summaryView(data),
        h('button', { type: 'button', class: 'button secondary', onclick: loadSummary }, t('dashboard.refresh')));
    } catch (error) {
      if (error.name !== 'AbortError') replace(summary, h('h2', { id: 'summary-heading' }, t('dashboard.sales')), errorBox(error, loadSummary));
    }
  }
  await loadSummary();
  return () => controller.abort();
}

function summaryView(data) {
  const types = data.ticketTypes ?? [];
  if (types.length === 0) return [h('p', { class: 'state state-empty' }, t('dashboard.noTypes'))];
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
      stat(t('dashboard.stat.sold'), t('dashboard.soldOf', { sold, capacity })), stat(t('dashboard.stat.held'), String(total((type) => type.held))),
      stat(t('dashboard.stat.remaining'), String(total((type) => type.remaining))), stat(t('dashboard.stat.paid'), String(total((type) => type.paid))),
      stat(t('dashboard.stat.refunded'), String(total((type) => type.refunded))),
      stat(t('dashboard.stat.revenue'), money((type) => type.revenueMinor)), stat(t('dashboard.stat.refundedMoney'), money((type) => type.refundedMinor)),
      stat(t('dashboard.stat.checkedIn'), hasCheckIns ? String(checkedIn) : t('dashboard.notReported'))),
    pending > 0 ? h('p', { class: 'notice' }, tn('dashboard.refundsPending', pending)) : null,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('dashboard.perType') },
      h('table', {},
        h('thead', {}, h('tr', {}, ...['type', 'capacity', 'sold', 'held', 'remaining', 'paid', 'refunded', 'revenue', 'checkedIn']
          .map((column) => h('th', { scope: 'col' }, t(`dashboard.column.${column}`))))),
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
  const find = h('button', { type: 'submit', class: 'button secondary' }, t('dashboard.findOrder'));
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { novalidate: true, onsubmit: lookUp },
    field({ id: 'cancel-order-id', label: t('dashboard.orderNumber'), input, hint: t('dashboard.orderHint') }), find);

  async function lookUp(event) {
    event.preventDefault();
    const orderId = input.value.trim();
    const error = document.getElementById('cancel-order-id-error');
    error.textContent = '';
    if (!UUID.test(orderId)) {
      error.textContent = t('dashboard.orderInvalid');
      input.focus();
      return;
    }
    find.disabled = true;
    replace(result, loading(t('dashboard.lookingUp')));
    try {
      const order = await api(`/orders/${orderId}`);
      replace(result, order.eventId === eventId ? orderCard(order) : h('p', { class: 'notice notice-error', role: 'alert' }, t('dashboard.otherEvent')));
    } catch (failure) {
      replace(result, h('p', { class: 'notice notice-error', role: 'alert' },
        failure.status === 404 ? t('dashboard.noOrder') : messageOf(failure)));
    } finally {
      find.disabled = false;
    }
  }

  function orderCard(order) {
    const status = h('div', { 'aria-live': 'polite' });
    const cancel = h('button', { type: 'button', class: 'button danger', onclick: cancelOrder }, t('dashboard.cancelOrder'));
    async function cancelOrder() {
      cancel.disabled = true;
      try {
        const cancelled = await api(`/orders/${order.id}/cancel`, { method: 'POST' });
        replace(result, orderCard(cancelled), h('p', { class: 'notice notice-success' }, cancelled.paidMinor !== undefined
          ? t('dashboard.cancelledRefund', { amount: formatMoney(cancelled.paidMinor, cancelled.currency) })
          : t('dashboard.cancelled')));
        onCancelled();
      } catch (failure) {
        cancel.disabled = false;
        replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(failure)));
      }
    }
    return h('div', { class: 'order' },
      h('p', {}, h('strong', {}, t('dashboard.order', { id: order.id }))),
      h('p', {}, `${order.buyerEmail} · ${tn('dashboard.tickets', order.quantity)} · ${formatMoney(order.totalMinor, order.currency)} · ${formatLocal(order.placedAt)}`),
      order.status === 'cancelled' ? h('p', { class: 'badge badge-cancelled' }, t('dashboard.orderCancelled')) : cancel, status);
  }

  return h('section', { class: 'cancel-order', 'aria-labelledby': 'cancel-heading' },
    h('h2', { id: 'cancel-heading' }, t('dashboard.cancelTitle')), form, result);
}
