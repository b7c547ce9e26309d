import type { Bilingual } from '../../shared/bilingual.ts';
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Same as isAllowedOrigin, with this server's configured extra origins (for the classroom and plugins). */
    isAllowedOrigin(request: { headers: IncomingHttpHeaders }): boolean;
  }
}

/**
 * May a request with these headers act for the browser session its cookie names?
 * - no `Origin` header: yes. Browsers send one on every WebSocket handshake and every
 *   cross-origin request; tools (curl, python websockets, mosquitto, gRPC clients) do not, and
 *   they carry only what their user gave them;
 * - the page's origin is this server's own (its host and port are the request's `Host`): yes;
 * - the origin is one of `allowedOrigins` (a reverse proxy's public origin): yes;
 * - anything else (another port or host, `null` from a sandboxed frame or a file): no.
 * A page on the same host at another port is another origin, but the same *site*: the browser
 * sends it the `SameSite=Lax` session cookie, so only this check keeps it out.
 */
export function isAllowedOrigin(request: { headers: IncomingHttpHeaders }, allowedOrigins: readonly string[] = []): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false;
  }
  if (page.origin === 'null') return false;
  if (allowedOrigins.includes(page.origin)) return true;
  const host = request.headers.host ?? request.headers[':authority'];
  if (typeof host !== 'string' || host === '') return false;
  try {
    // Through URL, so that `Host: example:80` and `http://example` compare equal.
    return new URL(`${page.protocol}//${host}`).host === page.host;
  } catch {
    return false;
  }
}

/**
 * The origins of ALLOWED_ORIGINS (comma or space separated), each written as a browser sends it
 * (`https://wirelab.example.edu`, `http://10.0.0.5:8080`); anything else is refused.
 */
export function parseAllowedOrigins(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      let url: URL | null = null;
      try {
        url = new URL(entry);
      } catch {
        // reported below
      }
      if (!url || url.origin === 'null' || url.origin !== entry.replace(/\/$/, '')) {
        throw new Error(`ALLOWED_ORIGINS: "${entry}" is not an origin like https://wirelab.example.edu or http://10.0.0.5:8080`);
      }
      return url.origin;
    });
}

export const foreignOrigin = (origin: string): Bilingual => ({
  en: `A page of ${origin} may not use this server: only its own pages may (see ALLOWED_ORIGINS for a reverse proxy).`,
  ru: `Странице с ${origin} пользоваться этим сервером нельзя: только его собственным страницам (для обратного прокси есть ALLOWED_ORIGINS).`,
});

/** A WebSocket upgrade from a foreign page: 403 before any handshake, then the connection is closed. */
export function refuseUpgrade(socket: Duplex, origin: string): void {
  const text = foreignOrigin(origin);
  const body = Buffer.from(`${text.en}\n${text.ru}\n`);
  socket.end(
    `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body.toString('latin1')}`,
    'latin1',
  );
}

/**
 * Refuses every HTTP request a foreign page makes (403 problem+json, before any route runs):
 * the server sends no CORS headers, so such a page could not read the answers anyway, but its
 * requests would carry the student's cookie, write into their sandbox, take their quotas
 * (Engine.IO sessions, SSE streams) and show up in their inspector.
 * WebSocket upgrades are refused by the one-port server (server/app.ts) with the same check.
 */
async function sameOrigin(app: FastifyInstance, options: { allowedOrigins?: readonly string[] }): Promise<void> {
  const allowed = options.allowedOrigins ?? [];
  app.decorate('isAllowedOrigin', (request: { headers: IncomingHttpHeaders }) => isAllowedOrigin(request, allowed));
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (isAllowedOrigin(request, allowed)) return;
    const text = foreignOrigin(String(request.headers.origin));
    return reply
      .code(403)
      .header('cache-control', 'no-store')
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'https://wirelab.dev/problems/foreign-origin',
          title: 'Forbidden',
          status: 403,
          detail: text.en,
          instance: request.url,
          localized: text,
        }),
      );
  });
}

export default fp(sameOrigin, { name: 'wirelab-same-origin' });
