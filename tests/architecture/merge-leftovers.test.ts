// No file of the repository holds a merge's conflict markers: a README once shipped a table with
// both sides of a conflict in it, and nothing but a reader noticed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Generated, binary or recorded files: markers there would be data, not a merge. */
const SKIPPED = /(^proto\/gen\/|\.(png|jpg|ico|woff2?|pcapng|sqlite)$|^web\/wire\/fixtures\/)/;
const MARKER = /^(<{7}|>{7}) /m;

it('no tracked file holds conflict markers', () => {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && !SKIPPED.test(file));
  const marked = files.filter((file) => {
    try {
      return MARKER.test(readFileSync(join(ROOT, file), 'utf8'));
    } catch {
      return false; // listed but absent in this checkout
    }
  });
  expect(marked).toEqual([]);
}, 60_000);
