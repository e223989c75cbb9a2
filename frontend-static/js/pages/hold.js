/**
 * A buyer's hold: the tickets set aside with a countdown, paying on the payment provider's hosted page (card details
 * never reach this page), and what became of it: paid (the tickets), declined (why, and another card may still pay),
 * expired or cancelled (the tickets went back on sale), refunded.
 */
import { api } from '../api.js';
import { h, pageHeading, loading, errorBox, replace, formatMoney, formatLocal, messageOf } from '../dom.js';
import { roleGate } from './guards.js';
import { logActivity } from '../activity.js';

const CONFIRM_PATIENCE_MS = 30_000;

export async function render(view, { params, query }) {
  const gate = roleGate('buyer', 'to see your held tickets');
  if (gate) {
    view.append(pageHeading('Your tickets'), gate);
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
      replace(view, pageHeading(error.status === 404 ? 'Hold not found' : 'Your tickets'),
        errorBox(error.status === 404 ? { message: 'This hold does not exist or is not yours.' } : error, load));
      return null;
    }
  }

  function show(hold) {
    timers.forEach(clearTimeout);
    timers.clear();
    const type = event?.ticketTypes?.find((each) => each.id === hold.ticketTypeId);
    const what = h('p', { class: 'hold-what' }, `${hold.quantity} × ${type?.name ?? 'ticket'}`,
      event ? ` for ${event.title}` : '', ` · ${formatMoney(hold.totalMinor, hold.currency)}`);
    switch (hold.status) {
      case 'confirmed': replace(view, pageHeading('Payment received'), what, paidNotice(hold)); break;
      case 'active': replace(view, pageHeading('Your tickets are held'), what, ...activeParts(hold)); break;
      default: replace(view, pageHeading(hold.status === 'expired' ? 'Your hold expired' : 'Hold cancelled'), what,
        endedNotice(hold));
    }
  }

  function paidNotice(hold) {
    return h('div', { class: 'notice notice-success', role: 'status' },
      h('p', {}, h('strong', {}, 'Your tickets are booked. '),
        `We received ${formatMoney(hold.payment.paidMinor, hold.currency)}. Your QR codes appear under My tickets`
        + ' in a moment and are emailed to you.'),
      h('p', {}, h('a', { href: '/my/tickets' }, 'See my tickets')));
  }

  function endedNotice(hold) {
    const refund = hold.refunds?.[0];
    const parts = [h('p', {}, hold.status === 'expired'
      ? `The hold ran out at ${formatLocal(hold.expiresAt)} and the tickets went back on sale.`
      : 'You gave these tickets back; they are on sale again.')];
    if (refund) {
      parts.push(h('p', {}, refund.status === 'succeeded'
        ? `Your payment arrived after the tickets were gone, so it was refunded in full: ${formatMoney(refund.amountMinor, refund.currency)}.`
        : `Your payment arrived after the tickets were gone. A full refund of ${formatMoney(refund.amountMinor, refund.currency)} is on its way.`));
    } else {
      parts.push(h('p', {}, 'Nothing was charged.'));
    }
    if (event) parts.push(h('p', {}, h('a', { href: `/events/${event.id}` }, `Back to ${event.title}`)));
    return h('div', { class: 'notice notice-error', role: 'alert' }, ...parts);
  }

  function activeParts(hold) {
    const parts = [];
    const countdown = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
    const warning = h('p', { class: 'countdown-warning', 'aria-live': 'polite' });
    parts.push(h('div', { class: 'hold-timer' }, h('p', {}, 'Held for you until ',
      h('time', { datetime: hold.expiresAt }, formatLocal(hold.expiresAt)), '. Time left:'), countdown, warning));
    tick(hold, countdown, warning);
    if (returned === 'success') {
      parts.push(h('p', { class: 'notice', role: 'status' }, 'Confirming your payment…'));
      confirmPayment(Date.now());
    } else if (hold.payment?.error) {
      parts.push(h('div', { class: 'notice notice-error', role: 'alert' },
        h('p', {}, h('strong', {}, 'Payment declined: '), hold.payment.error),
        h('p', {}, 'Nothing was charged. You can pay with another card while your tickets are held.')));
    } else if (returned === 'cancelled') {
      parts.push(h('p', { class: 'notice', role: 'status' }, 'You left the payment page; nothing was charged.'));
    }
    const result = h('div', { 'aria-live': 'polite' });
    const pay = h('button', { type: 'button', class: 'button', onclick: () => startCheckout(pay, result) },
      hold.payment?.error || returned === 'cancelled' ? 'Try paying again' : 'Pay now');
    const cancel = h('button', { type: 'button', class: 'button secondary', onclick: () => cancelHold(cancel, result) },
      'Give the tickets back');
    parts.push(h('div', { class: 'hold-actions' }, pay, cancel), result);
    return parts;
  }

  /** The time left, every second; at zero the hold is asked for again until the sweeper has released it. */
  function tick(hold, countdown, warning) {
    const left = Math.max(0, Date.parse(hold.expiresAt) - Date.now());
    const minutes = Math.floor(left / 60_000);
    const seconds = Math.floor((left % 60_000) / 1000);
    countdown.textContent = `${minutes}:${String(seconds).padStart(2, '0')}`;
    if (left <= 60_000 && left > 0 && !warning.textContent) warning.textContent = 'Less than a minute left to pay.';
    if (left === 0) {
      warning.textContent = 'Time is up; checking your hold…';
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
    replace(result, h('p', {}, 'Opening the secure payment page…'));
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
        error.code === 'payments_unavailable' ? 'Payments are unavailable right now. Your tickets stay held; try again in a moment.'
          : `${messageOf(error)} Nothing was charged.`));
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

  replace(view, loading('Loading your held tickets…'));
  await load();
  return () => {
    controller.abort();
    timers.forEach(clearTimeout);
  };
}
