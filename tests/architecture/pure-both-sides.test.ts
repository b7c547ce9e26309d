// wire/ (the codecs of the public wire formats), contracts/ (our own wire formats, each with its
// PROTOCOL.md) and shared/ (small helpers) are the only code both the browser and the server
// import, so they must run in both: pure TypeScript, no Node module, no Node or DOM global,
// nothing from server/ or web/ (README, Layout). Checked two
// ways: their imports, and a compilation with ES2023 alone, neither the DOM's types nor Node's,
// which fails on any global of either (the web and server programs of tsconfig.web.json and
// tsconfig.server.json each have one of them, and would not notice).
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './function-lengths.ts';

const PURE = ['wire', 'contracts', 'shared'];
/** A whole program's check on a busy 2-core machine. */
const COMPILE_TIMEOUT_MS = 60_000;

const NODE_MODULES = new Set(builtinModules);
/** TextEncoder and TextDecoder: what both sides have and ES2023 does not declare. */
const BOTH_SIDES_GLOBALS = join(ROOT, 'tests/architecture/fixtures/both-sides-globals.d.ts');

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

/** The errors of compiling these files with ES2023 alone (no DOM, no @types/node), and the files the program took in. */
function compileWithoutEnvironment(files: string[]): { errors: string[]; programFiles: string[] } {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    types: [],
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
  });
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${relative(ROOT, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1} `
      : '';
    return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  });
  return { errors, programFiles: program.getSourceFiles().map((source) => relative(ROOT, source.fileName)) };
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
      const { errors, programFiles } = compileWithoutEnvironment([...files, BOTH_SIDES_GLOBALS]);
      expect(errors).toEqual([]);
      expect(programFiles.filter((file) => file.includes('@types/node'))).toEqual([]);
    },
    COMPILE_TIMEOUT_MS,
  );

  it(
    'the compilation fails on a DOM or Node global (the check can fail)',
    () => {
      const { errors } = compileWithoutEnvironment([join(ROOT, 'tests/architecture/fixtures/uses-globals.ts'), BOTH_SIDES_GLOBALS]);
      expect(errors.some((error) => error.includes("'document'"))).toBe(true);
      expect(errors.some((error) => error.includes("'Buffer'"))).toBe(true);
      expect(impureImports(join(ROOT, 'server/main.ts')).some((found) => found.includes('node:'))).toBe(true);
    },
    COMPILE_TIMEOUT_MS,
  );
});
