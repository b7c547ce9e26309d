import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handshakeRefusal } from '../answers/websocket-handshake.ts';
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE } from '../answers/problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route accepts a WebSocket upgrade (set by this plugin, from the route's options) */
    websocketEndpoint?: boolean;
  }
}

/**
 * @fastify/websocket accepts an upgrade on any route and then closes the WebSocket when the
 * route has no WebSocket handler (101, then close 1000), so a client cannot tell "no such
 * endpoint" from "the endpoint hung up". An upgrade whose route is not a WebSocket endpoint is
 * answered here, before any handshake, like any path with nothing behind it: 404, and the
 * connection is closed. The handshake rules of RFC 6455 that `ws` does not keep are kept here
 * too (`../answers/websocket-handshake.ts`): an upgrade to an endpoint with a
 * `Sec-WebSocket-Version` other than 13 gets 426 naming 13 (`ws` would accept 8), one whose
 * method is not GET gets 405 with `Allow: GET` (a POST upgrade to /graphql was a 404).
 * Upgrades routed by the one-port server itself (Socket.IO, /ws/) never reach Fastify.
 */
async function websocketEndpoints(app: FastifyInstance, options: { notFound(request: FastifyRequest, reply: FastifyReply): unknown }): Promise<void> {
  /** the URLs that have a WebSocket endpoint (on their GET route) */
  const endpointUrls = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (!route.websocket && !route.wsHandler) return;
    route.config = { ...route.config, websocketEndpoint: true };
    endpointUrls.add(route.url);
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.ws) return;
    reply.header('connection', 'close');
    const isEndpoint = request.routeOptions.config?.websocketEndpoint === true;
    const endpointHere = isEndpoint || (request.routeOptions.url !== undefined && endpointUrls.has(request.routeOptions.url));
    if (!endpointHere) return options.notFound(request, reply);
    const refusal = handshakeRefusal(request.raw);
    if (refusal) {
      if ('Upgrade' in refusal.headers) reply.header('connection', 'Upgrade, close');
      const { text, status } = refusal;
      reply.code(status).headers(refusal.headers).type(PROBLEM_MEDIA_TYPE);
      return reply.send(
        JSON.stringify({
          type: `${PROBLEM_TYPE_BASE}websocket-refused`,
          title: status === 405 ? 'Method Not Allowed' : 'Upgrade Required',
          status,
          detail: text.en,
          instance: request.url,
          localized: text,
        }),
      );
    }
    if (!isEndpoint) return options.notFound(request, reply);
  });
}

export default fp(websocketEndpoints, { name: 'wirelab-websocket-endpoints', dependencies: ['@fastify/websocket'] });
