/**
 * One event: its details and ticket types, and buying tickets with an Idempotency-Key per purchase attempt: free
 * tickets are booked at once; priced ones are held for the event's hold time while the buyer pays on the hold's page.
 */
import { api } from '../api.js';
import { calendarLinks } from '../calendar.js';
import { currentLocale, t } from '../i18n.js';
import { h, pageHeading, loading, errorBox, replace, formatInZone, formatMoney, messageOf } from '../dom.js';
import { eventImage } from '../images.js';
import { salesState } from '../catalog.js';
import { currentSession } from '../session.js';
import { logActivity } from '../activity.js';
import { admissionFor, forgetAdmission } from '../admissions.js';

export async function render(view, { params, navigate }) {
  const controller = new AbortController();
  const load = async () => {
    replace(view, loading(t('event.loading')));
    try {
      const [event, room] = await Promise.all([
        api(`/events/${params.eventId}`, { auth: false, signal: controller.signal }),
        api(`/events/${params.eventId}/waiting-room`, { auth: false, signal: controller.signal })
          .catch((error) => { if (error.status === 404) return null; throw error; }),
      ]);
      event.waitingRoom = room;
      replace(view, ...eventPage(event, load, navigate));
      logActivity('event_view', { eventId: event.id });
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(view, pageHeading(error.status === 404 ? t('event.notFound') : t('event.unavailable')),
        errorBox(error.status === 404 ? { message: t('event.notPublished') } : error,
          error.status === 404 ? null : load),
        h('p', {}, h('a', { href: '/' }, t('event.back'))));
    }
  };
  await load();
  return () => controller.abort();
}

function eventPage(event, reload, navigate) {
  const cancelled = event.status === 'cancelled';
  return [
    h('p', { class: 'breadcrumb' }, h('a', { href: '/' }, t('event.allEvents'))),
    h('article', { class: 'event' },
      eventImage(event, { className: 'event-image' }),
      h('div', { class: 'event-details' },
        pageHeading(event.title),
        cancelled ? h('p', { class: 'badge badge-cancelled' }, t('event.isCancelled')) : null,
        h('dl', { class: 'facts' },
          h('dt', {}, t('event.when')), h('dd', {}, h('time', { datetime: event.startsAt }, formatInZone(event.startsAt, event.timeZone)),
            ' – ', h('time', { datetime: event.endsAt }, formatInZone(event.endsAt, event.timeZone))),
          h('dt', {}, t('event.where')), h('dd', {}, `${event.venue}, ${event.city}`),
          h('dt', {}, t('event.category')), h('dd', {}, event.category),
          h('dt', {}, t('event.calendar')), h('dd', {}, calendarLinks(event))),
        event.description ? h('p', { class: 'description' }, event.description) : null)),
    h('section', { 'aria-labelledby': 'tickets-heading' },
      h('h2', { id: 'tickets-heading' }, t('event.tickets')),
      waitingRoomNotice(event),
      (event.ticketTypes ?? []).length === 0
        ? h('p', { class: 'state state-empty' }, t('event.noTickets'))
        : h('ul', { class: 'ticket-types' }, ...event.ticketTypes.map((type) => ticketType(type, event, reload, navigate)))),
  ];
}

/** With a waiting room, tickets are bought with the admission the queue gives; without one, through the queue. */
function waitingRoomNotice(event) {
  if (!event.waitingRoom || event.status === 'cancelled') return null;
  const admission = admissionFor(event.id);
  if (admission) {
    return h('p', { class: 'notice notice-success' }, t('event.yourTurn', { time: new Date(admission.expiresAt).toLocaleTimeString(currentLocale()) }));
  }
  return h('div', { class: 'notice' },
    h('p', {}, t('event.waitingRoom')),
    h('p', {}, h('a', { class: 'button', href: `/events/${event.id}/queue` }, t('event.joinQueue'))));
}

function ticketType(type, event, reload, navigate) {
  const sales = salesState(type, event);
  const headingId = `type-${type.id}`;
  return h('li', { class: 'ticket-type', 'aria-labelledby': headingId },
    h('div', { class: 'ticket-type-info' },
      h('h3', { id: headingId }, type.name),
      h('p', { class: 'price' }, type.priceMinor === 0 ? t('price.free') : formatMoney(type.priceMinor, type.currency)),
      h('p', { class: 'remaining' }, stateText(sales, type, event))),
    sales.state === 'open' && (!event.waitingRoom || admissionFor(event.id)) ? purchaseForm(type, event, reload, navigate) : h('span', { class: `badge badge-${sales.state.replace('_', '-')}` }, badgeText(sales.state)));
}

function stateText(sales, type, event) {
  switch (sales.state) {
    case 'sold_out': return type.held > 0 ? t('event.state.soldOutHeld', { held: type.held }) : t('event.state.soldOut');
    case 'not_yet': return t('event.state.notYet', { time: formatInZone(sales.opensAt, event.timeZone) });
    case 'ended': return t('event.state.ended');
    case 'closed': return t('event.state.closed');
    default: return [
      type.held > 0 ? t('event.state.leftHeld', { remaining: type.remaining, held: type.held }) : t('event.state.left', { remaining: type.remaining }),
      event.maxTicketsPerBuyer ? t('event.state.perOrderAndBuyer', { perOrder: type.maxPerOrder, perBuyer: event.maxTicketsPerBuyer })
        : t('event.state.perOrder', { perOrder: type.maxPerOrder }),
      type.priceMinor > 0 ? t('event.state.heldWhilePaying', { minutes: event.holdMinutes ?? 10 }) : null,
    ].filter(Boolean).join(' · ');
  }
}

function badgeText(state) {
  return t(`event.badge.${state}`);
}

function purchaseForm(type, event, reload, navigate) {
  const paid = type.priceMinor > 0;
  const session = currentSession();
  if (!session) {
    const next = encodeURIComponent(location.pathname);
    return h('a', { class: 'button', href: `/sign-in?next=${next}` }, paid ? t('event.signInToBuy') : t('event.signInToBook'));
  }
  const max = Math.min(type.maxPerOrder, type.remaining);
  const quantityId = `quantity-${type.id}`;
  const quantity = h('select', { id: quantityId, name: 'quantity' },
    ...Array.from({ length: max }, (_, i) => h('option', { value: i + 1 }, String(i + 1))));
  const action = paid ? t('event.reserve') : t('event.getTickets');
  const button = h('button', { type: 'submit', class: 'button' }, action);
  const result = h('div', { class: 'purchase-result', 'aria-live': 'polite', role: 'status' });
  let pending = null;

  async function submit(submitEvent) {
    submitEvent.preventDefault();
    if (button.disabled) return;
    const chosen = Number(quantity.value);
    // A retry of the same purchase after a failure that wrote nothing keeps its key, so it can never buy twice.
    if (!pending || pending.quantity !== chosen) pending = { quantity: chosen, key: idempotencyKey() };
    button.disabled = true;
    quantity.disabled = true;
    button.textContent = paid ? t('event.reserving') : t('event.booking');
    replace(result, h('p', {}, paid ? t('event.holding') : t('event.placing')));
    logActivity(paid ? 'add_to_cart' : 'checkout_started', { eventId: event.id });
    try {
      if (paid) {
        const hold = await api(`/ticket-types/${type.id}/holds`, {
          method: 'POST', body: { quantity: chosen }, headers: purchaseHeaders(event, pending.key),
        });
        pending = null;
        navigate(`/holds/${hold.id}`);
        return;
      }
      const order = await api(`/ticket-types/${type.id}/purchases`, {
        method: 'POST', body: { quantity: chosen }, headers: purchaseHeaders(event, pending.key),
      });
      pending = null;
      logActivity('order_placed', { eventId: event.id, orderId: order.id });
      replace(result, h('div', { class: 'notice notice-success' },
        h('p', {}, h('strong', {}, t('event.confirmed')), ' ',
          t('event.confirmedLine', { quantity: order.quantity, name: type.name, total: formatMoney(order.totalMinor, order.currency) })),
        h('p', {}, h('a', { href: '/my/tickets' }, t('event.seeMyTickets')))));
      button.textContent = t('event.getMore');
      button.disabled = false;
      quantity.disabled = false;
      showRemaining(type.remaining - order.quantity);
    } catch (error) {
      if (!(error.status === 0 || error.status === 503)) pending = null;
      showError(error);
    }
  }

  /** Keeps the count and the quantity choices in step with what this purchase took. */
  function showRemaining(remaining) {
    type.remaining = Math.max(0, remaining);
    form.closest('.ticket-type').querySelector('.remaining').textContent = stateText(salesState(type, event), type, event);
    const choices = Math.min(type.maxPerOrder, type.remaining);
    [...quantity.options].slice(choices).forEach((option) => option.remove());
    if (choices === 0) {
      button.disabled = true;
      quantity.disabled = true;
    }
  }

  function showError(error) {
    button.textContent = action;
    quantity.disabled = false;
    let message = messageOf(error);
    let wait = 0;
    if (error.code === 'sold_out') message = t('event.error.soldOut');
    else if (error.code === 'sales_closed') message = t('event.error.salesClosed');
    else if (error.code === 'admission_required') {
      forgetAdmission(event.id);
      message = t('event.error.admission');
    }
    else if (error.status === 429) {
      wait = error.retryAfter ?? 10;
      message = t('event.error.tooMany', { seconds: wait });
    } else if (error.status === 503 || error.status === 0) message = t('event.error.retry', { message });
    const actions = error.code === 'admission_required'
      ? h('a', { class: 'button secondary', href: `/events/${event.id}/queue` }, t('event.joinQueue'))
      : error.code === 'sold_out' || error.code === 'sales_closed'
        ? h('button', { type: 'button', class: 'button secondary', onclick: reload }, t('event.refresh')) : null;
    replace(result, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, message), actions));
    if (wait > 0) {
      button.disabled = true;
      setTimeout(() => { button.disabled = false; }, wait * 1000);
    } else {
      button.disabled = false;
    }
  }

  const form = h('form', { class: 'purchase', onsubmit: submit, 'aria-label': paid ? t('event.reserveOf', { name: type.name }) : t('event.getOf', { name: type.name }) },
    h('label', { for: quantityId }, t('event.quantity')), quantity, button, result);
  return form;
}

/** crypto.randomUUID exists only in secure contexts (https, loopback); a page opened over plain http on a LAN address
 * still gets a random version-4 UUID from getRandomValues. */
function idempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function purchaseHeaders(event, key) {
  const admission = event.waitingRoom ? admissionFor(event.id) : null;
  return admission ? { 'Idempotency-Key': key, 'Boxoffice-Admission': admission.token } : { 'Idempotency-Key': key };
}
