import type { IncomingHttpHeaders } from 'node:http';

/**
 * A browser's WebSocket or request comes from a page of this server: its `Origin` names the
 * same host (and port) the request was sent to. A page of another site on the LAN (or the
 * internet) opening the class channel with a student's cookies is refused. Clients that are
 * not browsers send no Origin: they have no one's cookies to misuse and pass.
 * Small on purpose: the listener's shared Origin check can replace it.
 */
export function isSameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  const host = headers.host ?? headers[':authority'];
  if (typeof origin !== 'string' || typeof host !== 'string' || origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.host.toLowerCase() === host.toLowerCase();
}
