import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

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
 * connection is closed.
 * Upgrades routed by the one-port server itself (Socket.IO, /ws/) never reach Fastify.
 */
async function websocketEndpoints(app: FastifyInstance, options: { notFound(request: FastifyRequest, reply: FastifyReply): unknown }): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.websocket || route.wsHandler) route.config = { ...route.config, websocketEndpoint: true };
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.ws || request.routeOptions.config?.websocketEndpoint) return;
    reply.header('connection', 'close');
    return options.notFound(request, reply);
  });
}

export default fp(websocketEndpoints, { name: 'wirelab-websocket-endpoints', dependencies: ['@fastify/websocket'] });
