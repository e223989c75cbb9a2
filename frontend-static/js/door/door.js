/**
 * One door checking one event's tickets in, with or without the network. Online, the server decides each scan (it
 * knows what every other door did); when it cannot be reached the door decides alone from its kit: the signature
 * and validity window of the token, the tickets cancelled or used when the kit was last refreshed, and the scans
 * this device made. Scans admitted offline wait on the device and sync when the network returns; the server then
 * settles a ticket let in at two doors by first scan time and shows the organizer the conflict.
 */
import { api } from '../api.js';
import { currentLocale, t } from '../i18n.js';
import { fromBase64Url, readTicketToken, ticketVerifier, uuidsOf } from './ticket-token.js';
import { addScan, loadKit, saveKit, scansOfEvent, scansOfTicket, updateScans } from './door-store.js';

const CHECK_TIMEOUT_MS = 4000;
const SYNC_TIMEOUT_MS = 20_000;
const SYNC_BATCH = 100;
const LIST_PAGE = 10_000;

export class Door {
  #kit;
  #verifier;
  #cancelled;
  #used;
  #syncing = null;
  #listeners = new Set();
  reachable = true;
  lastSyncProblem = null;

  /** Downloads the event's kit and keeps it on the device: the event's door is ready to work offline. */
  static async prepare(eventId) {
    const kit = await downloadKit(eventId);
    await saveKit(kit);
    return Door.#open(kit);
  }

  /** The door of an event prepared on this device before, or null. */
  static async onDevice(eventId) {
    const kit = await loadKit(eventId);
    return kit ? Door.#open(kit) : null;
  }

  static async #open(kit) {
    const door = new Door();
    await door.#use(kit);
    return door;
  }

  async #use(kit) {
    this.#kit = kit;
    this.#verifier = await ticketVerifier(fromBase64Url(kit.bundle.ticketPublicKey));
    this.#cancelled = new Set(kit.pages.flatMap((page) => uuidsOf(page.cancelled)));
    this.#used = new Set(kit.pages.flatMap((page) => uuidsOf(page.checkedIn)));
  }

  get event() { return this.#kit.bundle.event; }
  get refreshedAt() { return this.#kit.refreshedAt; }
  get verifierEngine() { return this.#verifier.engine; }
  get online() { return navigator.onLine && this.reachable; }

  onChange(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed() {
    this.#listeners.forEach((listener) => listener(this));
  }

  /**
   * Downloads the kit again, the ticket list above all, since tickets are cancelled and let in all evening. It is
   * also how a door that lost the server (no network, or a network that leads nowhere) learns it is back.
   */
  async refresh() {
    let kit;
    try {
      kit = await downloadKit(this.event.id);
    } catch (error) {
      if (unreachable(error)) this.#reached(false);
      throw error;
    }
    await saveKit(kit);
    await this.#use(kit);
    this.reachable = true;
    this.#changed();
  }

  /** What the door shows for a scanned or typed code: {kind, title, detail, offline}. */
  async check(text, doorName) {
    const token = readTicketToken(text.trim());
    if (!token || !(await this.#verifier.verify(token))) return refused('invalid', t('door.invalid'), t('door.invalid.notOurs'));
    if (token.eventId !== this.event.id) return refused('invalid', t('door.otherEvent'), t('door.otherEvent.detail'));
    const now = Date.now();
    if (now < token.validFrom || now >= token.validUntil) {
      return refused('invalid', t('door.notNow'), t('door.notNow.window', { from: clock(token.validFrom), until: clock(token.validUntil) }));
    }
    const scan = {
      id: scanId(), eventId: this.event.id, ticketId: token.ticketId, token: text.trim(),
      scannedAt: new Date(now).toISOString(), door: doorName || undefined, state: 'pending', outcome: null,
    };
    if (this.online) {
      const answer = await this.#checkOnline(scan);
      if (answer) return answer;
    }
    return this.#checkOffline(scan, token);
  }

  /** The server's answer, or null when it cannot give one now (no network, a timeout, a failure, no session). */
  async #checkOnline(scan) {
    try {
      const admitted = await api('/checkin', {
        method: 'POST', body: { token: scan.token, scanId: scan.id, ...(scan.door ? { door: scan.door } : {}) },
        signal: timeoutSignal(CHECK_TIMEOUT_MS),
      });
      this.#reached(true);
      await addScan({ ...scan, scannedAt: admitted.checkedInAt, state: 'synced', outcome: 'admitted' });
      this.#used.add(scan.ticketId);
      this.#changed();
      return { kind: 'valid', title: t('door.valid'), detail: this.#typeName(scan.token), offline: false };
    } catch (error) {
      if (unreachable(error)) {
        this.#reached(false);
        return null;
      }
      this.#reached(true);
      if (error.status === 401) return null;
      return this.#serverRefusal(error, scan.ticketId);
    }
  }

  #serverRefusal(error, ticketId) {
    switch (error.code) {
      case 'already_checked_in':
        this.#used.add(ticketId);
        return refused('used', t('door.used'), error.details.checkedInAt ? t('door.used.first', { time: clock(error.details.checkedInAt) }) : null);
      case 'ticket_cancelled':
        this.#cancelled.add(ticketId);
        return refused('invalid', t('door.cancelled'), t('door.cancelled.detail'));
      case 'ticket_not_valid_now': return refused('invalid', t('door.notNow'), t('door.notNow.detail'));
      case 'forbidden': return refused('invalid', t('door.forbidden'), t('door.forbidden.detail'));
      case 'invalid_ticket':
      case 'not_found': return refused('invalid', t('door.invalid'), t('door.invalid.notOurs'));
      default: return refused('error', t('door.error'), error.message);
    }
  }

  async #checkOffline(scan, token) {
    if (this.#cancelled.has(scan.ticketId)) {
      return refused('invalid', t('door.cancelled'), t('door.cancelled.detail'), true);
    }
    const earlier = (await scansOfTicket(this.event.id, scan.ticketId))
      .filter((known) => known.state !== 'rejected')
      .sort((a, b) => a.scannedAt.localeCompare(b.scannedAt))[0];
    if (earlier) return refused('used', t('door.used'), t('door.used.here', { time: clock(earlier.scannedAt) }), true);
    if (this.#used.has(scan.ticketId)) {
      return refused('used', t('door.used'), t('door.used.beforeRefresh', { time: clock(this.refreshedAt) }), true);
    }
    await addScan(scan);
    this.#changed();
    return {
      kind: 'valid', title: t('door.valid'), offline: true,
      detail: `${this.#typeName(scan.token, token)} · checked offline, will sync`,
    };
  }

  #typeName(text, token = readTicketToken(text)) {
    return this.#kit.bundle.ticketTypes.find((type) => type.id === token?.ticketTypeId)?.name ?? t('door.ticket');
  }

  #reached(reached) {
    if (this.reachable !== reached) {
      this.reachable = reached;
      this.#changed();
    }
  }

  /** Sends the scans waiting on the device, oldest first; one sync at a time. */
  sync(doorName) {
    this.#syncing ??= this.#syncPending(doorName).finally(() => {
      this.#syncing = null;
      this.#changed();
    });
    return this.#syncing;
  }

  async #syncPending(doorName) {
    const pending = (await scansOfEvent(this.event.id)).filter((scan) => scan.state === 'pending')
      .sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
    try {
      for (let start = 0; start < pending.length; start += SYNC_BATCH) {
        const batch = pending.slice(start, start + SYNC_BATCH);
        const answer = await api(`/events/${this.event.id}/offline-scans`, {
          method: 'POST', signal: timeoutSignal(SYNC_TIMEOUT_MS),
          body: { ...(doorName ? { door: doorName } : {}), scans: batch.map(({ id, token, scannedAt }) => ({ id, token, scannedAt })) },
        });
        const results = new Map(answer.results.map((result) => [result.id, result]));
        await updateScans(batch.map((scan) => settled(scan, results.get(scan.id))));
        this.#reached(true);
      }
      this.lastSyncProblem = null;
    } catch (error) {
      if (unreachable(error)) this.#reached(false);
      this.lastSyncProblem = error.status === 401 || error.status === 403
        ? t('door.sync.signIn')
        : t('door.sync.failed', { message: error.message });
    }
  }

  /** What the status line shows: scans waiting, conflicts the server reported, the last scans. */
  async counts() {
    const scans = await scansOfEvent(this.event.id);
    return {
      pending: scans.filter((scan) => scan.state === 'pending').length,
      conflicts: scans.filter((scan) => scan.outcome === 'duplicate' || scan.outcome === 'cancelled').length,
      recent: scans.sort((a, b) => b.scannedAt.localeCompare(a.scannedAt)).slice(0, 8),
    };
  }
}

async function downloadKit(eventId) {
  const bundle = await api(`/events/${eventId}/door-bundle`, { signal: timeoutSignal(SYNC_TIMEOUT_MS) });
  const pages = [];
  let after = null;
  do {
    const page = await api(`/events/${eventId}/door-bundle/tickets?limit=${LIST_PAGE}${after ? `&after=${after}` : ''}`,
      { signal: timeoutSignal(SYNC_TIMEOUT_MS) });
    pages.push({ cancelled: page.cancelled, checkedIn: page.checkedIn });
    after = page.after ?? null;
  } while (after);
  return { eventId, bundle, pages, refreshedAt: new Date().toISOString() };
}

/** No answer, or none worth having: the door carries on alone until the server answers again. */
function unreachable(error) {
  return error.status === 0 || error.status >= 500 || error.name === 'TimeoutError' || error.name === 'AbortError';
}

function settled(scan, result) {
  if (!result) return scan;
  if (result.outcome === 'rejected') return { ...scan, state: 'rejected', outcome: 'rejected', message: result.message };
  return { ...scan, state: 'synced', outcome: result.outcome, firstScannedAt: result.firstScannedAt };
}

/** A random (version 4) UUID; crypto.randomUUID is missing from Safari before 15.4. */
function scanId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function refused(kind, title, detail, offline = false) {
  return { kind, title, detail, offline };
}

/** AbortSignal.timeout where the browser has it (Safari 16+), a timer otherwise. */
function timeoutSignal(ms) {
  if (AbortSignal.timeout) return AbortSignal.timeout(ms);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), ms);
  return controller.signal;
}

function clock(instant) {
  return new Intl.DateTimeFormat(currentLocale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
}
