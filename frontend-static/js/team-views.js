/** What the team and admin pages share: the audit trail as a table, and a grant's scope in words. */
import { h, formatLocal } from './dom.js';
import { t } from './i18n.js';

export function auditTable(entries, caption) {
  if (entries.length === 0) return h('p', {}, t('audit.none'));
  return h('div', { class: 'table-scroll' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...['at', 'actor', 'action', 'email'].map((name) => h('th', { scope: 'col' }, t(`audit.column.${name}`))))),
    h('tbody', {}, ...entries.map((entry) => h('tr', {},
      h('td', {}, formatLocal(entry.at)),
      h('td', {}, entry.actor === 'configuration' ? t('audit.configuration') : entry.actor),
      h('td', {}, t(`audit.action.${entry.action}`)),
      h('td', {}, entry.email))))));
}

/** Where door staff check tickets in: one event, or all of the organizer's. */
export function scopeOf(grant) {
  return grant.eventId ? t('team.scope.event', { title: grant.eventTitle ?? grant.eventId }) : t('team.scope.all');
}
