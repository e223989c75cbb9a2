/**
 * Waiting-room admissions the queue gave this tab, per event, until they expire. Kept in sessionStorage, so a reload
 * keeps them; the place in the queue itself is kept by the server, per buyer.
 */
const KEY = 'boxoffice.admissions';

function all() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

export function rememberAdmission(eventId, token, expiresAt) {
  sessionStorage.setItem(KEY, JSON.stringify({ ...all(), [eventId]: { token, expiresAt } }));
}

/** The admission to the event, or null when there is none or it ran out. */
export function admissionFor(eventId) {
  const admission = all()[eventId];
  return admission && Date.parse(admission.expiresAt) > Date.now() ? admission : null;
}

export function forgetAdmission(eventId) {
  const kept = all();
  delete kept[eventId];
  sessionStorage.setItem(KEY, JSON.stringify(kept));
}
