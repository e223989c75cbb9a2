/**
 * An event's attendees for its organizer: search by email or ticket id, filters by ticket type and check-in state,
 * pages by cursor, the CSV export of what the filters select, and the check-in counts live from the server's
 * Server-Sent Events (read with fetch, since EventSource cannot send the session's Authorization header).
 */
import { api, ApiError, errorOf } from '../api.js';
import { h, pageHeading, loading, empty, errorBox, replace, field, formatMoney, formatLocal } from '../dom.js';
import { currentSession } from '../session.js';
import { myEvent } from '../organizer-store.js';
import { roleGate } from './guards.js';

const STATUS_TEXT = { valid: 'Not checked in', checked_in: 'Checked in', cancelled: 'Cancelled' };
const RECONNECT_MS = 3000;

export async function render(view, { params }) {
  const { eventId } = params;
  const heading = pageHeading('Attendees');
  view.append(h('p', { class: 'breadcrumb' }, h('a', { href: `/organizer/events/${eventId}/dashboard` }, '← Sales dashboard')), heading);
  const gate = roleGate('organizer', 'to see attendees');
  if (gate) {
    view.append(gate);
    return undefined;
  }
  const controller = new AbortController();
  const live = h('section', { class: 'live-counts', 'aria-labelledby': 'live-heading' },
    h('h2', { id: 'live-heading' }, 'Check-in'), h('p', { class: 'live-state' }, 'Connecting…'));
  const search = h('input', { type: 'search', name: 'q', maxlength: 200, autocomplete: 'off' });
  const ticketType = h('select', { name: 'ticketTypeId' }, h('option', { value: '' }, 'All ticket types'));
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'Any state'),
    ...Object.entries(STATUS_TEXT).map(([value, text]) => h('option', { value }, text)));
  const form = h('form', { class: 'attendee-filters', role: 'search', 'aria-label': 'Attendees', onsubmit: (submitted) => { submitted.preventDefault(); reload(); } },
    field({ id: 'attendee-search', label: 'Search', input: search, hint: 'Part of an email, or the start of a ticket or order number' }),
    field({ id: 'attendee-type', label: 'Ticket type', input: ticketType }),
    field({ id: 'attendee-status', label: 'Check-in', input: status }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, 'Search'),
      h('button', { type: 'button', class: 'button secondary', onclick: () => download() }, 'Download CSV')));
  const result = h('div', { 'aria-live': 'polite' });
  const rows = h('tbody');
  const table = h('div', { class: 'table-scroll' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Tickets of this event'),
    h('thead', {}, h('tr', {}, ...['Email', 'Ticket type', 'Price', 'State', 'Purchased', 'Ticket'].map((name) => h('th', { scope: 'col' }, name)))),
    rows));
  const more = h('div', { class: 'more' });
  view.append(live, form, result, table, more);
  table.hidden = true;

  myEvent(eventId, controller.signal).then((event) => {
    heading.textContent = `Attendees: ${event.title}`;
    document.title = `${heading.textContent} · Boxoffice`;
    for (const type of event.ticketTypes ?? []) ticketType.append(h('option', { value: type.id }, type.name));
  }).catch(() => {});

  function query(extra = {}) {
    const values = new URLSearchParams();
    if (search.value.trim()) values.set('q', search.value.trim());
    if (ticketType.value) values.set('ticketTypeId', ticketType.value);
    if (status.value) values.set('status', status.value);
    for (const [name, value] of Object.entries(extra)) values.set(name, value);
    return values;
  }

  let cursor = null;
  async function loadPage() {
    replace(more);
    replace(result, loading('Loading attendees…'));
    try {
      const page = await api(`/events/${eventId}/attendees?${query({ limit: '50', ...(cursor ? { cursor } : {}) })}`, { signal: controller.signal });
      const first = !cursor;
      cursor = page.nextCursor ?? null;
      replace(result);
      if (first && page.items.length === 0) replace(result, empty('No ticket matches.'));
      table.hidden = first && page.items.length === 0;
      rows.append(...page.items.map(row));
      if (cursor) replace(more, h('button', { type: 'button', class: 'button secondary', onclick: loadPage }, 'Load more'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(result, errorBox(error, loadPage));
    }
  }

  function reload() {
    cursor = null;
    rows.replaceChildren();
    loadPage();
  }

  async function download() {
    try {
      const session = currentSession();
      const response = await fetch(`/api/events/${eventId}/attendees.csv?${query()}`,
        { headers: session ? { Authorization: `Bearer ${session.token}` } : {}, signal: controller.signal });
      if (!response.ok) throw errorOf(response, await response.json().catch(() => null));
      const url = URL.createObjectURL(await response.blob());
      const link = h('a', { href: url, download: `attendees-${eventId}.csv`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      if (error.name !== 'AbortError') replace(result, errorBox(error instanceof ApiError ? error : { message: 'The download failed.' }));
    }
  }

  followCheckIns(eventId, live, controller.signal);
  loadPage();
  return () => controller.abort();
}

function row(attendee) {
  return h('tr', { dataset: { ticketId: attendee.ticketId } },
    h('td', {}, attendee.buyerEmail),
    h('td', {}, attendee.ticketTypeName),
    h('td', {}, attendee.unitPriceMinor === 0 ? 'Free' : formatMoney(attendee.unitPriceMinor, attendee.currency)),
    h('td', {}, attendee.checkedInAt ? `${STATUS_TEXT.checked_in} ${formatLocal(attendee.checkedInAt)}` : STATUS_TEXT[attendee.status]),
    h('td', {}, formatLocal(attendee.purchasedAt)),
    h('td', {}, h('code', {}, attendee.ticketId.slice(0, 8))));
}

/** Shows "n of m checked in" from the live stream, reconnecting after a drop as EventSource would. */
async function followCheckIns(eventId, section, signal) {
  const state = section.querySelector('.live-state');
  while (!signal.aborted) {
    try {
      const session = currentSession();
      const response = await fetch(`/api/events/${eventId}/checkins/live`,
        { headers: session ? { Authorization: `Bearer ${session.token}` } : {}, signal });
      if (!response.ok) {
        state.textContent = errorOf(response, await response.json().catch(() => null)).message;
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const message = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = message.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data && /^event: counts$/m.test(message)) showCounts(state, JSON.parse(data));
        }
      }
    } catch (error) {
      if (error.name === 'AbortError') return;
    }
    state.textContent = 'Reconnecting…';
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}

function showCounts(state, { issued, checkedIn }) {
  const share = issued === 0 ? 0 : Math.round((checkedIn / issued) * 100);
  state.textContent = `${checkedIn} of ${issued} tickets checked in (${share}%)`;
  state.dataset.checkedIn = String(checkedIn);
}
