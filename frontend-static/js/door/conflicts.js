/**
 * The organizer's view of what offline doors' scans turned up: tickets let in twice (a copied QR code, or one ticket
 * at two doors with no network) and tickets let in though cancelled. Shown on the event's sales dashboard.
 */
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { h, replace, loading, errorBox, formatLocal } from '../dom.js';

const SHOWN = 50;

export function conflictsSection(eventId, signal) {
  const body = h('div', { 'aria-live': 'polite' });
  const section = h('section', { class: 'checkin-conflicts', 'aria-labelledby': 'conflicts-heading' },
    h('h2', { id: 'conflicts-heading' }, t('conflicts.title')), body);

  async function load() {
    replace(body, loading(t('conflicts.loading')));
    try {
      const { count, items } = await api(`/events/${eventId}/checkin-conflicts?limit=${SHOWN}`, { signal });
      replace(body,
        h('p', { class: count > 0 ? 'notice notice-warning' : 'hint' }, count === 0
          ? t('conflicts.none')
          : tn('conflicts.count', count)),
        items.length > 0 ? table(items) : null,
        count > items.length ? h('p', { class: 'hint' }, t('conflicts.firstShown', { shown: items.length })) : null,
        h('button', { type: 'button', class: 'button secondary', onclick: load }, t('conflicts.refresh')));
    } catch (error) {
      if (error.name !== 'AbortError') replace(body, errorBox(error, load));
    }
  }
  load();
  return section;
}

function table(items) {
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('conflicts.title') },
    h('table', {},
      h('thead', {}, h('tr', {}, ...['ticket', 'type', 'what', 'letIn', 'first']
        .map((column) => h('th', { scope: 'col' }, t(`conflicts.column.${column}`))))),
      h('tbody', {}, ...items.map((item) => h('tr', {},
        h('th', { scope: 'row' }, h('code', {}, item.ticketId)),
        h('td', {}, item.ticketType),
        h('td', {}, item.kind === 'duplicate' ? t('conflicts.twice') : t('conflicts.cancelled')),
        h('td', {}, scanText(item.scan)),
        h('td', {}, item.firstScan ? scanText(item.firstScan) : '—'))))));
}

function scanText(scan) {
  return [formatLocal(scan.at), scan.door, scan.by].filter(Boolean).join(' · ');
}
