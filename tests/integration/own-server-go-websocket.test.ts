// The Go WebSocket starter (Debian's Go 1.19 and gorilla/websocket, built offline) passes every
// check; its faults fail exactly the checks that should catch them — `no-utf8-check` shows that
// gorilla alone echoes invalid UTF-8 instead of closing with 1007.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoStarter, startGoStarter } from './own-server-go-starters.ts';
import { checkAsLoopbackStudent, failingIds } from './own-server-starters.ts';

const work = mkdtempSync(join(tmpdir(), 'wirelab-go-starter-'));
const binary = join(work, 'echo-server');

beforeAll(() => buildGoStarter('complete/websocket', binary), 120_000); // a cold Go build on a busy CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('starters/go/websocket', () => {
  it.each([
    ['', []],
    ['uppercase', ['fragmented-echo', 'ping-between-fragments', 'text-echo']],
    ['no-utf8-check', ['invalid-utf8-1007']],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startGoStarter(binary, fault);
    try {
      const report = await checkAsLoopbackStudent('websocket', starter.port);
      expect(report.results).toHaveLength(14);
      expect(failingIds(report)).toEqual(expected);
    } finally {
      await starter.stop();
    }
  });
});
