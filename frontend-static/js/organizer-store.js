/**
 * The organizer's events. The API has no "my events" list yet, so the events this browser created or changed are
 * remembered in localStorage (per organizer) and used when GET /api/me/events is not there.
 */
import { api } from './api.js';
import { currentSession } from './session.js';

function key() {
  return `boxoffice.organizer.events.${currentSession()?.email ?? ''}`;
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(key()) ?? '[]');
  } catch {
    return [];
  }
}

export function rememberEvent(event) {
  const known = rememberedEvent(event.id);
  const merged = event.ticketTypes || !known ? event : { ...event, ticketTypes: known.ticketTypes };
  const events = remembered().filter((other) => other.id !== event.id);
  events.unshift(merged);
  localStorage.setItem(key(), JSON.stringify(events.slice(0, 100)));
  return merged;
}

/** Keeps a created or changed ticket type in the remembered event, whose draft the API does not answer. */
export function rememberTicketType(type) {
  const event = rememberedEvent(type.eventId);
  if (!event) return;
  const others = (event.ticketTypes ?? []).filter((known) => known.id !== type.id);
  const position = (event.ticketTypes ?? []).findIndex((known) => known.id === type.id);
  others.splice(position < 0 ? others.length : position, 0, type);
  rememberEvent({ ...event, ticketTypes: others });
}

export function rememberedEvent(eventId) {
  return remembered().find((event) => event.id === eventId) ?? null;
}

export async function myEvents(signal) {
  try {
    const page = await api('/me/events?limit=100', { signal });
    return page.items;
  } catch (error) {
    if (error.status !== 404) throw error;
    return remembered();
  }
}

/** The freshest copy of one of the organizer's events: the public answer when it is published, else the remembered one. */
export async function myEvent(eventId, signal) {
  try {
    return rememberEvent(await api(`/events/${eventId}`, { signal }));
  } catch (error) {
    const known = rememberedEvent(eventId);
    if (error.status === 404 && known) return known;
    throw error;
  }
}
