/**
 * A prepared door keeps its staff member's session on the device (localStorage), so the installed app reopened
 * without network still scans, and syncs later, until the token expires. Everywhere else the session lives in
 * sessionStorage and ends with the tab; signing out (session.js) forgets this copy too.
 */
import { currentSession, signIn } from '../session.js';

export const DOOR_SESSION_KEY = 'boxoffice.door.session';

export function rememberDoorSession() {
  const session = currentSession();
  if (session) localStorage.setItem(DOOR_SESSION_KEY, JSON.stringify({ token: session.token, expiresAt: session.expiresAt }));
}

/** Signs the tab in with the door's session when it has none and the door's has not expired. */
export function restoreDoorSession() {
  if (currentSession()) return;
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(DOOR_SESSION_KEY) ?? 'null');
  } catch {
    stored = null;
  }
  if (stored?.token && stored.expiresAt && Date.parse(stored.expiresAt) > Date.now()) signIn(stored);
  else localStorage.removeItem(DOOR_SESSION_KEY);
}
