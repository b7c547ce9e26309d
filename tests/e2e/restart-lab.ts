// What the restart e2e files share: a browser, a scratch directory, and a server made as `npm start`
// would make it again (its database file and session secret), stopped (Ctrl-C) and started again on
// the same port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../integration/start-server.ts';
import { assertBuilt, fileBrowser, releaseBrowser, WEB_ROOT } from './browser.ts';

type ServerOptions = Parameters<typeof startServer>[0];

export interface RestartLab {
  readonly browser: Browser;
  /** the server running now (undefined while stopped) */
  readonly server: RunningServer | undefined;
  /** the options that make the same server again: `name`'s database file in the scratch directory, one session secret, and `extra` */
  sameServerOptions(name?: string, extra?: Partial<ServerOptions>): ServerOptions;
  /** starts the server with `options` (on `port`: the one it had before a restart) */
  start(options: ServerOptions, port?: number): Promise<RunningServer>;
  /** Ctrl-C: stops the server; its port, to start again on */
  stop(): Promise<number>;
}

/** Registers the file's beforeAll/afterAll: the browser and scratch directory, and the server closed at the end. */
export function useRestartLab(name: string): RestartLab {
  let dir = '';
  let browser: Browser | undefined;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), `wirelab-${name}-`));
    browser = await fileBrowser();
  });
  afterAll(async () => {
    if (browser) await releaseBrowser(browser);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get browser() {
      if (!browser) throw new Error('the restart lab has no browser before beforeAll');
      return browser;
    },
    get server() {
      return server;
    },
    sameServerOptions: (file = 'wirelab', extra = {}) => ({
      webRoot: WEB_ROOT,
      tap: {},
      dataFile: join(dir, `${file}.sqlite`),
      sessionSecret: randomBytes(32),
      ...extra,
    }),
    async start(options, port) {
      server = await startServer(options, port);
      return server;
    },
    async stop() {
      if (!server) throw new Error('no server to stop');
      const { port } = server;
      await server.close();
      server = undefined;
      return port;
    },
  };
}
