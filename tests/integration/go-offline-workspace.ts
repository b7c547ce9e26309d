// The Go starters build as the module they are (starters/go/go.mod, imports by module path), and
// CI proves it offline: a Go workspace (go.work, workspace mode, GOPROXY=off) whose `replace`
// directives point every module go.mod requires at Debian's sources of it (/usr/share/gocode/src;
// grpc-gateway from the .deb .ci/fetch-grpc-gateway.sh unpacks). Go reads a replaced module's
// go.mod from the replacement folder, and Debian's are the upstream ones, naming modules Debian
// does not ship (grpc-go 1.33's names envoyproxy's): so each replacement is a folder of our own
// with a go.mod naming only the module (and its go version) and a symlink to each entry of
// Debian's folder. Nothing is written into the repository: the starters are copied into the work
// folder, and the student's go.mod is used as it is.
//
// What that proves: every package the starters import is provided by a module go.mod requires
// (workspace mode is -mod=readonly: "no required module provides package" fails the build), the
// stubs `go generate ./stubs` writes land at the import paths the code uses, and the code compiles
// against the sources of the versions go.mod names as Debian packages them. What it cannot prove:
// that those versions resolve from proxy.golang.org with the go.sum `go mod tidy` writes, that
// Debian's patches are not needed, nor how the upstream requirement graph (which the replacements
// leave out) would raise an indirect dependency.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GO_BUILD_CACHE } from './go-build-cache.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** grpc-gateway's runtime, unpacked from Debian's .deb once per machine (.ci/run does it before the tests). */
export const GRPC_GATEWAY_GOPATH = process.env.WIRELAB_GRPC_GATEWAY_GOPATH ?? join(tmpdir(), 'wirelab-grpc-gateway');
/** Where Debian's Go sources are looked up, in order. */
const SOURCE_ROOTS = ['/usr/share/gocode/src', join(GRPC_GATEWAY_GOPATH, 'src')];
/**
 * The replacement folders, in one place per machine and the same path every time: Go's build cache
 * keys a package by its folder, so grpc-go compiles once for every test file and .ci/run's warm build.
 */
const REPLACEMENTS = process.env.WIRELAB_GO_MODULES ?? join(tmpdir(), 'wirelab-go-modules');

/** The module paths a go.mod requires, direct and indirect. */
export function requiredModules(goMod: string): string[] {
  const modules: string[] = [];
  let inBlock = false;
  for (const line of goMod.split('\n').map((each) => each.replace(/\/\/.*$/, '').trim())) {
    if (inBlock && line === ')') inBlock = false;
    else if (inBlock && line !== '') modules.push(line.split(/\s+/)[0]!);
    else if (line === 'require (') inBlock = true;
    else if (line.startsWith('require ')) modules.push(line.split(/\s+/)[1]!);
  }
  return modules;
}

/** The replacement folder of one module: a go.mod of its own, symlinks to Debian's files (none when Debian has no sources). */
function replacementFor(module: string): string {
  const source = SOURCE_ROOTS.map((root) => join(root, module)).find((path) => existsSync(path)) ?? '';
  const folder = join(REPLACEMENTS, createHash('sha256').update(`${module}\0${source}`).digest('hex').slice(0, 12), module);
  if (existsSync(join(folder, 'go.mod'))) return folder;
  // made aside, then renamed into place: test files running side by side may make the same one
  const aside = `${folder}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(aside, { recursive: true });
  const goVersion = source && existsSync(join(source, 'go.mod')) ? /^go\s+(\S+)/m.exec(readFileSync(join(source, 'go.mod'), 'utf8'))?.[1] : undefined;
  writeFileSync(join(aside, 'go.mod'), `module ${module}\n${goVersion ? `\ngo ${goVersion}\n` : ''}`);
  if (source) {
    for (const entry of readdirSync(source)) if (entry !== 'go.mod' && entry !== 'go.sum') symlinkSync(join(source, entry), join(aside, entry));
  }
  try {
    renameSync(aside, folder);
  } catch {
    rmSync(aside, { recursive: true, force: true }); // another file made it first
  }
  return folder;
}

/** go.work's replace directives for every module the go.mod at `goModPath` requires. */
export function offlineReplacements(goModPath: string): string {
  return requiredModules(readFileSync(goModPath, 'utf8'))
    .map((module) => `replace ${module} => ${replacementFor(module)}\n`)
    .join('');
}

/** The environment of a go command in the workspace `goWork`: module mode, nothing downloaded. */
export function offlineGoEnv(goWork: string): NodeJS.ProcessEnv {
  return { ...process.env, GO111MODULE: 'on', GOWORK: goWork, GOFLAGS: '', GOPROXY: 'off', GOSUMDB: 'off', GOCACHE: GO_BUILD_CACHE };
}

export interface StarterModule {
  /** the copy of starters/go, the module's root */
  root: string;
  env: NodeJS.ProcessEnv;
}

/**
 * A copy of starters/go in `work` (with proto/ beside it, as in the repository and the students'
 * zip), in a workspace onto Debian's sources; with `stubs`, its gRPC stubs generated the way the
 * README says (`go generate ./stubs`, Debian's protoc and plugins).
 */
export async function starterModule(work: string, options: { stubs?: boolean } = {}): Promise<StarterModule> {
  const root = join(work, 'starters', 'go');
  mkdirSync(dirname(root), { recursive: true });
  cpSync(join(REPO, 'starters', 'go'), root, { recursive: true });
  if (!existsSync(join(work, 'proto'))) symlinkSync(join(REPO, 'proto'), join(work, 'proto'));
  const goWork = join(work, 'go.work');
  writeFileSync(goWork, `go 1.19\n\nuse ./starters/go\n\n${offlineReplacements(join(root, 'go.mod'))}`);
  const env = offlineGoEnv(goWork);
  if (options.stubs) await promisify(execFile)('go', ['generate', './stubs'], { cwd: root, env });
  return { root, env };
}

/** go build -o binary ./<folder> in the module. */
export async function buildInModule(module: StarterModule, folder: string, binary: string): Promise<void> {
  await promisify(execFile)('go', ['build', '-o', binary, `./${folder}`], { cwd: module.root, env: module.env });
}

/**
 * Every package the Go starters import, compiled into the tests' build cache in module mode
 * (.ci/run starts it in the background before the tests, as it does for the GOPATH programs).
 * `go list -export` compiles each package for its export data and links nothing: `go build ./...`
 * also linked the starters' 16 programs, which no test can reuse (each builds its own copy in a
 * folder of its own). A cold cache: 45 s of CPU against 55 s; a warm one: 7 s against 25 s; either
 * way a starter's build afterwards compiles only its stubs and its main package.
 */
export async function warmGoModuleCache(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'wirelab-go-warm-'));
  try {
    const module = await starterModule(work, { stubs: true });
    await promisify(execFile)('go', ['list', '-deps', '-export', './...'], { cwd: module.root, env: module.env });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
