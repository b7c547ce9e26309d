// No file under web/inspector/ over 300 lines, tests, style sheets and its README included (issue
// 56): the capture store had grown to 723 lines, one class holding its transport, memory budget,
// decode scheduling, restart identity, React binding and pcapng export, before it was split into a
// room per concern (web/inspector/README.md, "The capture store's rooms"). A file that reaches
// past the limit is the sign that a second concern moved in: split it by concern, not by length.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAX_LINES = 300;

/** Lines as `wc -l` counts them, a last line without its newline included. */
function lineCount(text: string): number {
  const newlines = text.split('\n').length - 1;
  return text.length > 0 && !text.endsWith('\n') ? newlines + 1 : newlines;
}

/** Every file under `directory` (its folders too) over MAX_LINES, as "path: N lines". */
export function filesOverLimit(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .map((path) => ({ path: relative(ROOT, path), lines: lineCount(readFileSync(path, 'utf8')) }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ path, lines }) => `${path}: ${lines} lines (over ${MAX_LINES}): split it by concern`);
}

describe(`no file under web/inspector/ over ${MAX_LINES} lines`, () => {
  it('holds for every file there', () => {
    expect(readdirSync(join(ROOT, 'web/inspector')).length).toBeGreaterThan(10);
    expect(filesOverLimit(join(ROOT, 'web/inspector'))).toEqual([]);
  });

  it('names a file one line over, and lets one at the limit be (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-file-length-'));
    try {
      writeFileSync(join(dir, 'at-limit.ts'), 'x\n'.repeat(MAX_LINES));
      writeFileSync(join(dir, 'over.ts'), `${'x\n'.repeat(MAX_LINES)}y`);
      expect(filesOverLimit(dir)).toEqual([`${relative(ROOT, join(dir, 'over.ts'))}: ${MAX_LINES + 1} lines (over ${MAX_LINES}): split it by concern`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
