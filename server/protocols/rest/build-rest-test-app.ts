import Fastify, { type FastifyInstance } from 'fastify';
import { domainPlugin } from '../../domain/index.ts';
import limitsPlugin from '../../limits/limits-plugin.ts';
import restPlugin, { type RestPluginOptions } from './index.ts';
import openApiPlugin from './openapi.ts';

/**
 * The REST plugin in a minimal app for unit tests: the sandbox comes from the
 * `x-wirelab-sandbox` header or is `shared`, as the session plugin would choose it.
 */
export async function buildRestTestApp(options: RestPluginOptions = { rateLimit: false }): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(limitsPlugin);
  await app.register(domainPlugin, { file: ':memory:' });
  app.decorateRequest('sandboxId', '');
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers['x-wirelab-sandbox'];
    request.sandboxId = typeof header === 'string' ? header : 'shared';
    request.sessionId = null;
  });
  await app.register(openApiPlugin);
  await app.register(restPlugin, { prefix: '/api', ...options });
  await app.ready();
  return app;
}
