/** The public events list: search, category and city filters, cursor paging with "Load more". */
import { api } from '../api.js';
import { h, pageHeading, loading, empty, errorBox, replace, formatInZone } from '../dom.js';
import { eventImage } from '../images.js';
import { isSoldOut, lowestPrice, priceLabel } from '../catalog.js';
import { logActivity } from '../activity.js';
import { t } from '../i18n.js';

const PAGE_SIZE = 12;

export function render(view, { query, navigate }) {
  const filters = { q: query.get('q') ?? '', category: query.get('category') ?? '', city: query.get('city') ?? '' };
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('events.find'), onsubmit: onSearch },
    filterField('search-q', t('events.search'), 'q', filters.q, 'search', t('events.searchPlaceholder')),
    filterField('search-category', t('events.category'), 'category', filters.category, 'text', t('events.categoryPlaceholder')),
    filterField('search-city', t('events.city'), 'city', filters.city, 'text', t('events.cityPlaceholder')),
    h('div', { class: 'filters-actions' },
      h('button', { type: 'submit', class: 'button' }, t('events.search')),
      filters.q || filters.category || filters.city
        ? h('a', { href: '/', class: 'button secondary' }, t('events.clear')) : null));
  const list = h('ul', { class: 'cards', 'aria-label': t('nav.events') });
  const status = h('div', { class: 'list-status', 'aria-live': 'polite' });
  const more = h('div', { class: 'more' });
  view.append(pageHeading(t('events.title')), form, status, list, more);

  const controller = new AbortController();
  let cursor = null;

  async function loadPage() {
    replace(more);
    replace(status, loading(cursor ? t('events.loadingMore') : t('events.loading')));
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
    if (cursor) params.set('cursor', cursor);
    try {
      const page = await api(`/events?${params}`, { auth: false, signal: controller.signal });
      const firstPage = !cursor;
      cursor = page.nextCursor ?? null;
      page.items.forEach((event) => list.append(card(event, controller.signal)));
      if (firstPage && page.items.length === 0) {
        replace(status, empty(filters.q || filters.category || filters.city
          ? t('events.noMatch') : t('events.none')));
      } else {
        replace(status, h('p', { class: 'visually-hidden' }, t('events.shown', { count: list.children.length })));
      }
      if (cursor) replace(more, h('button', { type: 'button', class: 'button secondary', onclick: loadPage }, t('events.more')));
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(status, errorBox(error, loadPage));
    }
  }

  function onSearch(event) {
    event.preventDefault();
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const name of ['q', 'category', 'city']) {
      const value = String(data.get(name) ?? '').trim();
      if (value) params.set(name, value);
    }
    if (params.has('q')) logActivity('search');
    navigate(params.size ? `/?${params}` : '/', { replace: true });
  }

  loadPage();
  return () => controller.abort();
}

function filterField(id, label, name, value, type, placeholder) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name, type, value, placeholder, maxlength: name === 'city' ? 100 : 60, autocomplete: 'off' }));
}

function card(event, signal) {
  const details = h('p', { class: 'card-price' });
  const badge = h('span', { class: 'badge-slot' });
  const item = h('li', { class: 'card' },
    eventImage(event, { thumbnail: true, className: 'card-image' }),
    h('div', { class: 'card-body' },
      h('h2', { class: 'card-title' }, h('a', { href: `/events/${event.id}` }, event.title)),
      h('p', { class: 'card-meta' },
        h('time', { datetime: event.startsAt }, formatInZone(event.startsAt, event.timeZone))),
      h('p', { class: 'card-meta' }, `${event.city} · ${event.category}`),
      details, badge));
  fillPrice(event, details, badge, signal);
  return item;
}

/** List items may lack ticket types; the event's own (cached) answer then gives the price and sold-out state. */
async function fillPrice(event, details, badge, signal) {
  let full = event;
  if (!event.ticketTypes && event.lowestPriceMinor === undefined && event.soldOut === undefined) {
    try {
      full = await api(`/events/${event.id}`, { auth: false, signal });
    } catch {
      return;
    }
  }
  const label = priceLabel(lowestPrice(full));
  if (label) details.textContent = label;
  if (isSoldOut(full)) replace(badge, h('span', { class: 'badge badge-sold-out' }, t('events.soldOut')));
  if (full.status === 'cancelled') replace(badge, h('span', { class: 'badge badge-cancelled' }, t('events.cancelled')));
}
