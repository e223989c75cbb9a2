/**
 * The organizer's events with their state and links to edit them and to their sales dashboards; for a signed-in
 * buyer, the request to become an organizer and its state.
 */
import { h, pageHeading, loading, empty, errorBox, replace, formatInZone, formatLocal, messageOf } from '../dom.js';
import { api } from '../api.js';
import { myEvents } from '../organizer-store.js';
import { currentSession, hasRole } from '../session.js';
import { myGrants } from '../roles.js';
import { t } from '../i18n.js';
import { signInPrompt } from './guards.js';

export async function render(view) {
  if (currentSession() && !hasRole('organizer')) return becomeOrganizer(view);
  view.append(pageHeading(t('organizer.title')));
  if (!currentSession()) {
    view.append(signInPrompt(t('organizer.gate')));
    return undefined;
  }
  const controller = new AbortController();
  const content = h('div', { 'aria-live': 'polite' });
  view.append(h('p', { class: 'actions' }, h('a', { class: 'button', href: '/organizer/events/new' }, t('organizer.create')),
    h('a', { class: 'button secondary', href: '/organizer/team' }, t('organizer.team'))), content);

  async function load() {
    replace(content, loading(t('organizer.loading')));
    try {
      const events = await myEvents(controller.signal);
      if (events.length === 0) {
        replace(content, empty(t('organizer.none')));
        return;
      }
      replace(content, h('ul', { class: 'organizer-events' }, ...events.map((event) => h('li', { class: 'organizer-event' },
        h('div', {},
          h('h2', {}, h('a', { href: `/organizer/events/${event.id}` }, event.title)),
          h('p', { class: 'card-meta' }, `${formatInZone(event.startsAt, event.timeZone)} · ${event.city}`)),
        h('span', { class: `badge badge-status-${event.status}` }, t(`organizer.status.${event.status}`)),
        h('a', { class: 'button secondary', href: `/organizer/events/${event.id}/dashboard`,
          'aria-label': t('organizer.salesOf', { title: event.title }) }, t('organizer.sales'))))));
    } catch (error) {
      if (error.name !== 'AbortError') replace(content, errorBox(error, load));
    }
  }
  await load();
  return () => controller.abort();
}

/** A buyer asks an administrator to let them organize, once; the page says where the request stands. */
async function becomeOrganizer(view) {
  view.append(pageHeading(t('organize.title')));
  const controller = new AbortController();
  const content = h('div', { 'aria-live': 'polite' });
  view.append(h('p', {}, t('organize.intro')), content);

  async function load() {
    replace(content, loading(t('organize.loading')));
    try {
      const request = (await myGrants(controller.signal)).find((grant) => grant.role === 'organizer');
      if (request?.state === 'requested') {
        replace(content, h('p', { class: 'notice' }, t('organize.waiting', { time: formatLocal(request.createdAt) })));
      } else {
        const button = h('button', { type: 'button', class: 'button', onclick: () => ask(button) }, t('organize.ask'));
        replace(content,
          request ? h('p', {}, t(`organize.was.${request.state}`, { time: formatLocal(request.changedAt) })) : null,
          h('div', { class: 'actions' }, button));
      }
    } catch (error) {
      if (error.name !== 'AbortError') replace(content, errorBox(error, load));
    }
  }

  async function ask(button) {
    button.disabled = true;
    try {
      await api('/me/organizer-request', { method: 'POST' });
      await load();
    } catch (error) {
      button.disabled = false;
      content.append(h('p', { class: 'state state-error', role: 'alert' }, messageOf(error)));
    }
  }

  await load();
  return () => controller.abort();
}
