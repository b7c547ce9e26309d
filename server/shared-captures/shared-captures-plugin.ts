// Captures shared by link (README.md): the store in the domain's SQLite file, the routes, the
// thread that blanks uploads, and the purge of expired captures (at start, then every minute).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { BlankingThread, type BlankerSettings } from './blanking.ts';
import sharedCaptureRoutes from './routes.ts';
import { DEFAULT_SHARED_CAPTURE_LIMITS, SharedCaptureStore, type SharedCaptureLimits } from './shared-capture-store.ts';

export const PURGE_EVERY_MS = 60_000;

export interface SharedCapturesOptions {
  /** the SQLite file (the domain's, DATA_DIR/wirelab.sqlite; ':memory:' in tests) */
  file: string;
  limits?: Partial<SharedCaptureLimits>;
  /** how the page of a session has its captures blanked (server/app.ts, pageBlanking) */
  blankingFor(session: string): BlankerSettings;
  /** the clock (tests) */
  now?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** what the rest of the app may ask of the shared captures: the classroom shows only a capture that is kept (server/classroom/controls/shown-capture.ts) */
    sharedCaptures: { isLive(id: string): boolean };
  }
}

async function sharedCapturesPlugin(app: FastifyInstance, options: SharedCapturesOptions): Promise<void> {
  const store = new SharedCaptureStore(options.file, { ...DEFAULT_SHARED_CAPTURE_LIMITS, ...options.limits }, options.now);
  app.decorate('sharedCaptures', { isLive: (id: string) => store.isLive(id) });
  const purge = () => {
    const purged = store.purgeExpired();
    if (purged > 0) app.log.info({ purged }, 'expired shared captures deleted');
  };
  purge();
  const purging = setInterval(purge, PURGE_EVERY_MS);
  purging.unref();
  const thread = new BlankingThread();
  app.addHook('onClose', async () => {
    clearInterval(purging);
    await thread.close();
    store.close();
  });
  await app.register(sharedCaptureRoutes, { store, blankingFor: options.blankingFor, thread });
}

// Not encapsulated: its decorator reaches the app (its routes register in their own context).
export default fp(sharedCapturesPlugin, { name: 'wirelab-shared-captures' });
