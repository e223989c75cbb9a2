/**
 * The camera at the door: reads QR codes continuously, with the browser's BarcodeDetector where it has one for QR
 * codes (Chrome on Android, macOS) and the bundled jsQR in a worker everywhere else (Safari, Firefox, desktop Linux).
 * A code is reported once while it stays in view; another code is read as soon as it shows, so the next ticket is
 * ready within a frame or two. The torch and the choice of camera are offered where the device has them.
 */
import { h, replace } from '../dom.js';
import { unlockSound } from './signal.js';
import { t } from '../i18n.js';

const FRAME_EVERY_MS = 100;
const SAME_CODE_QUIET_MS = 2500;
const MAX_FRAME_WIDTH = 800;

/** Mounts the camera controls in `section`; `onCode(text)` gets each new code. Returns a stop function. */
export function startScanner(section, onCode) {
  const note = h('p', { class: 'hint', id: 'camera-note' });
  const controls = h('div', { class: 'camera-controls' });
  section.append(note, controls);
  if (!navigator.mediaDevices?.getUserMedia) {
    note.textContent = t('camera.unavailable');
    return () => {};
  }
  const video = h('video', { class: 'camera-view', muted: true, playsinline: true, 'aria-label': t('camera.view') });
  video.muted = true;
  let stream = null;
  let decoder = null;
  let stopped = false;
  let timer = null;
  let lastCode = null;
  let lastSeenAt = 0;
  const startButton = h('button', { type: 'button', class: 'button secondary', onclick: () => start() }, t('camera.start'));
  note.textContent = t('camera.point');
  replace(controls, startButton);

  async function start(deviceId) {
    unlockSound();
    startButton.disabled = true;
    try {
      decoder ??= await qrDecoder();
      section.dataset.decoder = decoder.kind;
      stream?.getTracks().forEach((track) => track.stop());
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: deviceId ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: 'environment' } },
      });
      if (stopped) return stop();
      video.srcObject = stream;
      if (!video.isConnected) section.insertBefore(video, note);
      await video.play();
      note.textContent = decoder.kind === 'native'
        ? t('camera.point')
        : t('camera.pointBundled');
      replace(controls, ...await cameraControls(stream, start));
      scheduleScan();
    } catch (error) {
      startButton.disabled = false;
      note.textContent = error.name === 'NotAllowedError'
        ? t('camera.refused')
        : t('camera.failed');
    }
  }

  function scheduleScan() {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(scanFrame, FRAME_EVERY_MS);
  }

  async function scanFrame() {
    if (stopped || video.readyState < video.HAVE_CURRENT_DATA) {
      scheduleScan();
      return;
    }
    try {
      const code = await decoder.read(video);
      if (code) seen(code);
    } catch {
      // A frame that cannot be read is skipped; the next one usually can.
    }
    scheduleScan();
  }

  /** A code still in view is quiet; one the page was too busy to take (onCode gave false) is read again. */
  function seen(code) {
    const now = Date.now();
    if (code === lastCode && now - lastSeenAt < SAME_CODE_QUIET_MS) {
      lastSeenAt = now;
      return;
    }
    if (onCode(code) !== false) {
      lastCode = code;
      lastSeenAt = now;
    }
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
    decoder?.close();
  }
  return stop;
}

/** The torch toggle and the camera choice, each only when the device offers it. */
async function cameraControls(stream, restartWith) {
  const track = stream.getVideoTracks()[0];
  const controls = [];
  const capabilities = track.getCapabilities?.() ?? {};
  if (capabilities.torch) {
    let on = false;
    const torch = h('button', { type: 'button', class: 'button secondary', 'aria-pressed': 'false' }, t('camera.torch'));
    torch.addEventListener('click', async () => {
      try {
        await track.applyConstraints({ advanced: [{ torch: !on }] });
        on = !on;
        torch.setAttribute('aria-pressed', String(on));
      } catch {
        torch.disabled = true;
      }
    });
    controls.push(torch);
  }
  const cameras = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === 'videoinput');
  if (cameras.length > 1) {
    const current = track.getSettings().deviceId;
    const select = h('select', { id: 'camera-choice', onchange: () => restartWith(select.value) },
      ...cameras.map((camera, index) => h('option', { value: camera.deviceId, selected: camera.deviceId === current },
        camera.label || t('camera.numbered', { number: index + 1 }))));
    controls.push(h('label', { for: 'camera-choice', class: 'camera-choice' }, t('camera.title')), select);
  }
  return controls;
}

/** BarcodeDetector when it reads QR codes here, else jsQR in a module worker. */
async function qrDecoder() {
  if ('BarcodeDetector' in window) {
    try {
      if ((await window.BarcodeDetector.getSupportedFormats()).includes('qr_code')) {
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        return {
          kind: 'native',
          read: async (video) => (await detector.detect(video))[0]?.rawValue ?? null,
          close: () => {},
        };
      }
    } catch {
      // Fall through to the bundled decoder.
    }
  }
  return bundledDecoder();
}

function bundledDecoder() {
  const worker = new Worker(new URL('./qr-worker.js', import.meta.url), { type: 'module' });
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const waiting = new Map();
  let nextId = 0;
  worker.onmessage = ({ data }) => {
    waiting.get(data.id)?.(data.text);
    waiting.delete(data.id);
  };
  return {
    kind: 'bundled',
    read(video) {
      const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const id = nextId += 1;
      return new Promise((resolveRead) => {
        waiting.set(id, resolveRead);
        worker.postMessage({ id, width: frame.width, height: frame.height, pixels: frame.data.buffer }, [frame.data.buffer]);
      });
    },
    close: () => worker.terminate(),
  };
}
