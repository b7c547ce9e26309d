import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFiles, type FileToOrder, fileDurationsJson, readFileDurations } from './file-order.ts';

const file = (project: string, seconds: number | undefined, more: Partial<FileToOrder> = {}): FileToOrder => ({
  groupOrder: project === 'e2e' ? 0 : 1,
  project,
  isolate: false,
  failed: false,
  seconds,
  ...more,
});

describe('the order test files start in', () => {
  it('keeps groups and projects in turn, and starts each project’s longest files first', () => {
    const files = [file('unit', 2), file('e2e', 10), file('integration', 60), file('e2e', 105), file('integration', 3), file('e2e', 4)];
    expect([...files].sort(compareFiles).map((entry) => `${entry.project} ${entry.seconds}`)).toEqual([
      'e2e 105',
      'e2e 10',
      'e2e 4',
      'integration 60',
      'integration 3',
      'unit 2',
    ]);
  });

  it('starts a file no run has timed first, then one that failed, as vitest does', () => {
    const files = [file('e2e', 50), file('e2e', 1, { failed: true }), file('e2e', undefined)];
    expect([...files].sort(compareFiles).map((entry) => entry.seconds)).toEqual([undefined, 1, 50]);
  });

  it('reads the committed durations, and none from a file that is missing or not an object', () => {
    const folder = mkdtempSync(join(tmpdir(), 'file-order-'));
    try {
      writeFileSync(join(folder, 'good.json'), '{"tests/e2e/a.test.ts": 12.5, "b": "no"}');
      writeFileSync(join(folder, 'bad.json'), '[1');
      expect([...readFileDurations(join(folder, 'good.json'))]).toEqual([['tests/e2e/a.test.ts', 12.5]]);
      expect(readFileDurations(join(folder, 'bad.json')).size).toBe(0);
      expect(readFileDurations(join(folder, 'missing.json')).size).toBe(0);
    } finally {
      rmSync(folder, { recursive: true });
    }
  });

  it('names in its committed durations only test files that exist', () => {
    const listed = [...readFileDurations().keys()];
    expect(listed.length).toBeGreaterThan(500);
    expect(listed.filter((path) => !existsSync(join(import.meta.dirname, '..', path)))).toEqual([]);
  });

  it('writes each file’s tests in seconds, by path, over the earlier list, for a fresh clone to start the longest first', () => {
    const earlier = new Map([
      ['tests/e2e/b.test.ts', 90],
      ['tests/e2e/kept.test.ts', 12],
      ['tests/e2e/deleted.test.ts', 30],
    ]);
    const json = fileDurationsJson(
      earlier,
      [
        { file: 'tests/e2e/b.test.ts', testsMs: 104_849 },
        { file: 'web/a.test.ts', testsMs: 30 },
      ],
      (path) => !path.includes('deleted'),
    );
    expect(JSON.parse(json)).toEqual({ 'tests/e2e/b.test.ts': 104.8, 'tests/e2e/kept.test.ts': 12, 'web/a.test.ts': 0 });
    expect(Object.keys(JSON.parse(json))).toEqual(['tests/e2e/b.test.ts', 'tests/e2e/kept.test.ts', 'web/a.test.ts']);
  });
});
