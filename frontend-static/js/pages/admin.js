/** For administrators: the requests to organize (approve or refuse), the organizers (revoke) and the audit trail. */
import { h, pageHeading, loading, empty, errorBox, replace, formatLocal, messageOf } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { roleGate } from './guards.js';
import { auditTable } from '../team-views.js';

export async function render(view) {
  view.append(pageHeading(t('admin.title')));
  const gate = roleGate('admin', t('admin.gate'));
  if (gate) {
    view.append(gate);
    return undefined;
  }
  const controller = new AbortController();
  const status = h('div', { 'aria-live': 'polite' });
  const requests = h('div');
  const organizers = h('div');
  const audit = h('div');
  view.append(status, h('h2', {}, t('admin.requests')), requests, h('h2', {}, t('admin.organizers')), organizers,
    h('h2', {}, t('admin.audit')), audit);

  async function load() {
    replace(requests, loading(t('admin.loading')));
    try {
      const [grants, trail] = await Promise.all([
        api('/admin/organizers', { signal: controller.signal }),
        api('/admin/organizers/audit', { signal: controller.signal })]);
      const waiting = grants.items.filter((grant) => grant.state === 'requested');
      const active = grants.items.filter((grant) => grant.state === 'active');
      replace(requests, waiting.length === 0 ? empty(t('admin.noRequests'))
        : h('ul', { class: 'organizer-events' }, ...waiting.map((grant) => h('li', { class: 'organizer-event' },
          h('div', {}, h('strong', {}, grant.email), h('p', { class: 'card-meta' }, t('admin.requestedAt', { time: formatLocal(grant.createdAt) }))),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'button', 'aria-label': t('admin.approveOf', { email: grant.email }),
              onclick: (event) => decide(grant, 'approve', event.currentTarget) }, t('admin.approve')),
            h('button', { type: 'button', class: 'button secondary', 'aria-label': t('admin.refuseOf', { email: grant.email }),
              onclick: (event) => decide(grant, 'refuse', event.currentTarget) }, t('admin.refuse')))))));
      replace(organizers, active.length === 0 ? empty(t('admin.noOrganizers'))
        : h('ul', { class: 'organizer-events' }, ...active.map((grant) => h('li', { class: 'organizer-event' },
          h('strong', {}, grant.email),
          h('button', { type: 'button', class: 'button secondary', 'aria-label': t('admin.revokeOf', { email: grant.email }),
            onclick: (event) => decide(grant, 'revoke', event.currentTarget) }, t('admin.revoke'))))));
      replace(audit, auditTable(trail.items, t('admin.auditCaption')));
    } catch (error) {
      if (error.name !== 'AbortError') replace(requests, errorBox(error, load));
    }
  }

  async function decide(grant, decision, button) {
    button.disabled = true;
    try {
      await api(`/admin/organizers/${grant.id}/${decision}`, { method: 'POST' });
      replace(status, h('p', { class: 'notice' }, t(`admin.done.${decision}`, { email: grant.email })));
      await load();
    } catch (error) {
      button.disabled = false;
      replace(status, h('p', { class: 'state state-error', role: 'alert' }, messageOf(error)));
    }
  }

  await load();
  return () => controller.abort();
}
