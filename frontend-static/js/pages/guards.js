/** What a page shows instead of itself when the visitor is not signed in or lacks the role it needs. */
import { h } from '../dom.js';
import { currentSession, hasRole } from '../session.js';

export function signInPrompt(purpose) {
  const next = encodeURIComponent(location.pathname + location.search);
  return h('div', { class: 'state state-empty' },
    h('p', {}, `Please sign in ${purpose}.`),
    h('a', { class: 'button', href: `/sign-in?next=${next}` }, 'Sign in'));
}

/** null when the session has one of `roles`, else the element to show. */
export function roleGate(roles, purpose) {
  const allowed = [roles].flat();
  if (!currentSession()) return signInPrompt(purpose);
  if (allowed.some(hasRole)) return null;
  return h('div', { class: 'state state-error', role: 'alert' },
    h('p', {}, `This page is for ${allowed.map(describe).join(' and ')}. Your account (${currentSession().email}) has no such role.`));
}

function describe(role) {
  return { organizer: 'organizers', staff: 'door staff' }[role] ?? role;
}
