/** The organizer's events with their state and links to edit them and to their sales dashboards. */
import { h, pageHeading, loading, empty, errorBox, replace, formatInZone } from '../dom.js';
import { myEvents } from '../organizer-store.js';
import { roleGate } from './guards.js';

export async function render(view) {
  view.append(pageHeading('My events'));
  const gate = roleGate('organizer', 'to manage your events');
  if (gate) {
    view.append(gate);
    return undefined;
  }
  const controller = new AbortController();
  const content = h('div', { 'aria-live': 'polite' });
  view.append(h('p', {}, h('a', { class: 'button', href: '/organizer/events/new' }, 'Create an event')), content);

  async function load() {
    replace(content, loading('Loading your events…'));
    try {
      const events = await myEvents(controller.signal);
      if (events.length === 0) {
        replace(content, empty('You have no events yet. Create your first one.'));
        return;
      }
      replace(content, h('ul', { class: 'organizer-events' }, ...events.map((event) => h('li', { class: 'organizer-event' },
        h('div', {},
          h('h2', {}, h('a', { href: `/organizer/events/${event.id}` }, event.title)),
          h('p', { class: 'card-meta' }, `${formatInZone(event.startsAt, event.timeZone)} · ${event.city}`)),
        h('span', { class: `badge badge-status-${event.status}` }, event.status),
        h('a', { class: 'button secondary', href: `/organizer/events/${event.id}/dashboard`,
          'aria-label': `Sales of ${event.title}` }, 'Sales')))));
    } catch (error) {
      if (error.name !== 'AbortError') replace(content, errorBox(error, load));
    }
  }
  await load();
  return () => controller.abort();
}
