/** Where an event's picture is: a URL the API gives, else the image base URL of the client config, else a placeholder. */
import { clientConfig } from './config.js';

export const PLACEHOLDER = '/img/event-placeholder.svg';
const uploadedHere = new Map();

/** An image this tab uploaded is shown from its local copy, which exists before any URL for it does. */
export function rememberUpload(imageKey, objectUrl) {
  uploadedHere.set(imageKey, objectUrl);
}

export async function eventImageUrl(event, { thumbnail = false } = {}) {
  if (uploadedHere.has(event.imageKey)) return uploadedHere.get(event.imageKey);
  const given = thumbnail ? event.thumbnailUrl ?? event.imageUrl : event.imageUrl ?? event.thumbnailUrl;
  if (given) return given;
  const key = thumbnail ? event.thumbnailKey ?? thumbnailKeyOf(event.imageKey) : event.imageKey;
  if (!key) return PLACEHOLDER;
  try {
    const { imageBaseUrl } = await clientConfig();
    return imageBaseUrl ? `${imageBaseUrl.replace(/\/$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}` : PLACEHOLDER;
  } catch {
    return PLACEHOLDER;
  }
}

/** The create-event function stores the thumbnail beside the image as <name>_thumb.jpg. */
function thumbnailKeyOf(imageKey) {
  return imageKey?.replace(/\.jpg$/, '_thumb.jpg');
}

/** An <img> that starts on the placeholder, switches to the real picture, and falls back if that fails to load. */
export function eventImage(event, { thumbnail = false, className = '' } = {}) {
  const image = document.createElement('img');
  image.src = PLACEHOLDER;
  image.alt = '';
  image.className = className;
  image.loading = 'lazy';
  image.decoding = 'async';
  image.width = thumbnail ? 320 : 960;
  image.height = thumbnail ? 180 : 540;
  image.addEventListener('error', () => {
    if (!image.src.endsWith(PLACEHOLDER)) image.src = PLACEHOLDER;
  });
  eventImageUrl(event, { thumbnail }).then((url) => {
    if (url !== PLACEHOLDER) image.src = url;
  });
  return image;
}
