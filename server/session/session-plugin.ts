import fp from 'fastify-plugin';
import { sendProblem } from '../answers/http-answers.ts';
import { sessionOfSelfConnection } from './self-connections.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  captureOwnerOf,
  hasUnusableCurlToken,
  malformedSandboxHeader,
  newCurlToken,
  newSessionId,
  publicSandboxName,
  sandboxOf,
  SANDBOX_HEADER,
  SESSION_COOKIE,
  SESSION_COOKIE_OPTIONS,
  sessionOfCookies,
} from './session-id.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The sandbox this request reads and writes (see session-id.ts for how it is chosen). */
    sandboxId: string;
    /** The browser session (cookie) or the session a tool named; null for anonymous clients. */
    sessionId: string | null;
  }
}

/** gRPC and gRPC-Web calls (the latter's -text too) read a status, not a problem document. */
const GRPC_CONTENT_TYPE = /^application\/grpc(?:-web(?:-text)?)?(?:[+;]|$)/i;
const GRPC_INVALID_ARGUMENT = 3;

/**
 * A gRPC "Trailers-Only" answer: HTTP 200 whose headers carry the status (gRPC over HTTP/2,
 * "Responses"; gRPC-Web reads it the same way), so the client reports INVALID_ARGUMENT and this
 * message, not the INTERNAL that an HTTP 400 would map to.
 */
function refuseGrpcCall(reply: FastifyReply, code: number, message: string): FastifyReply {
  const contentType = String(reply.request.headers['content-type'] ?? 'application/grpc');
  return reply
    .code(200)
    .header('content-type', contentType.split(';')[0])
    .header('grpc-status', String(code))
    .header('grpc-message', encodeURIComponent(message))
    .send();
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
      return reply
        .code(401)
        .header('cache-control', 'no-store')
        .type('application/problem+json')
        .send({
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
    const malformed = malformedSandboxHeader(request.headers);
    if (malformed !== null) {
      // Not the shared sandbox instead: a typo would quietly read and write everyone's data.
      const shown = malformed.length > 80 ? `${malformed.slice(0, 80)}…` : malformed;
      const text = {
        en: `${SANDBOX_HEADER} must be a sandbox name of 1 to 64 letters, digits, "-" or "_" (or a curl token copied from the page), not "${shown}".`,
        ru: `В ${SANDBOX_HEADER} должно быть имя песочницы: от 1 до 64 латинских букв, цифр, «-» или «_» (или токен curl, скопированный со страницы), а не «${shown}».`,
      };
      if (GRPC_CONTENT_TYPE.test(request.headers['content-type'] ?? '')) return refuseGrpcCall(reply, GRPC_INVALID_ARGUMENT, text.en);
      return sendProblem(request, reply, 400, 'bad-sandbox-header', 'Bad Request', text);
    }
    // the gRPC runner's calls into Wirelab name their browser session by their connection (self-connections.ts)
    const selfSession = sessionOfSelfConnection(request.raw.socket);
    request.sandboxId = selfSession !== null && request.headers[SANDBOX_HEADER] === undefined ? selfSession : sandboxOf(request.headers);
    request.sessionId = captureOwnerOf(request.headers) ?? selfSession;
  });

  app.get('/_wirelab/session', async (request, reply) => {
    let session = sessionOfCookies(request.cookies);
    if (!session) {
      // New sessions per client address (server/limits/: sessions), not per cookie.
      const budget = app.clientBudget.takeRequest('sessions', request.socket.remoteAddress ?? request.ip);
      if (!budget.ok) {
        return sendProblem(
          request,
          reply,
          429,
          'too-many-sessions',
          'Too Many Requests',
          {
            en: `Too many new browser sessions from this address: at most ${budget.max} a minute. Try again in ${budget.retryAfterS} s (keep the cookie you were given).`,
            ru: `Слишком много новых сессий браузера с этого адреса: не больше ${budget.max} в минуту. Повторите через ${budget.retryAfterS} с (и сохраните выданный cookie).`,
          },
          { 'retry-after': String(budget.retryAfterS) },
        );
      }
      session = newSessionId();
      reply.setCookie(SESSION_COOKIE, session, SESSION_COOKIE_OPTIONS);
    }
    reply.header('cache-control', 'no-store');
    // "Copy as curl" hands out this token, never the session id (session-id.ts, newCurlToken). Nor
    // does the answer name the session: the HttpOnly cookie is the credential, and what a page
    // script can read, a projected page or a pasted console log can show.
    const curl = newCurlToken(session);
    return { name: publicSandboxName(session), recording: options.isRecording(session), curlToken: curl.token, curlTokenExpiresAt: curl.expiresAt };
  });

  app.post('/_wirelab/session/reset', async (request, reply) => {
    const session = sessionOfCookies(request.cookies);
    if (!session) {
      return sendProblem(request, reply, 400, 'no-session', 'No browser session', {
        en: 'Only a browser session can reset its own sandbox: open the app first.',
        ru: 'Сбросить данные может только сессия браузера, и только свои: сначала откройте приложение.',
      });
    }
    app.domain.resetSandbox(session);
    return reply.code(204).send();
  });
}

// @fastify/cookie (registered in app.ts) parses request.cookies and writes reply.setCookie.
export default fp(sessionPlugin, { name: 'wirelab-session', dependencies: ['wirelab-domain', '@fastify/cookie'] });
