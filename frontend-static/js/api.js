/** JSON over fetch for the backend (/api) and the serverless routes, with errors as ApiError. */
import { currentSession, signOut } from './session.js';
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, { field, retryAfter, arrival, details } = {}) {
    super(message);
    this.details = details ?? {};
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
    this.arrival = arrival;
  }
}

export async function request(url, { method = 'GET', body, headers = {}, auth = true, signal } = {}) {
  const session = currentSession();
  const sent = { ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (auth && session) sent.Authorization = `Bearer ${session.token}`;
  let response;
  try {
    response = await fetch(url, {
      method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body), signal,
    });
  } catch (cause) {
    if (cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', t('error.network'));
  }
  const payload = await readJson(response);
  if (response.ok) return payload;
  if (response.status === 401 && session) signOut();
  throw errorOf(response, payload);
}

export function api(path, options) {
  return request(`/api${path}`, options);
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

export function errorOf(response, payload) {
  const retryAfter = Number.parseInt(response.headers?.get?.('Retry-After') ?? '', 10);
  return new ApiError(
    response.status,
    payload?.code ?? `http_${response.status}`,
    payload?.message ?? defaultMessage(response.status),
    {
      field: payload?.field,
      retryAfter: Number.isNaN(retryAfter) ? undefined : retryAfter,
      // A waiting room's busy answer: the arrival ticket to hand back on the next visit.
      arrival: response.headers?.get?.('Boxoffice-Arrival') ?? undefined,
      details: payload,
    },
  );
}

function defaultMessage(status) {
  if (status === 401) return t('error.401');
  if (status === 403) return t('error.403');
  if (status === 404) return t('error.404');
  if (status === 429) return t('error.429');
  if (status >= 500) return t('error.5xx');
  return t('error.other', { status });
}
