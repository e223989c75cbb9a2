/**
 * An event's waiting room: the buyer's place (how many are ahead, about how long), asked again as often as the
 * server says (2-30 s); when their turn comes, the admission is kept and the buyer goes on to the tickets. At a
 * sold-out sale the place is kept and the page says so (unpaid holds put tickets back).
 */
import { api } from '../api.js';
import { h, pageHeading, replace, formatInZone } from '../dom.js';
import { currentSession } from '../session.js';
import { signInPrompt } from './guards.js';
import { rememberAdmission } from '../admissions.js';
import { currentLocale, t, tn } from '../i18n.js';

export async function render(view, { params, navigate }) {
  view.append(pageHeading(t('queue.title')));
  if (!currentSession()) {
    view.append(signInPrompt(t('queue.gate')));
    return undefined;
  }
  const place = h('div', { class: 'queue-place', 'aria-live': 'polite', role: 'status' }, h('p', {}, t('queue.joining')));
  view.append(h('p', {}, t('queue.intro')), place);
  let timer = null;
  let stopped = false;

  // A busy backend's arrival ticket, handed back until a visit is made: the place then counts from that arrival
  // (before the opening, a draw in the pre-queue). Kept in the tab's storage, so a reload keeps it too.
  const arrivalKey = `boxoffice.arrival.${params.eventId}`;

  async function visit() {
    let waitMs = 5000;
    try {
      const arrival = sessionStorage.getItem(arrivalKey);
      const status = await api(`/events/${params.eventId}/queue`,
        { method: 'POST', headers: arrival ? { 'Boxoffice-Arrival': arrival } : {} });
      sessionStorage.removeItem(arrivalKey);
      // To the millisecond: within 4 s of the turn, the turn itself (when it is heard of does not follow arrival).
      waitMs = status.pollAfterMillis ?? status.pollAfterSeconds * 1000;
      if (status.state === 'admitted') {
        rememberAdmission(params.eventId, status.admission, status.admissionExpiresAt);
        replace(place, h('div', { class: 'notice notice-success' },
          h('p', {}, h('strong', {}, t('queue.yourTurn'))), h('p', {}, t('queue.buyUntil', { time: new Date(status.admissionExpiresAt).toLocaleTimeString(currentLocale()) })),
          status.soldOut ? h('p', { class: 'queue-sold-out' }, t('queue.soldOutAdmitted')) : null,
          h('p', {}, h('a', { class: 'button', href: `/events/${params.eventId}` }, t('queue.choose')))));
        return;
      }
      if (status.state === 'paused') {
        replace(place, h('p', {}, t('queue.paused')));
      } else {
        const opens = Date.parse(status.opensAt) > Date.now()
          ? h('p', {}, t('queue.opens', { time: formatInZone(status.opensAt, Intl.DateTimeFormat().resolvedOptions().timeZone) }))
          : null;
        replace(place, opens,
          h('p', { class: 'queue-ahead' }, status.ahead === 0 ? t('queue.next') : tn('queue.ahead', status.ahead)),
          h('p', { class: 'queue-wait' }, t('queue.wait', { wait: describeWait(status.estimatedWaitSeconds) })),
          status.soldOut ? h('p', { class: 'notice notice-warning queue-sold-out' }, t('queue.soldOut')) : null);
      }
    } catch (error) {
      if (error.name === 'AbortError') return;
      if (error.status === 404) {
        replace(place, h('p', {}, t('queue.none')), h('p', {}, h('a', { href: `/events/${params.eventId}` }, t('queue.toEvent'))));
        return;
      }
      waitMs = (error.retryAfter ?? 10) * 1000;
      if (error.arrival) sessionStorage.setItem(arrivalKey, error.arrival);
      const said = { waiting_room_paused: t('queue.paused'), waiting_room_busy: t('queue.busy') }[error.code];
      replace(place, h('p', {}, said ?? t('queue.retrying', { message: error.message })));
    }
    if (!stopped) timer = setTimeout(visit, waitMs);
  }

  await visit();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function describeWait(seconds) {
  if (seconds < 60) return t('queue.underAMinute');
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? tn('queue.minutes', minutes) : tn('queue.hours', Math.round(minutes / 60));
}
