// The web app and the server meet only in wire/ (the codecs of the public wire formats),
// contracts/ (our own wire formats, each with its PROTOCOL.md) and shared/ (pure helpers): a
// module of one side never imports a module of the other, and wire/, contracts/ and shared/
// import neither (wire/ not contracts/ either). Server tests may cross (a server test decodes with
// the inspector's decoders to check what the server sent), and so may the scripts that record
// the decoders' fixtures from a running server (tests/fixture-recorders/); a test of a web module
// against the server's own artefacts (its schema, its documents) lives in tests/, never in web/.
import { readdirSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './imports.ts';

/** Parses every source file of the tree: 2 s on an idle machine, well past vitest's 5 s default on a busy 2-core one. */
const WHOLE_TREE_TIMEOUT_MS = 60_000;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
const isTest = (file: string) => file.endsWith('.test.ts');
const sourceFiles = (directory: string) => typeScriptFiles(directory).filter((file) => !isTest(file));

const FORBIDDEN: Record<string, string[]> = {
  web: ['server/'],
  server: ['web/'],
  // wire/ is the bottom of the tree: the public formats' codecs need nothing of ours but shared/'s helpers
  wire: ['server/', 'web/', 'contracts/'],
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

  it(
    'is not crossed by the web app’s tests either',
    () => {
      const crossings = typeScriptFiles(join(ROOT, 'web'))
        .filter(isTest)
        .flatMap((file) =>
          importsOf(file)
            .map((target) => relative(ROOT, target))
            .filter((target) => target.startsWith('server/'))
            .map((target) => `${relative(ROOT, file)} -> ${target}`),
        );
      expect(crossings).toEqual([]);
    },
    WHOLE_TREE_TIMEOUT_MS,
  );
});
