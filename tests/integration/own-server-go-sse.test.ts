// The Go SSE starter (Go 1.19's net/http alone, built offline) passes all 10 SSE checks; its faults
// fail exactly the checks that should catch them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoSkeletonAndComplete, GO_STARTERS, startGoSkeleton, startGoStarter } from './own-server-go-starters.ts';
import { checkAsLoopbackStudent, expectSkeletonFailsItsTodos, failingIds } from './own-server-starters.ts';

const work = mkdtempSync(join(tmpdir(), 'wirelab-go-sse-'));
let binary = ''; // the complete version
let skeleton = '';

beforeAll(async () => {
  ({ complete: binary, skeleton } = await buildGoSkeletonAndComplete('sse', work));
}, 120_000); // a cold Go build on a busy CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('starters/go/complete/sse', () => {
  it.each([
    ['', []],
    ['no-retry', ['retry-field']],
    ['no-resume', ['resume-last-event-id']],
  ])(
    'with fault "%s" fails exactly %j',
    async (fault, expected) => {
      const starter = await startGoStarter(binary, fault);
      try {
        const report = await checkAsLoopbackStudent('sse', starter.port);
        expect(report.results).toHaveLength(11);
        expect(failingIds(report)).toEqual(expected);
      } finally {
        await starter.stop();
      }
    },
    30_000,
  );

  it('its untouched skeleton (starters/go/sse) listens and fails every check its TODOs name', async () => {
    const starter = await startGoSkeleton(skeleton);
    try {
      await expectSkeletonFailsItsTodos('sse', join(GO_STARTERS, 'sse', 'main.go'), starter.port);
    } finally {
      await starter.stop();
    }
  }, 30_000);
});
