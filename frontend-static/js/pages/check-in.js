/**
 * Door staff check tickets in: by camera (continuous scanning) or by typing the code, with a big result in colour,
 * words and an icon, a tone and a vibration. Choosing the door's event prepares the device to keep checking tickets
 * when the network fails (js/door/door.js); the page can be installed (door-manifest.json, door-sw.js).
 */
import { api } from '../api.js';
import { h, pageHeading, replace, field, formatLocal, messageOf } from '../dom.js';
import { logActivity } from '../activity.js';
import { roleGate } from './guards.js';
import { Door } from '../door/door.js';
import { allKits } from '../door/door-store.js';
import { rememberDoorSession, restoreDoorSession } from '../door/door-session.js';
import { startScanner } from '../door/scanner.js';
import { isMuted, setMuted, signal, unlockSound } from '../door/signal.js';
import { t, tn } from '../i18n.js';

const SYNC_EVERY_MS = 15_000;
const REFRESH_EVERY_MS = 5 * 60_000;
const EVENT_KEY = 'boxoffice.door.event';
const DOOR_NAME_KEY = 'boxoffice.door.name';

export function render(view) {
  installable();
  restoreDoorSession();
  view.append(pageHeading(t('checkIn.title')));
  const gate = roleGate(['staff', 'organizer'], t('checkIn.gate'));
  if (gate) {
    view.append(gate);
    return undefined;
  }
  let door = null;
  let checking = false;
  let unsubscribe = () => {};
  const eventChoice = h('select', { name: 'event', onchange: () => chooseEvent(eventChoice.value) },
    h('option', { value: '' }, t('checkIn.anyEvent')));
  const doorName = h('input', { name: 'door', type: 'text', maxlength: 60, autocomplete: 'off', value: localStorage.getItem(DOOR_NAME_KEY) ?? '',
    onchange: () => localStorage.setItem(DOOR_NAME_KEY, doorName.value.trim()) });
  const sound = h('input', { type: 'checkbox', id: 'door-sound', checked: !isMuted(), onchange: () => { setMuted(!sound.checked); unlockSound(); } });
  const status = h('div', { class: 'door-status', role: 'status' });
  const feedback = h('div', { class: 'check-result', role: 'status', 'aria-live': 'assertive', 'aria-atomic': 'true' },
    h('p', { class: 'check-idle' }, t('checkIn.idle')));
  const camera = h('section', { class: 'camera', 'aria-labelledby': 'camera-heading' }, h('h2', { id: 'camera-heading' }, t('camera.title')));
  const input = h('input', { name: 'token', type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', maxlength: 500 });
  const check = h('button', { type: 'submit', class: 'button' }, t('checkIn.check'));
  const manual = h('form', { class: 'manual-check', novalidate: true, onsubmit: onManual },
    h('h2', {}, t('checkIn.enterCode')),
    field({ id: 'check-in-token', label: t('checkIn.code'), input, hint: t('checkIn.codeHint') }), check);
  const recent = h('ol', { class: 'recent-scans' });
  const actions = h('div', { class: 'actions' });
  view.append(
    status,
    feedback,
    h('div', { class: 'check-in-inputs' }, camera, manual),
    h('section', { class: 'door-setup', 'aria-labelledby': 'door-heading' }, h('h2', { id: 'door-heading' }, t('checkIn.thisDoor')),
      h('div', { class: 'field-row' },
        field({ id: 'door-event', label: t('checkIn.event'), input: eventChoice, hint: t('checkIn.eventHint') }),
        field({ id: 'door-name', label: t('checkIn.doorName'), input: doorName, hint: t('checkIn.doorNameHint') })),
      h('p', { class: 'choice' }, sound, h('label', { for: 'door-sound' }, t('checkIn.sound'))),
      actions),
    h('section', { 'aria-labelledby': 'recent-heading' }, h('h2', { id: 'recent-heading' }, t('checkIn.recent')), recent));

  const stopCamera = startScanner(camera, (code) => (checking ? false : void checkCode(code)));
  const timer = setInterval(tick, SYNC_EVERY_MS);
  window.addEventListener('online', onNetworkChange);
  window.addEventListener('offline', onNetworkChange);
  fillEvents().then(() => chooseEvent(eventChoice.value));

  async function fillEvents() {
    const remembered = localStorage.getItem(EVENT_KEY) ?? '';
    const kits = await allKits().catch(() => []);
    const events = new Map(kits.map((kit) => [kit.eventId, kit.bundle.event]));
    if (navigator.onLine) {
      try {
        (await api('/door/events?limit=100')).items.forEach((event) => events.set(event.id, event));
      } catch (error) {
        showStatus(t('checkIn.eventsFailed', { message: messageOf(error) }));
      }
    }
    const ready = new Set(kits.map((kit) => kit.eventId));
    for (const event of [...events.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
      eventChoice.append(h('option', { value: event.id, selected: event.id === remembered },
        [event.title, formatLocal(event.startsAt), ready.has(event.id) ? t('checkIn.readyOffline') : null].filter(Boolean).join(' · ')));
    }
  }

  async function chooseEvent(eventId) {
    localStorage.setItem(EVENT_KEY, eventId);
    unsubscribe();
    door = null;
    if (!eventId) {
      showStatus(t('checkIn.serverChecks'));
      renderRecent([]);
      return;
    }
    showStatus(t('checkIn.preparing'));
    try {
      door = await Door.onDevice(eventId);
      if (door) await door.refresh().catch(() => {});
      else door = await Door.prepare(eventId);
      if (door.online) rememberDoorSession();
      unsubscribe = door.onChange(() => updateStatus());
      await updateStatus();
      if (door.online) door.sync(doorName.value.trim());
    } catch (error) {
      showStatus(t('checkIn.prepareFailed', { message: messageOf(error) }));
    }
  }

  function onManual(event) {
    event.preventDefault();
    unlockSound();
    const token = input.value.trim();
    document.getElementById('check-in-token-error').textContent = token ? '' : t('checkIn.codeMissing');
    if (!token) {
      input.focus();
      return;
    }
    checkCode(token).then(() => { input.value = ''; input.focus(); });
  }

  async function checkCode(text) {
    if (checking) return;
    checking = true;
    check.disabled = true;
    show({ kind: 'checking', title: t('checkIn.checking') });
    try {
      const result = door ? await door.check(text, doorName.value.trim()) : await checkOnline(text);
      show(result);
      if (result.kind !== 'checking') signal(result.kind);
      if (result.kind === 'valid') logActivity('checked_in', { eventId: door?.event.id, offline: result.offline });
      await updateStatus();
    } catch (error) {
      show({ kind: 'error', title: t('door.error'), detail: messageOf(error) });
      signal('invalid');
    } finally {
      checking = false;
      check.disabled = false;
    }
  }

  function show({ kind, title, detail }) {
    replace(feedback, h('div', { class: `check check-${kind}` },
      h('p', { class: 'check-title' }, h('span', { 'aria-hidden': 'true', class: 'check-icon' }, icon(kind)), ' ', title),
      detail ? h('p', { class: 'check-detail' }, detail) : null));
  }

  /** Syncs while the server answers, refreshes the ticket list now and then, and asks whether it is back when not. */
  async function tick() {
    if (!door || !navigator.onLine) return;
    if (!door.online || Date.now() - Date.parse(door.refreshedAt) >= REFRESH_EVERY_MS) await door.refresh().catch(() => {});
    if (door.online) await door.sync(doorName.value.trim());
  }

  async function onNetworkChange() {
    await updateStatus();
    if (!door || !navigator.onLine) return;
    await door.refresh().catch(() => {});
    if (door.online) await door.sync(doorName.value.trim());
  }

  async function updateStatus() {
    if (!door) return;
    const counts = await door.counts();
    const online = door.online;
    status.dataset.verifier = door.verifierEngine;
    replace(status,
      h('p', { class: `door-network door-${online ? 'online' : 'offline'}` },
        h('span', { 'aria-hidden': 'true' }, online ? '● ' : '○ '),
        online ? t('checkIn.online') : t('checkIn.offline')),
      h('p', { class: 'door-counts' },
        counts.pending === 0 ? t('checkIn.nothingPending') : tn('checkIn.pending', counts.pending),
        ' · ', t('checkIn.refreshed', { time: formatLocal(door.refreshedAt) })),
      counts.conflicts > 0
        ? h('p', { class: 'notice notice-warning' },
          tn('checkIn.conflicts', counts.conflicts))
        : null,
      door.lastSyncProblem ? h('p', { class: 'notice notice-error' }, door.lastSyncProblem) : null);
    replace(actions,
      h('button', { type: 'button', class: 'button secondary', disabled: !online, onclick: () => door.sync(doorName.value.trim()) }, t('checkIn.syncNow')),
      h('button', { type: 'button', class: 'button secondary', disabled: !online, onclick: () => door.refresh().catch((error) => showStatus(messageOf(error))) }, t('checkIn.refreshList')));
    renderRecent(counts.recent);
  }

  function showStatus(text) {
    replace(status, h('p', { class: 'door-counts' }, text));
    replace(actions);
  }

  function renderRecent(scans) {
    replace(recent, ...(scans.length === 0 ? [h('li', { class: 'hint' }, t('checkIn.noScans'))] : scans.map((scan) =>
      h('li', {}, `${formatLocal(scan.scannedAt)} · ${t('checkIn.ticketEnding', { end: scan.ticketId.slice(-8) })} · ${describeScan(scan)}`))));
  }

  return () => {
    stopCamera();
    clearInterval(timer);
    unsubscribe();
    window.removeEventListener('online', onNetworkChange);
    window.removeEventListener('offline', onNetworkChange);
  };
}

/** With no event chosen: the server decides every scan, as before doors could work offline. */
async function checkOnline(token) {
  try {
    const answer = await api('/checkin', { method: 'POST', body: { token } });
    return { kind: 'valid', title: t('door.valid'), detail: answer.ticketType ?? null };
  } catch (error) {
    const [kind, title, detail] = refusal(error);
    return { kind, title, detail };
  }
}

/** What the door sees for each refusal of /api/checkin: used and invalid tickets apart from failures to check. */
function refusal(error) {
  switch (error.code) {
    case 'already_checked_in':
      return ['used', t('door.used'), error.details.checkedInAt ? t('door.used.first', { time: formatLocal(error.details.checkedInAt) }) : null];
    case 'invalid_ticket': return ['invalid', t('door.invalid'), t('door.invalid.notOurs')];
    case 'not_found': return ['invalid', t('door.invalid'), t('door.invalid.none')];
    case 'ticket_cancelled': return ['invalid', t('door.cancelled'), t('door.cancelled.detail')];
    case 'ticket_not_valid_now': return ['invalid', t('door.notNow'), t('door.notNow.detail')];
    case 'forbidden': return ['invalid', t('door.forbidden'), t('door.forbidden.detail')];
    default: return ['error', t('door.error'), messageOf(error)];
  }
}

function describeScan(scan) {
  if (scan.state === 'pending') return t('checkIn.scan.pending');
  if (scan.state === 'rejected') return t('checkIn.scan.rejected', { message: scan.message });
  if (scan.outcome === 'duplicate') return t('checkIn.scan.duplicate');
  if (scan.outcome === 'cancelled') return t('checkIn.scan.cancelled');
  return t('checkIn.scan.synced');
}

function icon(kind) {
  return { valid: '✔', used: '⚠', invalid: '✖', error: '!', checking: '…' }[kind];
}

/** The door page can be installed: its manifest, and a service worker that serves the app shell offline. */
function installable() {
  if (!document.querySelector('link[rel="manifest"]')) {
    document.head.append(h('link', { rel: 'manifest', href: '/door-manifest.json' }));
  }
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/door-sw.js', { scope: '/check-in' }).catch(() => {});
  }
}
