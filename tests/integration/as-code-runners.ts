import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedCode } from '../../web/editors/as-code/generated.ts';
import { pythonProtocCommand } from '../../web/editors/as-code/grpc-code.ts';
import { GO_STUBS_COMMAND } from '../../web/editors/as-code/grpc-go-code.ts';
import { GO_BUILD_CACHE } from './go-build-cache.ts';

// Runs the programs "As code" wrote, in groups: one shell for every terminal command, one Python
// interpreter, one Node process and one Go binary for all the programs of a language, each
// program in turn (an error in one is printed and the next one runs). The folder each group runs
// in holds what a student's folder would: the project's proto/ (and buf.yaml), the stubs made by
// the very commands the programs' comments give, node_modules for the npm packages they import.

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PYTHON = '/usr/bin/python3';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<Outcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += data));
    child.stderr.on('data', (data) => (stderr += data));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    // a program that exits without reading its input closes the pipe first (EPIPE): its exit code
    // and output say what happened, the write's error says nothing more
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh folder laid out like a student's copy of the project. */
export function studentFolder(label: string): string {
  const folder = mkdtempSync(join(tmpdir(), `wirelab-as-code-${label}-`));
  symlinkSync(join(REPO_ROOT, 'proto'), join(folder, 'proto'));
  symlinkSync(join(REPO_ROOT, 'buf.yaml'), join(folder, 'buf.yaml'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(folder, 'node_modules'));
  return folder;
}

const MARK = '@@as-code-done';

/** Splits a group's output at the marks each program's end printed: one piece per program. */
function perProgram(stdout: string, count: number): string[] {
  const pieces = stdout.split(new RegExp(`^${MARK}\\n`, 'm'));
  return Array.from({ length: count }, (_, index) => pieces[index] ?? '');
}

export async function runTerminalGroup(programs: GeneratedCode[]): Promise<{ outputs: string[]; outcome: Outcome }> {
  const folder = studentFolder('terminal');
  // `npx buf` runs node_modules/.bin/buf, which is on PATH here: skip npm's own start-up for each of them
  const script = ['npx() { "$@"; }', ...programs.map((program) => `${program.code}\necho; echo ${MARK}`)].join('\n');
  const outcome = await run('bash', ['-c', script], { cwd: folder, env: { PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}` } });
  return { outputs: perProgram(outcome.stdout, programs.length), outcome };
}

/** The Python stubs, made by the command the gRPC programs print, once per .proto file. */
async function makePythonStubs(folder: string, programs: GeneratedCode[]): Promise<void> {
  const protoFiles = new Set(programs.flatMap((program) => /grpc_python_plugin proto\/(\S+\.proto)/.exec(program.code)?.[1] ?? []));
  for (const file of protoFiles) {
    const outcome = await run('bash', ['-c', pythonProtocCommand(file)], { cwd: folder });
    if (outcome.code !== 0) throw new Error(`protoc for ${file}: ${outcome.stderr}`);
  }
}

export async function runPythonGroup(programs: GeneratedCode[]): Promise<{ outputs: string[]; outcome: Outcome }> {
  const folder = studentFolder('python');
  await makePythonStubs(folder, programs);
  const files = programs.map((program, index) => {
    const file = join(folder, `program_${index}.py`);
    writeFileSync(file, program.code);
    return file;
  });
  const runner = [
    'import runpy, sys, traceback',
    `for path in ${JSON.stringify(files)}:`,
    '    try:',
    '        runpy.run_path(path, run_name="__main__")',
    '    except BaseException:',
    '        traceback.print_exc()',
    `    print(flush=True); print(${JSON.stringify(MARK)}, flush=True)`,
  ].join('\n');
  const outcome = await run(PYTHON, ['-c', runner], { cwd: folder, env: { PYTHONPATH: folder } });
  return { outputs: perProgram(outcome.stdout, programs.length), outcome };
}

/** JavaScript stubs by the command the gRPC programs print (buf generate, protoc-gen-es from node_modules). */
async function makeJavaScriptStubs(folder: string, programs: GeneratedCode[]): Promise<void> {
  const command = programs.map((program) => /^\/\/ Stubs, once, beside proto\/: (.*)$/m.exec(program.code)?.[1]).find(Boolean);
  if (!command) return;
  const outcome = await run('bash', ['-c', command], { cwd: folder, env: { PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}` } });
  if (outcome.code !== 0) throw new Error(`${command}: ${outcome.stderr}`);
}

export async function runJavaScriptGroup(programs: GeneratedCode[]): Promise<{ outputs: string[]; outcome: Outcome }> {
  const folder = studentFolder('javascript');
  await makeJavaScriptStubs(folder, programs);
  const files = programs.map((program, index) => {
    const file = join(folder, `program_${index}.mjs`);
    writeFileSync(file, program.code);
    return file;
  });
  const runner = [
    `for (const file of ${JSON.stringify(files)}) {`,
    '  try { await import(file); } catch (error) { console.error(error); }',
    `  console.log(); console.log(${JSON.stringify(MARK)});`,
    '}',
    'process.exit(0);',
  ].join('\n');
  writeFileSync(join(folder, 'runner.mjs'), runner);
  const outcome = await run(process.execPath, ['runner.mjs'], { cwd: folder });
  return { outputs: perProgram(outcome.stdout, programs.length), outcome };
}

/** The Go stubs, made by the command the gRPC programs print, into the folder's gopath/src. */
async function makeGoStubs(folder: string, programs: GeneratedCode[]): Promise<void> {
  if (!programs.some((program) => program.code.includes(GO_STUBS_COMMAND))) return;
  const outcome = await run('bash', ['-c', GO_STUBS_COMMAND], { cwd: folder });
  if (outcome.code !== 0) throw new Error(`protoc for Go: ${outcome.stderr}`);
}

/**
 * All Go programs in one binary, built once (one go build: the grpc-go and protobuf-go packages
 * compile once for all of them): each file's main becomes cellN (they declare nothing else at
 * top level), and a main calls them in turn, a panic in one printed and the next one run.
 * compileOnly: programs built into the binary but never called (those of cells the test does
 * not run), so they are at least proven to compile against the stubs.
 * Built offline the way the programs say: GO111MODULE=off, the stubs in the folder's gopath,
 * then Debian's Go packages (GOPATH=<folder>/gopath:/usr/share/gocode).
 */
export async function runGoGroup(programs: GeneratedCode[], compileOnly: GeneratedCode[] = []): Promise<{ outputs: string[]; outcome: Outcome }> {
  const folder = studentFolder('go');
  await makeGoStubs(folder, [...programs, ...compileOnly]);
  const source = join(folder, 'ascode');
  mkdirSync(source, { recursive: true });
  [...programs, ...compileOnly].forEach((program, index) => {
    if (!/\nfunc main\(\) \{\n/.test(program.code)) throw new Error(`program ${index} has no main`);
    writeFileSync(join(source, `cell_${index}.go`), program.code.replace(/\nfunc main\(\) \{\n/, `\nfunc cell${index}() {\n`));
  });
  const calls = programs.map((_, index) => `\tguarded(cell${index})`).join('\n');
  const built = compileOnly.map((_, index) => `cell${programs.length + index}`);
  const keep = built.length > 0 ? `\n// built, never called\nvar _ = []func(){${built.join(', ')}}\n` : '';
  const main = `package main\n\nimport "fmt"\n\nfunc guarded(cell func()) {\n\tdefer func() {\n\t\tif failure := recover(); failure != nil {\n\t\t\tfmt.Println("panic:", failure)\n\t\t}\n\t\tfmt.Println()\n\t\tfmt.Println(${JSON.stringify(MARK)})\n\t}()\n\tcell()\n}\n${keep}\nfunc main() {\n${calls}\n}\n`;
  writeFileSync(join(source, 'main.go'), main);
  const env = { GO111MODULE: 'off', GOPATH: `${join(folder, 'gopath')}:/usr/share/gocode`, GOCACHE: GO_BUILD_CACHE };
  const build = await run('go', ['build', '-o', join(folder, 'programs'), '.'], { cwd: source, env });
  if (build.code !== 0) throw new Error(`go build: ${build.stderr}`);
  const outcome = await run(join(folder, 'programs'), [], { cwd: folder });
  return { outputs: perProgram(outcome.stdout, programs.length), outcome };
}
