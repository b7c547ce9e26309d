import fp from 'fastify-plugin';
import { sendProblem } from '../protocols/shared/http-answers.ts';
import type { FastifyInstance } from 'fastify';
import { captureOwnerOf, hasUnusableCurlToken, newCurlToken, newSessionId, sandboxOf, SANDBOX_HEADER, sessionCookie, sessionFromCookie } from './session-id.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The sandbox this request reads and writes (see session-id.ts for how it is chosen). */
    sandboxId: string;
    /** The browser session (cookie) or the session a tool named; null for anonymous clients. */
    sessionId: string | null;
  }
}

export interface SessionPluginOptions {
  /** Is the session's traffic being recorded? (The tap owns that state.) */
  isRecording(sessionId: string): boolean;
}

/**
 * Picks each request's sandbox and session, and serves the browser's session endpoints:
 * `GET /_wirelab/session` (sets the cookie on first visit) and `POST /_wirelab/session/reset`.
 */
async function sessionPlugin(app: FastifyInstance, options: SessionPluginOptions): Promise<void> {
  app.decorateRequest('sandboxId', '');
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (request, reply) => {
    if (hasUnusableCurlToken(request.headers)) {
      // Not the shared sandbox instead: the student's curl would quietly work on other data.
      return reply.code(401).header('cache-control', 'no-store').type('application/problem+json').send({
        type: 'https://wirelab.dev/problems/curl-token-expired',
        title: 'Curl token expired or unknown',
        status: 401,
        detail: `The ${SANDBOX_HEADER} token has expired or was not made by this server: copy the command from the page again.`,
        instance: request.url,
        localized: {
          en: `The ${SANDBOX_HEADER} token has expired or was not made by this server: copy the command from the page again.`,
          ru: `Токен в ${SANDBOX_HEADER} просрочен или выдан не этим сервером: скопируйте команду со страницы ещё раз.`,
        },
      });
    }
    request.sandboxId = sandboxOf(request.headers);
    request.sessionId = captureOwnerOf(request.headers);
  });

  app.get('/_wirelab/session', async (request, reply) => {
    let session = sessionFromCookie(request.headers);
    if (!session) {
      // New sessions per client address (server/limits/: sessions), not per cookie.
      const budget = app.clientBudget.takeRequest('sessions', request.socket.remoteAddress ?? request.ip);
      if (!budget.ok) {
        return sendProblem(request, reply, 429, 'too-many-sessions', 'Too Many Requests', {
          en: `Too many new browser sessions from this address: at most ${budget.max} a minute. Try again in ${budget.retryAfterS} s (keep the cookie you were given).`,
          ru: `Слишком много новых сессий браузера с этого адреса: не больше ${budget.max} в минуту. Повторите через ${budget.retryAfterS} с (и сохраните выданный cookie).`,
        }, { 'retry-after': String(budget.retryAfterS) });
      }
      session = newSessionId();
      reply.header('set-cookie', sessionCookie(session));
    }
    reply.header('cache-control', 'no-store');
    // "Copy as curl" hands out this token, never the session id (session-id.ts, newCurlToken).
    const curl = newCurlToken(session);
    return { session, sandbox: session, recording: options.isRecording(session), curlToken: curl.token, curlTokenExpiresAt: curl.expiresAt };
  });

  app.post('/_wirelab/session/reset', async (request, reply) => {
    const session = sessionFromCookie(request.headers);
    if (!session) {
      return reply.code(400).type('application/problem+json').send({
        type: 'https://wirelab.dev/problems/no-session',
        title: 'No browser session',
        status: 400,
        detail: 'Only a browser session can reset its own sandbox: open the app first.',
      });
    }
    app.domain.resetSandbox(session);
    return reply.code(204).send();
  });
}

export default fp(sessionPlugin, { name: 'wirelab-session', dependencies: ['wirelab-domain'] });
