/** The signed-in session: a bearer token kept in sessionStorage, so it ends with the tab. */

const KEY = 'boxoffice.session';
const listeners = new Set();

export function currentSession() {
  let stored;
  try {
    stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    stored = null;
  }
  if (!stored?.token) return null;
  if (stored.expiresAt && Date.parse(stored.expiresAt) <= Date.now()) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return stored;
}

/** Stores a token; its claims are read for display only, the servers verify them. */
export function signIn({ token, expiresAt }) {
  const claims = claimsOf(token);
  const session = {
    token,
    expiresAt: expiresAt ?? (claims.exp ? new Date(claims.exp * 1000).toISOString() : null),
    email: claims.email ?? claims.sub ?? '',
    roles: Array.isArray(claims.roles) ? claims.roles : [],
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((listener) => listener(session));
  return session;
}

/**
 * The Sign out button: the backend revokes the token (every backend and the serverless routes refuse it within a
 * minute, so a copy of it is worth nothing), then the tab forgets it. keepalive lets the request finish if the page
 * goes away meanwhile; a network failure still signs the tab out.
 */
export async function endSession() {
  const session = currentSession();
  signOut();
  if (!session) return;
  try {
    await fetch('/api/me/sign-out', { method: 'POST', keepalive: true, headers: { Authorization: `Bearer ${session.token}` } });
  } catch {
    // The token stays valid until it expires; nothing in this tab holds it any more.
  }
}

/** Forgets the session in this tab (the token was refused, or the user signed out). */
export function signOut() {
  sessionStorage.removeItem(KEY);
  // The copy a prepared check-in door keeps (door/door-session.js).
  localStorage.removeItem('boxoffice.door.session');
  listeners.forEach((listener) => listener(null));
}

/** The roles the backend found for this session (the grants, which may differ from the token's claims). */
export function setRoles(roles) {
  const session = currentSession();
  if (!session) return;
  const updated = { ...session, roles };
  sessionStorage.setItem(KEY, JSON.stringify(updated));
  listeners.forEach((listener) => listener(updated));
}

export function hasRole(role) {
  return currentSession()?.roles.includes(role) ?? false;
}

export function onSessionChange(listener) {
  listeners.add(listener);
}

function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent([...atob(payload)].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
    return JSON.parse(json);
  } catch {
    return {};
  }
}
