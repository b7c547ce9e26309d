import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { newSessionId, SESSION_COOKIE, SESSION_COOKIE_OPTIONS, sessionOfCookies } from '../session/session-id.ts';

/** Paths the browser app routes itself (`/class`: a class's join link, in the student's language); the server answers them with index.html. */
const APP_ROUTE = /^\/(?:(?:ru|en)(?:\/[^.]*)?|class\/?)?$/;

/**
 * Says, on the wire, that the tap recorded this response's head only (see server/tap/README.md):
 * a student reading the connection in the inspector sees why the body is missing.
 */
export const RECORDED_HEADER = 'x-wirelab-recorded';

/** A request for the app itself (a built file or a page of the app), not one a student made. */
export function isAppFileRequest(method: string | undefined, url: string | undefined): boolean {
  if ((method !== 'GET' && method !== 'HEAD') || !url) return false;
  const path = url.split('?')[0];
  return path.startsWith('/assets/') || path === '/favicon.ico' || APP_ROUTE.test(path);
}

/**
 * Serves the built web app (`vite build` → dist/web): hashed assets cached for good,
 * index.html for the app's own routes, with the session cookie on a first visit.
 */
async function webAppPlugin(app: FastifyInstance, options: { root: string }): Promise<void> {
  if (!existsSync(join(options.root, 'index.html'))) {
    throw new Error(`The web app is not built: ${options.root}/index.html is missing. Run "npm run build".`);
  }
  const assetsDir = join(options.root, 'assets') + sep;
  await app.register(fastifyStatic, {
    root: options.root,
    index: false,
    wildcard: true,
    // `vite build` writes .br and .gz beside each compressible file (vite.config.ts): sent as they
    // are to a browser that accepts them, with Content-Encoding; the file itself otherwise.
    preCompressed: true,
    // send's own `Cache-Control: public, max-age=0` would override ours (set in setHeaders).
    cacheControl: false,
    setHeaders(res, path) {
      // Hashed names change with their content: kept for good. Anything else is revalidated
      // (ETag → 304) on every use.
      const hashed = path.startsWith(assetsDir);
      res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('vary', 'Accept-Encoding');
    },
  });

  const sendApp = (request: FastifyRequest, reply: FastifyReply) => {
    // Past the address's budget of new sessions the page is still served, without a cookie: its
    // own request for a session then gets the 429 and says so.
    if (!sessionOfCookies(request.cookies) && app.clientBudget.takeRequest('sessions', request.socket.remoteAddress ?? request.ip).ok) {
      reply.setCookie(SESSION_COOKIE, newSessionId(), SESSION_COOKIE_OPTIONS);
      // The connection of a cookieless first visit is not recorded; closing it makes the browser
      // open a new one, whose every request carries the cookie and so lands in the inspector.
      if (request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  };

  app.get('/', sendApp);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if ((request.method === 'GET' || request.method === 'HEAD') && APP_ROUTE.test(path)) return sendApp(request, reply);
    return sendNotFound(request, reply);
  });
}

/** Any path nobody serves: RFC 9457 problem details, like every other error here. */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0];
  return reply
    .code(404)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `Nothing is served at ${path}.`,
      instance: request.url,
      localized: { en: `Nothing is served at ${path}.`, ru: `По адресу ${path} ничего нет.` },
    });
}

export default fp(webAppPlugin, { name: 'wirelab-web-app' });
