/** Decodes QR codes off the page's thread with the vendored jsQR: a frame in, the code's text (or null) out. */
import jsQR from '../../vendor/jsqr.js';

self.onmessage = ({ data: { id, width, height, pixels } }) => {
  const found = jsQR(new Uint8ClampedArray(pixels), width, height, { inversionAttempts: 'dontInvert' });
  self.postMessage({ id, text: found?.data ?? null });
};
