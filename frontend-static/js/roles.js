/**
 * The signed-in person's roles as the backend grants them now. Called at sign-in and on each page load: the call
 * accepts the invitations waiting for this address (an organizer's door staff), and a role granted or revoked since
 * the token was issued shows at once.
 */
import { api } from './api.js';
import { currentSession, setRoles } from './session.js';

export async function syncRoles() {
  if (!currentSession()) return null;
  const me = await api('/me/sign-in', { method: 'POST' });
  setRoles(me.roles);
  return me;
}

/** The person's own grants (their request to organize, the teams they are on), without accepting anything. */
export function myGrants(signal) {
  return api('/me', { signal }).then((me) => me.grants);
}
