/**
 * An event's waiting room: the buyer's place (how many are ahead, about how long), asked again as often as the
 * server says (2-30 s); when their turn comes, the admission is kept and the buyer goes on to the tickets.
 */
import { api } from '../api.js';
import { h, pageHeading, replace, formatInZone } from '../dom.js';
import { currentSession } from '../session.js';
import { signInPrompt } from './guards.js';
import { rememberAdmission } from '../admissions.js';

export async function render(view, { params, navigate }) {
  view.append(pageHeading('Waiting room'));
  if (!currentSession()) {
    view.append(signInPrompt('to join the queue'));
    return undefined;
  }
  const place = h('div', { class: 'queue-place', 'aria-live': 'polite', role: 'status' }, h('p', {}, 'Joining the queue…'));
  view.append(h('p', {}, 'This on-sale lets buyers in a few at a time. Keep this page open: it updates by itself, and a reload keeps your place.'), place);
  let timer = null;
  let stopped = false;

  async function visit() {
    let wait = 5;
    try {
      const status = await api(`/events/${params.eventId}/queue`, { method: 'POST' });
      wait = status.pollAfterSeconds;
      if (status.state === 'admitted') {
        rememberAdmission(params.eventId, status.admission, status.admissionExpiresAt);
        replace(place, h('div', { class: 'notice notice-success' },
          h('p', {}, h('strong', {}, 'It is your turn. ')), h('p', {}, `You may buy until ${new Date(status.admissionExpiresAt).toLocaleTimeString()}.`),
          h('p', {}, h('a', { class: 'button', href: `/events/${params.eventId}` }, 'Choose your tickets'))));
        return;
      }
      if (status.state === 'paused') {
        replace(place, h('p', {}, 'The queue is paused for a moment; your place is kept.'));
      } else {
        const opens = Date.parse(status.opensAt) > Date.now()
          ? h('p', {}, `The sale opens ${formatInZone(status.opensAt, Intl.DateTimeFormat().resolvedOptions().timeZone)}; then everyone who is here is put in random order.`)
          : null;
        replace(place, opens,
          h('p', { class: 'queue-ahead' }, status.ahead === 0 ? 'You are next.' : `${status.ahead} ${status.ahead === 1 ? 'person is' : 'people are'} ahead of you.`),
          h('p', { class: 'queue-wait' }, `Estimated wait: ${describeWait(status.estimatedWaitSeconds)}.`));
      }
    } catch (error) {
      if (error.name === 'AbortError') return;
      if (error.status === 404) {
        replace(place, h('p', {}, 'This event has no waiting room.'), h('p', {}, h('a', { href: `/events/${params.eventId}` }, 'Go to the event')));
        return;
      }
      wait = error.retryAfter ?? 10;
      replace(place, h('p', {}, error.code === 'waiting_room_paused' ? error.message : `${error.message} Trying again shortly; your place is kept.`));
    }
    if (!stopped) timer = setTimeout(visit, wait * 1000);
  }

  await visit();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function describeWait(seconds) {
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `about ${minutes} minute${minutes === 1 ? '' : 's'}` : `about ${Math.round(minutes / 60)} hours`;
}
