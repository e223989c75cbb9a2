/**
 * One event: its details and ticket types, and buying tickets with an Idempotency-Key per purchase attempt: free
 * tickets are booked at once; priced ones are held for the event's hold time while the buyer pays on the hold's page.
 */
import { api } from '../api.js';
import { calendarLinks } from '../calendar.js';
import { t } from '../i18n.js';
import { h, pageHeading, loading, errorBox, replace, formatInZone, formatMoney, messageOf } from '../dom.js';
import { eventImage } from '../images.js';
import { salesState } from '../catalog.js';
import { currentSession } from '../session.js';
import { logActivity } from '../activity.js';
import { admissionFor, forgetAdmission } from '../admissions.js';

export async function render(view, { params, navigate }) {
  const controller = new AbortController();
  const load = async () => {
    replace(view, loading('Loading the event…'));
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
      replace(view, pageHeading(error.status === 404 ? 'Event not found' : 'Event unavailable'),
        errorBox(error.status === 404 ? { message: 'This event does not exist or is not published.' } : error,
          error.status === 404 ? null : load),
        h('p', {}, h('a', { href: '/' }, 'Back to the events')));
    }
  };
  await load();
  return () => controller.abort();
}

function eventPage(event, reload, navigate) {
  const cancelled = event.status === 'cancelled';
  return [
    h('p', { class: 'breadcrumb' }, h('a', { href: '/' }, '← All events')),
    h('article', { class: 'event' },
      eventImage(event, { className: 'event-image' }),
      h('div', { class: 'event-details' },
        pageHeading(event.title),
        cancelled ? h('p', { class: 'badge badge-cancelled' }, 'This event is cancelled') : null,
        h('dl', { class: 'facts' },
          h('dt', {}, 'When'), h('dd', {}, h('time', { datetime: event.startsAt }, formatInZone(event.startsAt, event.timeZone)),
            ' – ', h('time', { datetime: event.endsAt }, formatInZone(event.endsAt, event.timeZone))),
          h('dt', {}, 'Where'), h('dd', {}, `${event.venue}, ${event.city}`),
          h('dt', {}, 'Category'), h('dd', {}, event.category),
          h('dt', {}, t('event.calendar')), h('dd', {}, calendarLinks(event))),
        event.description ? h('p', { class: 'description' }, event.description) : null)),
    h('section', { 'aria-labelledby': 'tickets-heading' },
      h('h2', { id: 'tickets-heading' }, 'Tickets'),
      waitingRoomNotice(event),
      (event.ticketTypes ?? []).length === 0
        ? h('p', { class: 'state state-empty' }, 'No tickets are on sale for this event yet.')
        : h('ul', { class: 'ticket-types' }, ...event.ticketTypes.map((type) => ticketType(type, event, reload, navigate)))),
  ];
}

/** With a waiting room, tickets are bought with the admission the queue gives; without one, through the queue. */
function waitingRoomNotice(event) {
  if (!event.waitingRoom || event.status === 'cancelled') return null;
  const admission = admissionFor(event.id);
  if (admission) {
    return h('p', { class: 'notice notice-success' }, `It is your turn: buy until ${new Date(admission.expiresAt).toLocaleTimeString()}.`);
  }
  return h('div', { class: 'notice' },
    h('p', {}, 'This on-sale has a waiting room: buyers are let in a few at a time, in a fair order.'),
    h('p', {}, h('a', { class: 'button', href: `/events/${event.id}/queue` }, 'Join the queue')));
}

function ticketType(type, event, reload, navigate) {
  const sales = salesState(type, event);
  const headingId = `type-${type.id}`;
  return h('li', { class: 'ticket-type', 'aria-labelledby': headingId },
    h('div', { class: 'ticket-type-info' },
      h('h3', { id: headingId }, type.name),
      h('p', { class: 'price' }, type.priceMinor === 0 ? 'Free' : formatMoney(type.priceMinor, type.currency)),
      h('p', { class: 'remaining' }, stateText(sales, type, event))),
    sales.state === 'open' && (!event.waitingRoom || admissionFor(event.id)) ? purchaseForm(type, event, reload, navigate) : h('span', { class: `badge badge-${sales.state.replace('_', '-')}` }, badgeText(sales.state)));
}

function stateText(sales, type, event) {
  switch (sales.state) {
    case 'sold_out': return type.held > 0
      ? `No tickets left right now: ${type.held} are held by buyers who are paying. Unpaid ones go back on sale when their hold runs out.`
      : 'No tickets left.';
    case 'not_yet': return `Sales open ${formatInZone(sales.opensAt, event.timeZone)}.`;
    case 'ended': return 'Sales have ended.';
    case 'closed': return 'Sales are closed.';
    default: return `${type.remaining} left${type.held > 0 ? ` (${type.held} held by buyers paying now)` : ''}`
      + ` · up to ${type.maxPerOrder} per order${event.maxTicketsPerBuyer ? ` and ${event.maxTicketsPerBuyer} per buyer for this event` : ''}`
      + `${type.priceMinor > 0 ? ` · held ${event.holdMinutes ?? 10} minutes while you pay` : ''}`;
  }
}

function badgeText(state) {
  return { sold_out: 'Sold out', not_yet: 'Not on sale yet', ended: 'Sales ended', closed: 'Sales closed' }[state];
}

function purchaseForm(type, event, reload, navigate) {
  const paid = type.priceMinor > 0;
  const session = currentSession();
  if (!session) {
    const next = encodeURIComponent(location.pathname);
    return h('a', { class: 'button', href: `/sign-in?next=${next}` }, paid ? 'Sign in to buy' : 'Sign in to book');
  }
  const max = Math.min(type.maxPerOrder, type.remaining);
  const quantityId = `quantity-${type.id}`;
  const quantity = h('select', { id: quantityId, name: 'quantity' },
    ...Array.from({ length: max }, (_, i) => h('option', { value: i + 1 }, String(i + 1))));
  const action = paid ? 'Reserve' : 'Get tickets';
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
    button.textContent = paid ? 'Reserving…' : 'Booking…';
    replace(result, h('p', {}, paid ? 'Holding your tickets…' : 'Placing your order…'));
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
        h('p', {}, h('strong', {}, 'Order confirmed. '),
          `${order.quantity} × ${type.name}, ${formatMoney(order.totalMinor, order.currency)}.`),
        h('p', {}, h('a', { href: '/my/tickets' }, 'See my tickets'))));
      button.textContent = 'Get more';
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
    if (error.code === 'sold_out') message = 'Sold out: there are not enough tickets left for this quantity.';
    else if (error.code === 'sales_closed') message = 'Ticket sales are closed for this ticket type.';
    else if (error.code === 'admission_required') {
      forgetAdmission(event.id);
      message = 'Your turn from the waiting room has run out. Join the queue again to buy.';
    }
    else if (error.status === 429) {
      wait = error.retryAfter ?? 10;
      message = `Too many purchases in a short time. You can try again in ${wait} seconds.`;
    } else if (error.status === 503 || error.status === 0) message = `${message} Nothing was bought; try again.`;
    const actions = error.code === 'admission_required'
      ? h('a', { class: 'button secondary', href: `/events/${event.id}/queue` }, 'Join the queue')
      : error.code === 'sold_out' || error.code === 'sales_closed'
        ? h('button', { type: 'button', class: 'button secondary', onclick: reload }, 'Refresh availability') : null;
    replace(result, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, message), actions));
    if (wait > 0) {
      button.disabled = true;
      setTimeout(() => { button.disabled = false; }, wait * 1000);
    } else {
      button.disabled = false;
    }
  }

  const form = h('form', { class: 'purchase', onsubmit: submit, 'aria-label': `${paid ? 'Reserve' : 'Get'} ${type.name}` },
    h('label', { for: quantityId }, 'Quantity'), quantity, button, result);
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
