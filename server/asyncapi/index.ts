import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asyncApiDocument } from './asyncapi-document.ts';

export const ASYNCAPI_PATH = '/api/asyncapi.json';

/** Serves the AsyncAPI document, its servers naming the host the client asked for (as it reached us). */
async function asyncApiPlugin(app: FastifyInstance): Promise<void> {
  app.get(ASYNCAPI_PATH, { schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'no-cache');
    return asyncApiDocument(request.headers.host ?? request.hostname);
  });
}

export default fp(asyncApiPlugin, { name: 'wirelab-asyncapi' });
