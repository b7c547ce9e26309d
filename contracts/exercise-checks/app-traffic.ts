const APP_PREFIXES = ['/_wirelab/', '/assets/', '/favicon', '/@', '/node_modules/'];

/**
 * The app's own requests (page loads, bundles, the capture channel, the session) — hidden by
 * default so the student sees the requests they made.
 */
export function isAppTraffic(request: { method: string; path: string }): boolean {
  const { method, path } = request;
  if (APP_PREFIXES.some((prefix) => path.startsWith(prefix))) return true;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return path === '/' || path === '/ru' || path === '/en' || path.startsWith('/ru/') || path.startsWith('/en/');
}
