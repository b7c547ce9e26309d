// wire/ (the codecs of the public wire formats), contracts/ (our own wire formats, each with its
// PROTOCOL.md) and shared/ (small helpers) are the only code both the browser and the server
// import, so they must run in both: pure TypeScript, no Node module, no Node or DOM global,
// nothing from server/ or web/ (README, Layout). Checked two
// ways: their imports, and a compilation with ES2023 alone, neither the DOM's types nor Node's,
// which fails on any global of either (the web and server programs of tsconfig.web.json and
// tsconfig.server.json each have one of them, and would not notice): tsconfig.pure.json, which
// `npm run typecheck` checks too, compiled here by the same native compiler.
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { isAbsolute, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './function-lengths.ts';

const PURE = ['wire', 'contracts', 'shared'];
/** A whole program's check on a busy 2-core machine. */
const COMPILE_TIMEOUT_MS = 60_000;

const NODE_MODULES = new Set(builtinModules);

/** Each import of a file that is not pure: a Node module, or a path into server/ or web/. */
function impureImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(ts.sys.readFile(file) ?? '', true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter(
      (specifier) =>
        specifier.startsWith('node:') ||
        NODE_MODULES.has(specifier.split('/')[0]) ||
        (specifier.startsWith('.') && /^(server|web)\//.test(relative(ROOT, join(file, '..', specifier)))),
    )
    .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`);
}

/** TypeScript's native compiler, as `npm run typecheck` runs it: 1.1 s of CPU for this program, where the JS compiler's API took some 6 s. */
const NATIVE_TSC = join(ROOT, 'node_modules/typescript-native/bin/tsc');

/**
 * The errors of compiling a project with ES2023 alone (no DOM, no @types/node: tsconfig.pure.json,
 * which `npm run typecheck` checks too), and the files the program took in.
 */
function compileWithoutEnvironment(project: string): { errors: string[]; programFiles: string[] } {
  // tsc exits 2 when the program has errors: its output says which
  const run = spawnSync(process.execPath, [NATIVE_TSC, '-p', project, '--listFiles', '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' });
  if (run.error) throw run.error;
  const lines = run.stdout.split('\n').filter(Boolean);
  const listed = lines.filter((line) => isAbsolute(line));
  const errors = lines.filter((line) => !isAbsolute(line));
  if (run.status !== 0 && errors.length === 0) throw new Error(`tsc -p ${project} exited ${run.status}: ${run.stderr}`);
  return { errors, programFiles: listed.map((file) => relative(ROOT, file)) };
}

/** Test support beside the decoders: it reads their recorded fixtures from disk (the tools program compiles it). */
const TEST_SUPPORT = 'wire/fixtures/';

describe('wire/, contracts/ and shared/ are pure TypeScript both sides import', () => {
  const files = PURE.flatMap((folder) => sourceFiles(join(ROOT, folder))).filter((file) => !relative(ROOT, file).startsWith(TEST_SUPPORT));

  it('import no Node module and nothing from server/ or web/', () => {
    expect(files.length).toBeGreaterThan(5);
    expect(files.flatMap(impureImports)).toEqual([]);
  });

  it(
    'compile with neither the DOM nor Node: they use no global of either',
    () => {
      const { errors, programFiles } = compileWithoutEnvironment('tsconfig.pure.json');
      expect(errors).toEqual([]);
      expect(programFiles.filter((file) => file.includes('@types/node'))).toEqual([]);
      // every file of the three folders is in the program (a folder left out of its include would pass)
      const compiled = new Set(programFiles);
      expect(files.map((file) => relative(ROOT, file)).filter((file) => !compiled.has(file))).toEqual([]);
    },
    COMPILE_TIMEOUT_MS,
  );

  it(
    'the compilation fails on a DOM or Node global (the check can fail)',
    () => {
      const { errors } = compileWithoutEnvironment('tests/architecture/fixtures/tsconfig.uses-globals.json');
      expect(errors.some((error) => error.includes("'document'"))).toBe(true);
      expect(errors.some((error) => error.includes("'Buffer'"))).toBe(true);
      expect(impureImports(join(ROOT, 'server/main.ts')).some((found) => found.includes('node:'))).toBe(true);
    },
    COMPILE_TIMEOUT_MS,
  );
});
