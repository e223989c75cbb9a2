/** The organizer's door staff: invite by email for one event or all, see who accepted, revoke, and the audit trail. */
import { h, pageHeading, loading, empty, errorBox, replace, field, showFieldError, clearFieldErrors, messageOf } from '../dom.js';
import { api } from '../api.js';
import { myEvents } from '../organizer-store.js';
import { t } from '../i18n.js';
import { roleGate } from './guards.js';
import { auditTable, scopeOf } from '../team-views.js';

export async function render(view) {
  view.append(pageHeading(t('team.title')));
  const gate = roleGate('organizer', t('team.gate'));
  if (gate) {
    view.append(gate);
    return undefined;
  }
  const controller = new AbortController();
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'off', required: true, maxlength: 254 });
  const scope = h('select', { name: 'eventId' }, h('option', { value: '' }, t('team.scope.all')));
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { novalidate: true, onsubmit: invite, class: 'team-invite' },
    h('h2', {}, t('team.invite')),
    h('p', {}, t('team.inviteHint')),
    field({ id: 'team-email', label: t('team.email'), input: email }),
    field({ id: 'team-scope', label: t('team.scope'), input: scope }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('team.inviteButton'))),
    status);
  const members = h('div', { 'aria-live': 'polite' });
  const audit = h('div');
  view.append(form, h('h2', {}, t('team.members')), members, h('h2', {}, t('team.audit')), audit);

  myEvents(controller.signal).then((events) => {
    scope.append(...events.filter((event) => event.status !== 'cancelled')
      .map((event) => h('option', { value: event.id }, event.title)));
  }).catch(() => null);

  async function load() {
    replace(members, loading(t('team.loading')));
    try {
      const [team, trail] = await Promise.all([
        api('/team', { signal: controller.signal }), api('/team/audit', { signal: controller.signal })]);
      replace(members, team.items.length === 0 ? empty(t('team.empty')) : memberTable(team.items));
      replace(audit, auditTable(trail.items, t('team.auditCaption')));
    } catch (error) {
      if (error.name !== 'AbortError') replace(members, errorBox(error, load));
    }
  }

  function memberTable(items) {
    return h('div', { class: 'table-scroll' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, t('team.members')),
      h('thead', {}, h('tr', {}, ...['email', 'scope', 'state', 'action'].map((name) => h('th', { scope: 'col' }, t(`team.column.${name}`))))),
      h('tbody', {}, ...items.map((grant) => h('tr', {},
        h('td', {}, grant.email),
        h('td', {}, scopeOf(grant)),
        h('td', {}, h('span', { class: `badge badge-grant-${grant.state}` }, t(`team.state.${grant.state}`))),
        h('td', {},
          h('button', { type: 'button', class: 'button secondary', onclick: (event) => revoke(grant, event.currentTarget),
            'aria-label': t('team.revokeOf', { email: grant.email }) }, t('team.revoke')),
          ' ',
          h('button', { type: 'button', class: 'button secondary', onclick: (event) => signOutEverywhere(grant, event.currentTarget),
            'aria-label': t('team.signOutOf', { email: grant.email }) }, t('team.signOut'))))))));
  }

  /** A lost phone or a revoked helper: every session of theirs ends, here and in the serverless routes, within a minute. */
  async function signOutEverywhere(grant, button) {
    button.disabled = true;
    try {
      await api('/session-revocations', { method: 'POST', body: { email: grant.email } });
      replace(status, h('p', { class: 'notice' }, t('team.signedOut', { email: grant.email })));
    } catch (error) {
      replace(status, h('p', { class: 'state state-error', role: 'alert' }, messageOf(error)));
    } finally {
      button.disabled = false;
    }
  }

  async function invite(event) {
    event.preventDefault();
    clearFieldErrors(form);
    replace(status);
    if (!email.value.trim() || !email.checkValidity()) {
      showFieldError(form, 'email', t('team.emailInvalid'));
      return;
    }
    const body = { email: email.value.trim() };
    if (scope.value) body.eventId = scope.value;
    try {
      const grant = await api('/team', { method: 'POST', body });
      replace(status, h('p', { class: 'notice' }, t('team.invited', { email: grant.email })));
      email.value = '';
      await load();
    } catch (error) {
      if (!(error.field && showFieldError(form, error.field, messageOf(error)))) {
        replace(status, h('p', { class: 'state state-error', role: 'alert' }, messageOf(error)));
      }
    }
  }

  async function revoke(grant, button) {
    button.disabled = true;
    try {
      await api(`/team/${grant.id}/revoke`, { method: 'POST' });
      replace(status, h('p', { class: 'notice' }, t('team.revoked', { email: grant.email })));
      await load();
    } catch (error) {
      button.disabled = false;
      replace(status, h('p', { class: 'state state-error', role: 'alert' }, messageOf(error)));
    }
  }

  await load();
  return () => controller.abort();
}
