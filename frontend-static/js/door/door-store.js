/**
 * What a door keeps on the device, in IndexedDB: per event its kit (the bundle and the pages of tickets that no
 * longer admit, as downloaded), and every scan it made, with its sync state: 'pending' until the server has it,
 * then 'synced' (with the server's outcome) or 'rejected'.
 */
const DATABASE = 'boxoffice-door';
const VERSION = 1;
let opened = null;

function database() {
  opened ??= new Promise((resolveOpen, reject) => {
    const request = indexedDB.open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('kits', { keyPath: 'eventId' });
      const scans = db.createObjectStore('scans', { keyPath: 'id' });
      scans.createIndex('byEvent', 'eventId');
      scans.createIndex('byTicket', ['eventId', 'ticketId']);
    };
    request.onsuccess = () => resolveOpen(request.result);
    request.onerror = () => reject(request.error);
  }).catch((error) => {
    opened = null;
    throw error;
  });
  return opened;
}

async function run(storeName, mode, work) {
  const db = await database();
  return new Promise((resolveRun, reject) => {
    const transaction = db.transaction(storeName, mode);
    const result = work(transaction.objectStore(storeName));
    transaction.oncomplete = () => resolveRun(result instanceof IDBRequest ? result.result : result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export function saveKit(kit) {
  return run('kits', 'readwrite', (kits) => { kits.put(kit); });
}

export function loadKit(eventId) {
  return run('kits', 'readonly', (kits) => kits.get(eventId)).then((kit) => kit ?? null);
}

export function allKits() {
  return run('kits', 'readonly', (kits) => kits.getAll());
}

export function addScan(scan) {
  return run('scans', 'readwrite', (scans) => { scans.add(scan); });
}

export function updateScans(changed) {
  return run('scans', 'readwrite', (scans) => { changed.forEach((scan) => scans.put(scan)); });
}

export function scansOfEvent(eventId) {
  return run('scans', 'readonly', (scans) => scans.index('byEvent').getAll(eventId));
}

export function scansOfTicket(eventId, ticketId) {
  return run('scans', 'readonly', (scans) => scans.index('byTicket').getAll([eventId, ticketId]));
}
