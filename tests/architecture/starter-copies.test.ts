// Each Go starter folder is a `main` package of its own, one file to open beside the lesson: the
// small helpers every folder needs are copied into each one, skeleton and complete alike, rather
// than imported from a package of the module a student would have to look up. The copies must stay the same file: a fix to one is a
// fix to all.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const GO_STARTERS = join(ROOT, 'starters', 'go');

function filesNamed(name: string, folder = GO_STARTERS): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesNamed(name, path);
    return entry.name === name ? [path] : [];
  });
}

describe('the helpers copied into every Go starter folder', () => {
  it.each([
    ['listening.go', 16],
    ['reflection.go', 2],
    ['operation.go', 2],
  ])('%s is the same file in each of its %i folders', (name, folders) => {
    const copies = filesNamed(name);
    expect(copies.map((path) => relative(ROOT, path))).toHaveLength(folders);
    const first = readFileSync(copies[0], 'utf8');
    for (const copy of copies.slice(1)) expect(readFileSync(copy, 'utf8'), relative(ROOT, copy)).toBe(first);
  });
});
