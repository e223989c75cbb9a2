/** The single-page app: History API routing to one module per page, the navigation bar and page-view logging. */
import { h, replace, errorBox, loading } from './dom.js';
import { currentSession, endSession, hasRole, onSessionChange } from './session.js';
import { syncRoles } from './roles.js';
import { logActivity } from './activity.js';
import { availableLanguages, chooseLanguage, currentLanguage, loadLanguage, t } from './i18n.js';

const routes = [
  { pattern: /^\/$/, page: () => import('./pages/events.js') },
  { pattern: /^\/events\/(?<eventId>[0-9a-fA-F-]{36})$/, page: () => import('./pages/event.js') },
  { pattern: /^\/events\/(?<eventId>[0-9a-fA-F-]{36})\/queue$/, page: () => import('./pages/queue.js') },
  { pattern: /^\/sign-in$/, page: () => import('./pages/sign-in.js') },
  { pattern: /^\/my\/tickets$/, page: () => import('./pages/my-tickets.js') },
  { pattern: /^\/holds\/(?<holdId>[0-9a-fA-F-]{36})$/, page: () => import('./pages/hold.js') },
  { pattern: /^\/subscribe$/, page: () => import('./pages/subscribe.js') },
  { pattern: /^\/subscription\/confirm$/, page: () => import('./pages/confirm-subscription.js') },
  { pattern: /^\/unsubscribe$/, page: () => import('./pages/unsubscribe.js') },
  { pattern: /^\/organizer$/, page: () => import('./pages/organizer-events.js') },
  { pattern: /^\/organizer\/events\/new$/, page: () => import('./pages/organizer-edit.js') },
  { pattern: /^\/organizer\/events\/(?<eventId>[0-9a-fA-F-]{36})$/, page: () => import('./pages/organizer-edit.js') },
  { pattern: /^\/organizer\/events\/(?<eventId>[0-9a-fA-F-]{36})\/dashboard$/, page: () => import('./pages/dashboard.js') },
  { pattern: /^\/organizer\/events\/(?<eventId>[0-9a-fA-F-]{36})\/attendees$/, page: () => import('./pages/attendees.js') },
  { pattern: /^\/organizer\/team$/, page: () => import('./pages/team.js') },
  { pattern: /^\/admin$/, page: () => import('./pages/admin.js') },
  { pattern: /^\/check-in$/, page: () => import('./pages/check-in.js') },
];

/** How long a page load waits for the backend's answer on the session's roles before rendering without it. */
const ROLE_SYNC_PATIENCE_MS = 3000;
const main = document.getElementById('app');
const nav = document.getElementById('nav-links');
const announcer = document.getElementById('route-announcer');
let cleanup = null;
let renderCount = 0;

export function navigate(path, { replace: replaceEntry = false } = {}) {
  if (replaceEntry) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

async function render() {
  const current = ++renderCount;
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  const { pathname, search } = location;
  renderedAddress = pathname + search;
  const route = routes.find((candidate) => candidate.pattern.test(pathname));
  updateNav(pathname);
  replace(main, loading());
  try {
    const module = route ? await route.page() : await import('./pages/not-found.js');
    if (current !== renderCount) return;
    const params = route ? pathname.match(route.pattern).groups ?? {} : {};
    const view = h('div', { class: 'page' });
    replace(main, view);
    cleanup = await module.render(view, { params, query: new URLSearchParams(search), navigate });
  } catch (error) {
    if (current === renderCount) replace(main, errorBox(error, render));
  }
  if (current !== renderCount) return;
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · Boxoffice` : 'Boxoffice';
  announcer.textContent = document.title;
  if (renderCount > 1) heading?.focus();
  logActivity('page_view');
}

function updateNav(pathname) {
  const session = currentSession();
  const links = [
    ['/', t('nav.events')],
    session ? ['/my/tickets', t('nav.myTickets')] : null,
    ['/subscribe', t('nav.announcements')],
    hasRole('organizer') ? ['/organizer', t('nav.organizer')] : null,
    hasRole('organizer') ? ['/organizer/team', t('nav.team')] : null,
    session && !hasRole('organizer') ? ['/organizer', t('nav.becomeOrganizer')] : null,
    hasRole('admin') ? ['/admin', t('nav.admin')] : null,
    hasRole('staff') || hasRole('organizer') ? ['/check-in', t('nav.checkIn')] : null,
  ].filter(Boolean);
  replace(nav,
    ...links.map(([href, label]) => h('li', {},
      h('a', { href, 'aria-current': isCurrent(pathname, href) ? 'page' : null }, label))),
    h('li', { class: 'nav-session' }, session
      ? h('button', { type: 'button', class: 'link-button', onclick: onSignOut }, t('nav.signOut', { email: session.email }))
      : h('a', { href: '/sign-in', 'aria-current': pathname === '/sign-in' ? 'page' : null }, t('nav.signIn'))));
}

function isCurrent(pathname, href) {
  if (href === '/') return pathname === '/' || pathname.startsWith('/events/');
  if (href === '/organizer') return pathname.startsWith(href) && !pathname.startsWith('/organizer/team');
  return pathname.startsWith(href);
}

function onSignOut() {
  logActivity('sign_out');
  endSession();
  navigate('/');
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || /\.[a-z0-9]+$/i.test(url.pathname)) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  event.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
});

// Following an in-page anchor (the skip link) fires popstate too; only a new path or query is a new page.
let renderedAddress = location.pathname + location.search;
window.addEventListener('popstate', () => {
  if (location.pathname + location.search === renderedAddress) return;
  render();
});
/** The language switch in the footer: the catalogues there are, each named in its own language. */
function languageSwitch() {
  const select = h('select', { id: 'language', onchange: () => chooseLanguage(select.value) },
    ...Object.entries(availableLanguages()).map(([code, name]) => h('option', { value: code, lang: code, selected: code === currentLanguage() }, name)));
  document.querySelector('.site-footer').append(h('p', { class: 'language-switch' },
    h('label', { for: 'language' }, t('nav.language')), ' ', select));
}

onSessionChange(() => updateNav(location.pathname));
await loadLanguage();
// index.html's own text, written in English for the moment before the catalogue loads.
document.querySelector('.skip-link').textContent = t('page.skip');
document.querySelector('.site-footer p').textContent = t('page.footer');
languageSwitch();
// The page waits a moment for the roles as granted now; a door without the network (or a slow one) renders with the
// roles it had, and renders again if an answer arrives later with others.
const rolesBefore = JSON.stringify(currentSession()?.roles ?? []);
const synced = syncRoles().catch(() => null);
const late = await Promise.race([synced.then(() => false), new Promise((settle) => { setTimeout(() => settle(true), ROLE_SYNC_PATIENCE_MS); })]);
render();
if (late) {
  synced.then(() => { if (JSON.stringify(currentSession()?.roles ?? []) !== rolesBefore) render(); });
}
