/**
 * Batches what visitors do (page views, purchases) and sends it to /log-activity every few seconds and when the page
 * is hidden. Fire and forget: nothing in the UI waits for it and a lost batch is only a lost statistic.
 */
import { serverlessUrl } from './config.js';
import { currentSession } from './session.js';

const FLUSH_EVERY_MS = 5000;
const MAX_BATCH = 25;
const MAX_QUEUED = 200;
const queue = [];
let timer = null;

export function logActivity(type, details = {}) {
  if (queue.length >= MAX_QUEUED) queue.shift();
  queue.push({ type, at: new Date().toISOString(), path: location.pathname, ...details });
  timer ??= setTimeout(flush, FLUSH_EVERY_MS);
}

export function flush() {
  clearTimeout(timer);
  timer = null;
  while (queue.length > 0) send(queue.splice(0, MAX_BATCH));
}

function send(events) {
  const session = currentSession();
  const headers = { 'Content-Type': 'application/json' };
  if (session) headers.Authorization = `Bearer ${session.token}`;
  serverlessUrl('/log-activity')
    .then((url) => fetch(url, { method: 'POST', keepalive: true, headers, body: JSON.stringify({ events }) }))
    .catch(() => {});
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flush();
});
window.addEventListener('pagehide', flush);
