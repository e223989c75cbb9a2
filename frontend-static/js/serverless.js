/** The Lambda routes behind API Gateway (another origin, answering CORS): sign-in, subscriptions, images, QR codes. */
import { ApiError, errorOf, request } from './api.js';
import { serverlessUrl } from './config.js';
import { currentSession } from './session.js';
import { t } from './i18n.js';

/**
 * Asks for announcements. Signed in as the address, the preferences are saved at once (resolves {status: 'confirmed',
 * ...}); otherwise a confirmation link is mailed (resolves {executionArn}).
 */
export async function subscribe(email, preferences = { categories: [], cities: [] }) {
  const owner = currentSession()?.email === email.toLowerCase();
  return request(await serverlessUrl('/subscribe'), { method: 'POST', body: { email, preferences }, auth: owner });
}

/** Confirms the preferences of the link in a confirmation email; the page sends it, not the mail scanner's GET. */
export async function confirmSubscription(token) {
  return request(await serverlessUrl('/confirm-subscription'), { method: 'POST', body: { token }, auth: false });
}

/** Ends a subscription with the token of an announcement's unsubscribe link, as one-click mail clients do. */
export async function unsubscribe(token) {
  return request(await serverlessUrl(`/unsubscribe?token=${encodeURIComponent(token)}`), { method: 'POST', auth: false });
}

/** Mails a code; resolves with {expiresAt, challenge}, the challenge being what verifyOtp must send back. */
export async function sendOtp(email) {
  return request(await serverlessUrl('/send-otp'), { method: 'POST', body: { email }, auth: false });
}

export async function verifyOtp(email, code, challenge) {
  return request(await serverlessUrl('/verify-otp'), { method: 'POST', body: { email, code, challenge }, auth: false });
}

export async function qrCode(ticketId) {
  return request(await serverlessUrl(`/get-qr-code?ticketId=${encodeURIComponent(ticketId)}`));
}

/**
 * Uploads an event image as the raw request body; XMLHttpRequest rather than fetch because only it reports upload
 * progress. Resolves with {imageKey, thumbnailKey}.
 */
export async function uploadEventImage(file, onProgress) {
  const url = await serverlessUrl('/create-event');
  const session = currentSession();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    // The REST API passes only its binary media types through as bytes, and octet-stream is one of them for every
    // image format; the function recognises the format from the bytes themselves.
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (session) xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      let payload = null;
      try {
        payload = JSON.parse(xhr.responseText || 'null');
      } catch {
        payload = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(payload);
      } else {
        const headers = { get: (name) => xhr.getResponseHeader(name) };
        reject(errorOf({ status: xhr.status, headers }, payload));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', t('error.uploadNetwork'))));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', t('error.uploadCancelled'))));
    xhr.send(file);
  });
}
