/**
 * "Add to calendar" for an event: the .ics file the backend writes (RFC 5545, venue's time zone), and links that
 * open Google Calendar's and Outlook.com's new-event forms already filled in. The links carry UTC times, which
 * both services show in the viewer's own zone.
 */
import { h } from './dom.js';
import { t } from './i18n.js';

function utcStamp(instant) {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function eventUrl(event) {
  return `${window.location.origin}/events/${event.id}`;
}

export function googleCalendarUrl(event) {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.title,
    dates: `${utcStamp(event.startsAt)}/${utcStamp(event.endsAt)}`,
    details: `${event.description ? `${event.description}\n\n` : ''}${eventUrl(event)}`,
    location: `${event.venue}, ${event.city}`,
    ctz: event.timeZone,
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}

export function outlookCalendarUrl(event) {
  const params = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.title,
    startdt: new Date(event.startsAt).toISOString(),
    enddt: new Date(event.endsAt).toISOString(),
    body: `${event.description ? `${event.description}\n\n` : ''}${eventUrl(event)}`,
    location: `${event.venue}, ${event.city}`,
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${params}`;
}

/** The three ways to put `event` in a calendar, as a labelled list of links. */
export function calendarLinks(event) {
  const external = { target: '_blank', rel: 'noopener noreferrer' };
  return h('ul', { class: 'calendar-links', 'aria-label': t('calendar.label', { title: event.title }) },
    h('li', {}, h('a', { href: `/api/events/${event.id}/calendar.ics`, download: '', class: 'calendar-ics' }, t('calendar.ics'))),
    h('li', {}, h('a', { href: googleCalendarUrl(event), ...external }, t('calendar.google'), h('span', { class: 'visually-hidden' }, t('calendar.newTab')))),
    h('li', {}, h('a', { href: outlookCalendarUrl(event), ...external }, t('calendar.outlook'), h('span', { class: 'visually-hidden' }, t('calendar.newTab')))));
}
