// The Go long-polling starter (Go 1.19's net/http alone, built as its module offline) passes the
// long-polling checks; its faults fail exactly the checks that should catch them, and its
// untouched skeleton fails every check its TODOs name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoSkeletonAndComplete, GO_STARTERS, startGoSkeleton, startGoStarter } from './own-server-go-starters.ts';
import { checkAsLoopbackStudent, expectSkeletonFailsItsTodos, failingIds, idsWith } from './own-server-starters.ts';
import { longPollingSuite } from '../../server/own-server/checks/long-polling.ts';

const work = mkdtempSync(join(tmpdir(), 'wirelab-go-long-polling-'));
let binary = ''; // the complete version
let skeleton = '';

beforeAll(async () => {
  ({ complete: binary, skeleton } = await buildGoSkeletonAndComplete('long-polling', work));
}, 120_000); // a cold Go build on a busy CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('starters/go/complete/long-polling', () => {
  it.each([
    ['', []],
    ['no-hold', ['held-until-event', 'released-by-event', 'timeout-204']],
    ['lost-between-polls', ['missed-event-replayed']],
    ['cacheable', ['no-store']],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startGoStarter(binary, fault);
    try {
      const report = await checkAsLoopbackStudent('long-polling', starter.port);
      expect(report.results).toHaveLength(longPollingSuite.checks.length);
      expect(failingIds(report)).toEqual(expected);
      expect(idsWith(report, 'not-offered')).toEqual([]);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/go/long-polling) listens and fails every check its TODOs name', async () => {
    const starter = await startGoSkeleton(skeleton);
    try {
      const report = await expectSkeletonFailsItsTodos('long-polling', join(GO_STARTERS, 'long-polling', 'main.go'), starter.port);
      expect(idsWith(report, 'pass')).toEqual(['since-now-cursor']);
    } finally {
      await starter.stop();
    }
  }, 30_000);
});
