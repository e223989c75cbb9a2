/**
 * A buyer's hold: the tickets set aside with a countdown, paying on the payment provider's hosted page (card details
 * never reach this page), and what became of it: paid (the tickets), declined (why, and another card may still pay),
 * expired or cancelled (the tickets went back on sale), refunded.
 */
import { api } from '../api.js';
import { h, pageHeading, loading, errorBox, replace, formatMoney, formatLocal, messageOf } from '../dom.js';
import { roleGate } from './guards.js';
import { t } from '../i18n.js';
import { logActivity } from '../activity.js';

const CONFIRM_PATIENCE_MS = 30_000;

export async function render(view, { params, query }) {
  const gate = roleGate('buyer', t('hold.gate'));
  if (gate) {
    view.append(pageHeading(t('hold.title')), gate);
    return undefined;
  }
  const controller = new AbortController();
  const timers = new Set();
  const later = (callback, ms) => {
    const timer = setTimeout(() => { timers.delete(timer); callback(); }, ms);
    timers.add(timer);
  };
  const returned = query.get('checkout');
  let event = null;

  async function load() {
    try {
      const hold = await api(`/holds/${params.holdId}`, { signal: controller.signal });
      event ??= await api(`/events/${hold.eventId}`, { auth: false, signal: controller.signal }).catch(() => null);
      show(hold);
      return hold;
    } catch (error) {
      if (error.name === 'AbortError') return null;
      replace(view, pageHeading(error.status === 404 ? t('hold.notFound') : t('hold.title')),
        errorBox(error.status === 404 ? { message: t('hold.notYours') } : error, load));
      return null;
    }
  }

  function show(hold) {
    timers.forEach(clearTimeout);
    timers.clear();
    const type = event?.ticketTypes?.find((each) => each.id === hold.ticketTypeId);
    const values = { quantity: hold.quantity, name: type?.name ?? t('hold.ticket'), total: formatMoney(hold.totalMinor, hold.currency) };
    const what = h('p', { class: 'hold-what' }, event ? t('hold.whatFor', { ...values, title: event.title }) : t('hold.what', values));
    switch (hold.status) {
      case 'confirmed': replace(view, pageHeading(t('hold.paid')), what, paidNotice(hold)); break;
      case 'active': replace(view, pageHeading(t('hold.held')), what, ...activeParts(hold)); break;
      default: replace(view, pageHeading(hold.status === 'expired' ? t('hold.expired') : t('hold.cancelled')), what,
        endedNotice(hold));
    }
  }

  function paidNotice(hold) {
    return h('div', { class: 'notice notice-success', role: 'status' },
      h('p', {}, h('strong', {}, t('hold.booked')), ' ', t('hold.received', { amount: formatMoney(hold.payment.paidMinor, hold.currency) })),
      h('p', {}, h('a', { href: '/my/tickets' }, t('event.seeMyTickets'))));
  }

  function endedNotice(hold) {
    const refund = hold.refunds?.[0];
    const parts = [h('p', {}, hold.status === 'expired'
      ? t('hold.ranOut', { time: formatLocal(hold.expiresAt) })
      : t('hold.gaveBack'))];
    if (refund) {
      parts.push(h('p', {}, refund.status === 'succeeded'
        ? t('hold.refunded', { amount: formatMoney(refund.amountMinor, refund.currency) })
        : t('hold.refunding', { amount: formatMoney(refund.amountMinor, refund.currency) })));
    } else {
      parts.push(h('p', {}, t('hold.notCharged')));
    }
    if (event) parts.push(h('p', {}, h('a', { href: `/events/${event.id}` }, t('hold.backTo', { title: event.title }))));
    return h('div', { class: 'notice notice-error', role: 'alert' }, ...parts);
  }

  function activeParts(hold) {
    const parts = [];
    const countdown = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
    const warning = h('p', { class: 'countdown-warning', 'aria-live': 'polite' });
    parts.push(h('div', { class: 'hold-timer' }, h('p', {}, t('hold.until'), ' ',
      h('time', { datetime: hold.expiresAt }, formatLocal(hold.expiresAt)), t('hold.timeLeft')), countdown, warning));
    tick(hold, countdown, warning);
    if (returned === 'success') {
      parts.push(h('p', { class: 'notice', role: 'status' }, t('hold.confirming')));
      confirmPayment(Date.now());
    } else if (hold.payment?.error) {
      parts.push(h('div', { class: 'notice notice-error', role: 'alert' },
        h('p', {}, h('strong', {}, t('hold.declined')), ' ', hold.payment.error),
        h('p', {}, t('hold.anotherCard'))));
    } else if (returned === 'cancelled') {
      parts.push(h('p', { class: 'notice', role: 'status' }, t('hold.left')));
    }
    const result = h('div', { 'aria-live': 'polite' });
    const pay = h('button', { type: 'button', class: 'button', onclick: () => startCheckout(pay, result) },
      hold.payment?.error || returned === 'cancelled' ? t('hold.payAgain') : t('hold.payNow'));
    const cancel = h('button', { type: 'button', class: 'button secondary', onclick: () => cancelHold(cancel, result) },
      t('hold.giveBack'));
    parts.push(h('div', { class: 'hold-actions' }, pay, cancel), result);
    return parts;
  }

  /** The time left, every second; at zero the hold is asked for again until the sweeper has released it. */
  function tick(hold, countdown, warning) {
    const left = Math.max(0, Date.parse(hold.expiresAt) - Date.now());
    const minutes = Math.floor(left / 60_000);
    const seconds = Math.floor((left % 60_000) / 1000);
    countdown.textContent = `${minutes}:${String(seconds).padStart(2, '0')}`;
    if (left <= 60_000 && left > 0 && !warning.textContent) warning.textContent = t('hold.lastMinute');
    if (left === 0) {
      warning.textContent = t('hold.timeUp');
      later(load, 1500);
      return;
    }
    later(() => tick(hold, countdown, warning), 1000 - (Date.now() % 1000));
  }

  /** Back from the provider's page: ask it now (its webhook may not have come yet), then wait for the order. */
  async function confirmPayment(started) {
    try {
      const hold = await api(`/holds/${params.holdId}/payment-check`, { method: 'POST', signal: controller.signal });
      if (hold.status !== 'active' || Date.now() - started > CONFIRM_PATIENCE_MS) {
        history.replaceState(null, '', location.pathname);
        if (hold.status === 'confirmed') logActivity('order_placed', { eventId: hold.eventId, orderId: hold.id });
        show(hold);
        return;
      }
    } catch (error) {
      if (error.name === 'AbortError') return;
    }
    later(() => confirmPayment(started), 1000);
  }

  async function startCheckout(button, result) {
    button.disabled = true;
    replace(result, h('p', {}, t('hold.opening')));
    logActivity('checkout_started', { orderId: params.holdId });
    try {
      const { checkoutUrl } = await api(`/holds/${params.holdId}/checkout`, { method: 'POST' });
      location.assign(checkoutUrl);
    } catch (error) {
      button.disabled = false;
      if (error.code?.startsWith('hold_')) {
        await load();
        return;
      }
      replace(result, h('p', { class: 'notice notice-error', role: 'alert' },
        error.code === 'payments_unavailable' ? t('hold.paymentsUnavailable')
          : t('hold.failed', { message: messageOf(error) })));
    }
  }

  async function cancelHold(button, result) {
    button.disabled = true;
    try {
      show(await api(`/holds/${params.holdId}/cancel`, { method: 'POST' }));
    } catch (error) {
      button.disabled = false;
      replace(result, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(error)));
    }
  }

  replace(view, loading(t('hold.loading')));
  await load();
  return () => {
    controller.abort();
    timers.forEach(clearTimeout);
  };
}
