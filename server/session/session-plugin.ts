import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { captureOwnerOf, newSessionId, sandboxOf, sessionCookie, sessionFromCookie } from './session-id.ts';

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
  app.addHook('onRequest', async (request) => {
    request.sandboxId = sandboxOf(request.headers);
    request.sessionId = captureOwnerOf(request.headers);
  });

  app.get('/_wirelab/session', async (request, reply) => {
    let session = sessionFromCookie(request.headers);
    if (!session) {
      session = newSessionId();
      reply.header('set-cookie', sessionCookie(session));
    }
    reply.header('cache-control', 'no-store');
    return { session, sandbox: session, recording: options.isRecording(session) };
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
