// The Go REST starter (Go 1.19's net/http alone, built offline) passes every REST check; its
// faults fail exactly the checks that should catch them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoSkeletonAndComplete, GO_STARTERS, startGoSkeleton, startGoStarter } from './own-server-go-starters.ts';
import { checkAsLoopbackStudent, expectSkeletonFailsItsTodos, failingIds } from './own-server-starters.ts';

const work = mkdtempSync(join(tmpdir(), 'wirelab-go-rest-'));
let binary = ''; // the complete version
let skeleton = '';

beforeAll(async () => {
  ({ complete: binary, skeleton } = await buildGoSkeletonAndComplete('rest', work));
}, 120_000); // a cold Go build on a busy CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('starters/go/complete/rest', () => {
  it.each([
    ['', []],
    [
      'no-etag',
      [
        'etag-changes-on-write',
        'etag-on-get',
        'if-match-current-200',
        'if-match-list-put',
        'if-match-stale-412',
        'if-match-stale-delete-412',
        'if-none-match-304',
        'if-none-match-list-304',
        'if-none-match-star-304',
        'if-none-match-weak-304',
        'not-modified-etag',
      ],
    ],
    [
      'plain-errors',
      ['conflict-problem', 'empty-json-body-400', 'malformed-json-400', 'not-found-problem', 'unsupported-media-type-problem', 'validation-422-problem'],
    ],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startGoStarter(binary, fault);
    try {
      const report = await checkAsLoopbackStudent('rest', starter.port);
      expect(report.results).toHaveLength(39);
      expect(failingIds(report)).toEqual(expected);
      expect(report.results.filter((result) => result.outcome === 'not-offered')).toEqual([]);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/go/rest) listens and fails every check its TODOs name', async () => {
    const starter = await startGoSkeleton(skeleton);
    try {
      await expectSkeletonFailsItsTodos('rest', join(GO_STARTERS, 'rest', 'main.go'), starter.port);
    } finally {
      await starter.stop();
    }
  }, 30_000);
});
