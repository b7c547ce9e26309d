// The Go WebSocket starter (Debian's Go 1.19 and gorilla/websocket, built offline) passes every
// check; its faults fail exactly the checks that should catch them — `no-utf8-check` shows that
// gorilla alone echoes invalid UTF-8 instead of closing with 1007.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAsLoopbackStudent, failingIds } from './own-server-starters.ts';

const source = fileURLToPath(new URL('../../starters/go/websocket/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'wirelab-go-starter-'));
const binary = join(work, 'echo-server');

beforeAll(async () => {
  await promisify(execFile)('go', ['build', '-o', binary, '.'], {
    cwd: source,
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(work, 'cache'), GOFLAGS: '' },
  });
}, 120_000); // a cold Go build on a busy CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function startGoStarter(fault: string): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(binary, ['-port', '0', '-fault', fault], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  const port = Number(/^LISTENING (\d+)$/.exec(line)?.[1]);
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

describe('starters/go/websocket', () => {
  it.each([
    ['', []],
    ['uppercase', ['fragmented-echo', 'ping-between-fragments', 'text-echo']],
    ['no-utf8-check', ['invalid-utf8-1007']],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startGoStarter(fault);
    try {
      const report = await checkAsLoopbackStudent('websocket', starter.port);
      expect(report.results).toHaveLength(10);
      expect(failingIds(report)).toEqual(expected);
    } finally {
      await starter.stop();
    }
  });
});
