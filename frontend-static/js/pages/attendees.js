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
import { currentLocale, t } from '../i18n.js';

const RECONNECT_MS = 3000;

export async function render(view, { params }) {
  const { eventId } = params;
  const heading = pageHeading(t('attendees.title'));
  view.append(h('p', { class: 'breadcrumb' }, h('a', { href: `/organizer/events/${eventId}/dashboard` }, t('attendees.back'))), heading);
  const gate = roleGate('organizer', t('attendees.gate'));
  if (gate) {
    view.append(gate);
    return undefined;
  }
  const controller = new AbortController();
  const live = h('section', { class: 'live-counts', 'aria-labelledby': 'live-heading' },
    h('h2', { id: 'live-heading' }, t('attendees.live')), h('p', { class: 'live-state' }, t('attendees.connecting')));
  const search = h('input', { type: 'search', name: 'q', maxlength: 200, autocomplete: 'off' });
  const ticketType = h('select', { name: 'ticketTypeId' }, h('option', { value: '' }, t('attendees.allTypes')));
  const status = h('select', { name: 'status' }, h('option', { value: '' }, t('attendees.anyState')),
    ...['valid', 'checked_in', 'cancelled'].map((value) => h('option', { value }, t(`attendees.state.${value}`))));
  const form = h('form', { class: 'attendee-filters', role: 'search', 'aria-label': t('attendees.title'), onsubmit: (submitted) => { submitted.preventDefault(); reload(); } },
    field({ id: 'attendee-search', label: t('attendees.search'), input: search, hint: t('attendees.searchHint') }),
    field({ id: 'attendee-type', label: t('attendees.ticketType'), input: ticketType }),
    field({ id: 'attendee-status', label: t('attendees.state'), input: status }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, t('attendees.searchButton')),
      h('button', { type: 'button', class: 'button secondary', onclick: () => download() }, t('attendees.download'))));
  const result = h('div', { 'aria-live': 'polite' });
  const rows = h('tbody');
  const table = h('div', { class: 'table-scroll' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, t('attendees.caption')),
    h('thead', {}, h('tr', {}, ...['email', 'type', 'price', 'state', 'purchased', 'ticket'].map((name) => h('th', { scope: 'col' }, t(`attendees.column.${name}`))))),
    rows));
  const more = h('div', { class: 'more' });
  view.append(live, form, result, table, more);
  table.hidden = true;

  myEvent(eventId, controller.signal).then((event) => {
    heading.textContent = t('attendees.titleOf', { title: event.title });
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
    replace(result, loading(t('attendees.loading')));
    try {
      const page = await api(`/events/${eventId}/attendees?${query({ limit: '50', ...(cursor ? { cursor } : {}) })}`, { signal: controller.signal });
      const first = !cursor;
      cursor = page.nextCursor ?? null;
      replace(result);
      if (first && page.items.length === 0) replace(result, empty(t('attendees.none')));
      table.hidden = first && page.items.length === 0;
      rows.append(...page.items.map(row));
      if (cursor) replace(more, h('button', { type: 'button', class: 'button secondary', onclick: loadPage }, t('attendees.more')));
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
      if (error.name !== 'AbortError') replace(result, errorBox(error instanceof ApiError ? error : { message: t('attendees.downloadFailed') }));
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
    h('td', {}, attendee.unitPriceMinor === 0 ? t('attendees.free') : formatMoney(attendee.unitPriceMinor, attendee.currency)),
    h('td', {}, attendee.checkedInAt ? t('attendees.checkedInAt', { time: formatLocal(attendee.checkedInAt) }) : t(`attendees.state.${attendee.status}`)),
    h('td', {}, formatLocal(attendee.purchasedAt)),
    h('td', {}, h('code', { class: 'ticket-id' }, attendee.ticketId)));
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
    state.textContent = t('attendees.reconnecting');
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}

function showCounts(state, { issued, checkedIn }) {
  const share = new Intl.NumberFormat(currentLocale(), { style: 'percent' }).format(issued === 0 ? 0 : checkedIn / issued);
  const count = new Intl.NumberFormat(currentLocale());
  state.textContent = t('attendees.counts', { checkedIn: count.format(checkedIn), issued: count.format(issued), share });
  state.dataset.checkedIn = String(checkedIn);
}
