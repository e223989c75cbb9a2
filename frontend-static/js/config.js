/** Where the serverless routes (API Gateway) live, from the backend's /api/client-config, fetched once. */
import { api, ApiError } from './api.js';
import { t } from './i18n.js';

const RETRY_AFTER_FAILURE_MS = 30_000;
let config;

export function clientConfig() {
  config ??= api('/client-config', { auth: false }).catch((error) => {
    setTimeout(() => { config = undefined; }, RETRY_AFTER_FAILURE_MS);
    throw error;
  });
  return config;
}

export async function serverlessUrl(route) {
  const { serverlessApiUrl } = await clientConfig().catch(() => ({}));
  if (!serverlessApiUrl) {
    throw new ApiError(502, 'not_configured', t('error.notConfigured'));
  }
  return `${serverlessApiUrl.replace(/\/$/, '')}${route}`;
}
