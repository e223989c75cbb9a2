/*
 * The check-in door's service worker (scope /check-in): it keeps the app shell the door page needs in a versioned
 * cache, so the page opens and works with no network at all. Files come from the network first, so an online door
 * always runs the current version and refreshes the cache; the cache answers only when the network does not, or
 * not within a few seconds. The API is never cached here: the door page keeps what it needs in IndexedDB.
 *
 * Change VERSION when SHELL or this file's logic changes: the new worker installs the new cache and deletes the old.
 * local/browser-tests/test/door-files.test.js fails when a module the door page loads is missing from SHELL.
 */
const VERSION = 'door-v3';
const CACHE = `boxoffice-${VERSION}`;
const NETWORK_TIMEOUT_MS = 3000;
const SHELL = [
  '/index.html',
  '/styles.css',
  '/door-manifest.json',
  '/img/favicon.svg',
  '/img/door-icon.svg',
  '/js/app.js',
  '/js/dom.js',
  '/js/session.js',
  '/js/api.js',
  '/js/config.js',
  '/js/activity.js',
  '/js/i18n.js',
  '/js/roles.js',
  '/i18n/languages.json',
  '/i18n/en.json',
  '/i18n/fr.json',
  '/js/pages/check-in.js',
  '/js/pages/guards.js',
  '/js/door/door.js',
  '/js/door/door-session.js',
  '/js/door/door-store.js',
  '/js/door/qr-worker.js',
  '/js/door/scanner.js',
  '/js/door/signal.js',
  '/js/door/ticket-token.js',
  '/vendor/jsqr.js',
  '/vendor/noble-ed25519.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name.startsWith('boxoffice-door-') && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  // Every page of the single-page app is index.html; the door's are under /check-in.
  const key = event.request.mode === 'navigate' ? '/index.html' : url.pathname;
  event.respondWith(networkFirst(event.request, key));
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then((response) => {
    if (response.ok && response.type === 'basic') cache.put(key, response.clone());
    return response;
  });
  const late = new Promise((resolveLate) => setTimeout(resolveLate, NETWORK_TIMEOUT_MS, null));
  try {
    const answer = await Promise.race([fromNetwork, late]);
    if (answer) return answer;
  } catch {
    // No network: the cache answers.
  }
  const cached = await cache.match(key);
  return cached ?? fromNetwork.catch(() => Response.error());
}
