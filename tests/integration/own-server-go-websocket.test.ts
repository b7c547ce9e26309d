// The Go WebSocket starter (Debian's Go 1.19 and gorilla/websocket, built offline) passes every
// check; its faults fail exactly the checks that should catch them — `no-utf8-check` shows that
// gorilla alone echoes invalid UTF-8 instead of closing with 1007.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoSkeletonAndComplete, GO_STARTERS, startGoSkeleton, startGoStarter } from './own-server-go-starters.ts';
import { checkAsLoopbackStudent, expectSkeletonFailsItsTodos, failingIds } from './own-server-starters.ts';

const work = mkdtempSync(join(tmpdir(), 'wirelab-go-starter-'));
let binary = ''; // the complete version
let skeleton = '';

beforeAll(async () => {
  ({ complete: binary, skeleton } = await buildGoSkeletonAndComplete('websocket', work));
}, 120_000); // a cold Go build on a busy CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('starters/go/complete/websocket', () => {
  it.each([
    ['', []],
    ['uppercase', ['fragmented-echo', 'ping-between-fragments', 'text-echo', 'utf8-in-one-byte-fragments', 'utf8-noncharacter-echoed']],
    ['no-utf8-check', ['invalid-utf8-1007', 'invalid-utf8-in-fragments-1007', 'utf8-overlong-1007', 'utf8-surrogate-1007']],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startGoStarter(binary, fault);
    try {
      const report = await checkAsLoopbackStudent('websocket', starter.port);
      expect(report.results).toHaveLength(37);
      expect(failingIds(report)).toEqual(expected);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/go/websocket) listens and fails every check its TODOs name', async () => {
    const starter = await startGoSkeleton(skeleton);
    try {
      await expectSkeletonFailsItsTodos('websocket', join(GO_STARTERS, 'websocket', 'main.go'), starter.port);
    } finally {
      await starter.stop();
    }
  }, 30_000);
});
