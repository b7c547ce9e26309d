// Imports never run in circles: a type two modules share lives in a third. Type-only and
// dynamic imports count too — a cycle of types today is a cycle of values after the next edit,
// and a lazy chunk that imports its importer ties the two chunks together.
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './imports.ts';

/** Parses every source file of the tree: 2 s on an idle machine, well past vitest's 5 s default on a busy 2-core one. */
const WHOLE_TREE_TIMEOUT_MS = 60_000;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_DIRECTORIES = ['server', 'web', 'wire', 'contracts', 'shared', 'bench', 'lessons', 'proto', 'tests'];
const SOURCE_FILE = /\.(ts|tsx|mts)$/;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Strongly connected components of more than one module, or a module importing itself (Tarjan). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let nextIndex = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (module: string) => {
    index.set(module, nextIndex);
    lowLink.set(module, nextIndex++);
    stack.push(module);
    onStack.add(module);
    for (const target of graph.get(module) ?? []) {
      if (!index.has(target)) {
        visit(target);
        lowLink.set(module, Math.min(lowLink.get(module)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(module, Math.min(lowLink.get(module)!, index.get(target)!));
      }
    }
    if (lowLink.get(module) === index.get(module)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== module);
      if (component.length > 1 || (graph.get(module) ?? []).includes(module)) cycles.push(component.sort());
    }
  };
  for (const module of graph.keys()) if (!index.has(module)) visit(module);
  return cycles;
}

describe('import cycles', () => {
  it('finds a cycle through a type-only import and a lazy import', () => {
    const graph = new Map([
      ['registry', ['cell-kinds', 'cell']],
      ['cell', ['registry']],
      ['cell-kinds', []],
    ]);
    expect(importCycles(graph)).toEqual([['cell', 'registry']]);
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads type-only, dynamic and re-exported imports of a module', () => {
    const registry = join(ROOT, 'web/lessons/cell-registry.tsx');
    const imports = importsOf(registry).map((file) => relative(ROOT, file));
    expect(imports).toContain('web/lessons/cell-kinds.ts');
    expect(imports).toContain('web/editors/http/http-cell.tsx');
  });

  it(
    'has none in the project',
    () => {
      const files = SOURCE_DIRECTORIES.flatMap((directory) => sourceFiles(join(ROOT, directory)));
      expect(files.length).toBeGreaterThan(200);
      const graph = new Map(files.map((file) => [file, importsOf(file)]));
      const cycles = importCycles(graph).map((cycle) => cycle.map((file) => relative(ROOT, file)));
      expect(cycles).toEqual([]);
    },
    WHOLE_TREE_TIMEOUT_MS,
  );
});
