// Captures shared by link (README.md): the store in the domain's SQLite file, the routes, and the
// purge of expired captures (at start, then every minute).
import type { FastifyInstance } from 'fastify';
import type { CaptureBlanker } from '../classroom/capture-blanker.ts';
import sharedCaptureRoutes from './routes.ts';
import { DEFAULT_SHARED_CAPTURE_LIMITS, SharedCaptureStore, type SharedCaptureLimits } from './shared-capture-store.ts';

export const PURGE_EVERY_MS = 60_000;

export interface SharedCapturesOptions {
  /** the SQLite file (the domain's, DATA_DIR/wirelab.sqlite; ':memory:' in tests) */
  file: string;
  limits?: Partial<SharedCaptureLimits>;
  blankerFor(session: string): CaptureBlanker;
  /** the clock (tests) */
  now?: () => number;
}

export default async function sharedCapturesPlugin(app: FastifyInstance, options: SharedCapturesOptions): Promise<void> {
  const store = new SharedCaptureStore(options.file, { ...DEFAULT_SHARED_CAPTURE_LIMITS, ...options.limits }, options.now);
  const purge = () => {
    const purged = store.purgeExpired();
    if (purged > 0) app.log.info({ purged }, 'expired shared captures deleted');
  };
  purge();
  const purging = setInterval(purge, PURGE_EVERY_MS);
  purging.unref();
  app.addHook('onClose', async () => {
    clearInterval(purging);
    store.close();
  });
  await app.register(sharedCaptureRoutes, { store, blankerFor: options.blankerFor });
}
