import { describe, expect, it } from 'vitest';
import { type FileTime, slowestFiles, slowestFilesTable } from './slowest-files-reporter.ts';

const file = (name: string, importMs: number, testsMs: number, project = 'e2e'): FileTime => ({ project, file: name, importMs, testsMs });

describe('the slowest files at the end of a run', () => {
  it('ranks files by import and tests together and keeps twenty', () => {
    const times = Array.from({ length: 30 }, (_, index) => file(`f${index}.test.ts`, index * 10, 1000 - index * 30));
    const slowest = slowestFiles(times);
    expect(slowest).toHaveLength(20);
    expect(slowest[0].file).toBe('f0.test.ts');
    expect(slowest.map((row) => row.importMs + row.testsMs)).toEqual([...slowest.map((row) => row.importMs + row.testsMs)].sort((a, b) => b - a));
  });

  it('prints seconds per file and the sum per project', () => {
    const table = slowestFilesTable([file('a.test.ts', 1500, 20_000), file('b.test.ts', 100, 400, 'unit')], 60_000);
    expect(table.split('\n')[0]).toBe('The 2 slowest test files (import + tests, seconds; wall 60 s; summed per project: e2e 22 s, unit 1 s):');
    expect(table).toContain('  21.5    1.5   20.0  e2e         a.test.ts');
    expect(table.indexOf('a.test.ts')).toBeLessThan(table.indexOf('b.test.ts'));
  });

  it('says how long each project ran, from its first file to its last', () => {
    const spans = new Map([
      ['e2e', { firstStartMs: 1_000, lastEndMs: 901_000 }],
      ['integration', { firstStartMs: 901_500, lastEndMs: 1_191_500 }],
    ]);
    const table = slowestFilesTable([file('a.test.ts', 1500, 20_000)], 1_200_000, spans);
    expect(table.split('\n')[0]).toBe(
      'The 1 slowest test files (import + tests, seconds; wall 1200 s, per project e2e 900 s, integration 290 s; summed per project: e2e 22 s):',
    );
  });
});
