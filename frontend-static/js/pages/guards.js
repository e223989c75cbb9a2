/** What a page shows instead of itself when the visitor is not signed in or lacks the role it needs. */
import { h } from '../dom.js';
import { currentSession, hasRole } from '../session.js';
import { t } from '../i18n.js';

/** `purpose` is a phrase of the catalogue that ends "Please sign in …" ("to see attendees"). */
export function signInPrompt(purpose) {
  const next = encodeURIComponent(location.pathname + location.search);
  return h('div', { class: 'state state-empty' },
    h('p', {}, t('guard.signIn', { purpose })),
    h('a', { class: 'button', href: `/sign-in?next=${next}` }, t('guard.signInButton')));
}

/** null when the session has one of `roles`, else the element to show. */
export function roleGate(roles, purpose) {
  const allowed = [roles].flat();
  if (!currentSession()) return signInPrompt(purpose);
  if (allowed.some(hasRole)) return null;
  return h('div', { class: 'state state-error', role: 'alert' },
    h('p', {}, t('guard.noRole', {
      roles: allowed.map((role) => t(`guard.role.${role}`)).join(t('guard.and')), email: currentSession().email })));
}
