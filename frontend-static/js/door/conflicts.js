/**
 * The organizer's view of what offline doors' scans turned up: tickets let in twice (a copied QR code, or one ticket
 * at two doors with no network) and tickets let in though cancelled. Shown on the event's sales dashboard.
 */
import { api } from '../api.js';
import { h, replace, loading, errorBox, formatLocal } from '../dom.js';

const SHOWN = 50;

export function conflictsSection(eventId, signal) {
  const body = h('div', { 'aria-live': 'polite' });
  const section = h('section', { class: 'checkin-conflicts', 'aria-labelledby': 'conflicts-heading' },
    h('h2', { id: 'conflicts-heading' }, 'Check-in conflicts'), body);

  async function load() {
    replace(body, loading('Loading check-in conflicts…'));
    try {
      const { count, items } = await api(`/events/${eventId}/checkin-conflicts?limit=${SHOWN}`, { signal });
      replace(body,
        h('p', { class: count > 0 ? 'notice notice-warning' : 'hint' }, count === 0
          ? 'No conflicts: no ticket was let in twice, and no cancelled ticket was let in.'
          : `${count} conflict${count === 1 ? '' : 's'}: tickets let in twice, or let in though cancelled, found when offline doors synced.`),
        items.length > 0 ? table(items) : null,
        count > items.length ? h('p', { class: 'hint' }, `The first ${items.length} are shown.`) : null,
        h('button', { type: 'button', class: 'button secondary', onclick: load }, 'Refresh conflicts'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(body, errorBox(error, load));
    }
  }
  load();
  return section;
}

function table(items) {
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Check-in conflicts' },
    h('table', {},
      h('thead', {}, h('tr', {}, ...['Ticket', 'Type', 'What happened', 'Let in', 'First entry']
        .map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, ...items.map((item) => h('tr', {},
        h('th', { scope: 'row' }, h('code', {}, item.ticketId)),
        h('td', {}, item.ticketType),
        h('td', {}, item.kind === 'duplicate' ? 'Let in twice' : 'Let in though cancelled'),
        h('td', {}, scanText(item.scan)),
        h('td', {}, item.firstScan ? scanText(item.firstScan) : '—'))))));
}

function scanText(scan) {
  return [formatLocal(scan.at), scan.door, scan.by].filter(Boolean).join(' · ');
}
