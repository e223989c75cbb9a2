/**
 * Reads and verifies the token a ticket's QR code carries, as the backend's TicketTokens writes it: base64url of a
 * 65-byte payload (version 1, ticket, event and ticket type ids, valid from and until in epoch seconds, big-endian)
 * and a 64-byte Ed25519 signature over "boxoffice-ticket:" + payload.
 *
 * Signatures are checked with WebCrypto's Ed25519 where the browser has it (Chromium 137+, Safari 17+, Firefox 129+),
 * otherwise with the vendored noble-ed25519, loaded only then.
 */
const TOKEN = /^[A-Za-z0-9_-]{172}$/;
const PAYLOAD_BYTES = 65;
const VERSION = 1;
const DOMAIN = new TextEncoder().encode('boxoffice-ticket:');

/** The claims of a token and the bytes its signature covers, or null when the text is no ticket token. */
export function readTicketToken(text) {
  if (typeof text !== 'string' || !TOKEN.test(text)) return null;
  const bytes = fromBase64Url(text);
  if (bytes[0] !== VERSION) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signed = new Uint8Array(DOMAIN.length + PAYLOAD_BYTES);
  signed.set(DOMAIN);
  signed.set(bytes.subarray(0, PAYLOAD_BYTES), DOMAIN.length);
  return {
    ticketId: uuidAt(bytes, 1),
    eventId: uuidAt(bytes, 17),
    ticketTypeId: uuidAt(bytes, 33),
    validFrom: Number(view.getBigInt64(49)) * 1000,
    validUntil: Number(view.getBigInt64(57)) * 1000,
    signed,
    signature: bytes.slice(PAYLOAD_BYTES),
  };
}

/**
 * A verifier for the raw 32-byte public key: `verify(token)` resolves whether the key signed it; `engine` says
 * which implementation checks ('webcrypto' or 'bundled').
 */
export async function ticketVerifier(rawPublicKey) {
  const key = await importEd25519(rawPublicKey);
  if (key) {
    return {
      engine: 'webcrypto',
      verify: (token) => crypto.subtle.verify({ name: 'Ed25519' }, key, token.signature, token.signed),
    };
  }
  const ed25519 = await import('../../vendor/noble-ed25519.js');
  return {
    engine: 'bundled',
    // zip215: false is RFC 8032's strict rule, the one the JDK that signs and the backend that verifies follow.
    verify: async (token) => ed25519.verifyAsync(token.signature, token.signed, rawPublicKey, { zip215: false }),
  };
}

async function importEd25519(rawPublicKey) {
  try {
    return await crypto.subtle.importKey('raw', rawPublicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return null;
  }
}

export function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The UUIDs of a compact id list: 16 bytes each, one after the other, base64url. */
export function uuidsOf(compact) {
  const bytes = fromBase64Url(compact);
  const ids = [];
  for (let offset = 0; offset + 16 <= bytes.length; offset += 16) ids.push(uuidAt(bytes, offset));
  return ids;
}

function uuidAt(bytes, offset) {
  const hex = Array.from(bytes.subarray(offset, offset + 16), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
