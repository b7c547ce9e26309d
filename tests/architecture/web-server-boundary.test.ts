// The web app and the server meet only in wire/ (the codecs of the public wire formats),
// contracts/ (our own wire formats, each with its PROTOCOL.md) and shared/ (pure helpers): a
// module of one side never imports a module of the other, and wire/, contracts/ and shared/
// import neither. Tests may cross (a server test decodes with
// the inspector's decoders to check what the server sent), and so may the scripts that record
// the decoders' fixtures from a running server (tests/fixture-recorders/).
import { readdirSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './imports.ts';

/** Parses every source file of the tree: 2 s on an idle machine, well past vitest's 5 s default on a busy 2-core one. */
const WHOLE_TREE_TIMEOUT_MS = 60_000;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

const FORBIDDEN: Record<string, string[]> = {
  web: ['server/'],
  server: ['web/'],
  wire: ['server/', 'web/'],
  contracts: ['server/', 'web/'],
  shared: ['server/', 'web/'],
};

describe('the boundary between the web app and the server', () => {
  it(
    'is crossed only through wire/, contracts/ and shared/',
    () => {
      const crossings = Object.entries(FORBIDDEN).flatMap(([side, others]) =>
        sourceFiles(join(ROOT, side)).flatMap((file) =>
          importsOf(file)
            .map((target) => relative(ROOT, target))
            .filter((target) => others.some((other) => target.startsWith(other)))
            .map((target) => `${relative(ROOT, file)} -> ${target}`),
        ),
      );
      expect(crossings).toEqual([]);
    },
    WHOLE_TREE_TIMEOUT_MS,
  );
});
