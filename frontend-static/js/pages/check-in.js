/** Door staff: scan a ticket's QR code with the camera (BarcodeDetector) or type its code; big, clear feedback. */
import { api } from '../api.js';
import { h, pageHeading, replace, field, formatLocal, messageOf } from '../dom.js';
import { logActivity } from '../activity.js';
import { roleGate } from './guards.js';

const SCAN_EVERY_MS = 250;
const SAME_CODE_IGNORED_MS = 3000;

export function render(view) {
  view.append(pageHeading('Check-in'));
  const gate = roleGate(['staff', 'organizer'], 'to check tickets in');
  if (gate) {
    view.append(gate);
    return undefined;
  }
  const feedback = h('div', { class: 'check-result', role: 'status', 'aria-live': 'assertive', 'aria-atomic': 'true' },
    h('p', { class: 'check-idle' }, 'Scan a ticket or type its code.'));
  const camera = h('section', { class: 'camera', 'aria-labelledby': 'camera-heading' }, h('h2', { id: 'camera-heading' }, 'Camera'));
  const input = h('input', { name: 'token', type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', maxlength: 500 });
  const check = h('button', { type: 'submit', class: 'button' }, 'Check ticket');
  const manual = h('form', { class: 'manual-check', novalidate: true, onsubmit: onManual },
    h('h2', {}, 'Enter a code'),
    field({ id: 'check-in-token', label: 'Ticket code', input, hint: 'A handheld scanner types it here, or paste the text of the ticket QR code.' }), check);
  view.append(feedback, h('div', { class: 'check-in-inputs' }, camera, manual));

  let checking = false;
  let lastCode = null;
  let lastCodeAt = 0;
  const stopCamera = startCamera(camera, (code) => {
    if (code === lastCode && Date.now() - lastCodeAt < SAME_CODE_IGNORED_MS) return;
    lastCode = code;
    lastCodeAt = Date.now();
    checkToken(code);
  });

  function onManual(event) {
    event.preventDefault();
    const token = input.value.trim();
    document.getElementById('check-in-token-error').textContent = token ? '' : 'Type the ticket code first.';
    if (!token) {
      input.focus();
      return;
    }
    checkToken(token).then(() => { input.value = ''; input.focus(); });
  }

  async function checkToken(token) {
    if (checking) return;
    checking = true;
    check.disabled = true;
    show('checking', 'Checking…');
    try {
      const answer = await api('/checkin', { method: 'POST', body: { token } });
      show('valid', 'Valid: let them in', answer.ticketType ?? null);
      logActivity('checked_in', { ticketId: answer.ticketId, eventId: answer.eventId });
    } catch (error) {
      const [kind, title, detail] = refusal(error);
      show(kind, title, detail);
    } finally {
      checking = false;
      check.disabled = false;
    }
  }

  function show(kind, title, detail) {
    replace(feedback, h('div', { class: `check check-${kind}` },
      h('p', { class: 'check-title' }, h('span', { 'aria-hidden': 'true', class: 'check-icon' }, icon(kind)), ' ', title),
      detail ? h('p', { class: 'check-detail' }, detail) : null));
  }
  return stopCamera;
}

/** What the door sees for each refusal of /api/checkin: used and invalid tickets apart from failures to check. */
function refusal(error) {
  switch (error.code) {
    case 'already_checked_in':
      return ['used', 'Already used', error.details.checkedInAt ? `First scanned ${formatLocal(error.details.checkedInAt)}.` : null];
    case 'invalid_ticket': return ['invalid', 'Invalid ticket', 'This is not a Boxoffice ticket.'];
    case 'not_found': return ['invalid', 'Invalid ticket', 'No such ticket.'];
    case 'ticket_cancelled': return ['invalid', 'Ticket cancelled', 'Its order was cancelled.'];
    case 'ticket_not_valid_now': return ['invalid', 'Not valid now', 'This ticket is for another time.'];
    case 'forbidden': return ['invalid', 'Not for this door', 'This ticket is for an event you do not check in.'];
    default: return ['error', 'Could not check', messageOf(error)];
  }
}

function icon(kind) {
  return { valid: '✔', used: '⚠', invalid: '✖', error: '!', checking: '…' }[kind];
}

/** Starts the camera when the browser has BarcodeDetector and a camera; otherwise explains why not. Returns a stop function. */
function startCamera(section, onCode) {
  const note = h('p', { class: 'hint' });
  section.append(note);
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) {
    note.textContent = 'This browser cannot read QR codes; enter the code by hand.';
    return undefined;
  }
  let stream = null;
  let timer = null;
  let stopped = false;
  const video = h('video', { class: 'camera-view', muted: true, playsinline: true, 'aria-label': 'Camera view' });
  const button = h('button', { type: 'button', class: 'button secondary', onclick: start }, 'Start the camera');
  note.textContent = 'Point the camera at the QR code.';
  section.append(button);

  async function start() {
    button.disabled = true;
    try {
      const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      if (stopped) return stop();
      video.srcObject = stream;
      button.replaceWith(video);
      await video.play();
      const scan = async () => {
        if (stopped) return;
        try {
          const codes = await detector.detect(video);
          if (codes[0]?.rawValue) onCode(codes[0].rawValue);
        } catch {
          // A frame that cannot be read is skipped; the next one usually can.
        }
        timer = setTimeout(scan, SCAN_EVERY_MS);
      };
      scan();
    } catch (error) {
      button.disabled = false;
      note.textContent = error.name === 'NotAllowedError'
        ? 'Camera access was refused; allow it in the browser settings, or enter the code by hand.'
        : 'No camera could be started; enter the code by hand.';
    }
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
  }
  return stop;
}
