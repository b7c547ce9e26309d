import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app.ts';

export interface RunningServer {
  app: FastifyInstance;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The real app on a real loopback port, with an in-memory database. `port`: 0 for an ephemeral one;
 * the port of a server this test closed, to start it again there (a restart the pages live through).
 */
export async function startServer(options: Partial<AppOptions> = {}, port = 0): Promise<RunningServer> {
  const app = await buildApp({ dataFile: ':memory:', webRoot: null, ...options });
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    // a port taken meanwhile: the app built for it closes, its database and timers with it
    await app.close();
    throw error;
  }
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  return {
    app,
    port: address.port,
    origin: `http://127.0.0.1:${address.port}`,
    close: () => app.close(),
  };
}

/** The server's log lines (pino JSON, `level` and up) as they are written: pass `logger` to startServer. */
export function collectLogLines(level = 'warn'): { lines: Array<Record<string, unknown>>; logger: AppOptions['logger'] } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: { level, stream } };
}
