import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createDomain, type Domain } from './domain.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The demo domain every protocol reads and writes (server/domain). */
    domain: Domain;
  }
}

export interface DomainPluginOptions {
  /** SQLite file; ':memory:' for tests */
  file: string;
}

async function domain(app: FastifyInstance, options: DomainPluginOptions): Promise<void> {
  const instance = createDomain({ file: options.file });
  app.decorate('domain', instance);
  app.addHook('onClose', async () => instance.close());
}

/** Decorates the app with `app.domain` and closes its database when the app closes. */
export const domainPlugin = fp(domain, { name: 'wirelab-domain', fastify: '5.x' });
