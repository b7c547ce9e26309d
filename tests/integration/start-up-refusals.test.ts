// `npm start` a second time on one machine: the second Wirelab must say in one line why it
// cannot start (the data folder or the port is taken), in both languages, and exit 1 — it used
// to die with LevelDB's "Iterator is not open" stack trace when the folder was the same. And
// settings that would give a secret away (issue 51): a short TEACHER_KEY, TRUST_PROXY=true.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './redis-server.ts';
import { PORT_IN_USE } from '../scale/cluster.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const folders: string[] = [];
const children: ChildProcess[] = [];

function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wirelab-start-'));
  folders.push(dir);
  return dir;
}

/** `node --import tsx server/main.ts --dev` (no built pages needed), its output kept. */
function startWirelab(port: number, dataDir: string, settings: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--dev'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_FORMAT: 'json', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  // 'close': its output read to the end (at 'exit' the last of it can still be in the pipe)
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return { child, exited, output: () => output };
}

let port: number;
let firstDataDir: string;

beforeAll(async () => {
  port = await freePort();
  // a folder that is not there yet: main.ts makes it (and must make it private)
  firstDataDir = join(dataFolder(), 'data');
  const first = startWirelab(port, firstDataDir);
  // main.ts prints the teacher's link once it listens.
  await new Promise<void>((done, fail) => {
    const poll = setInterval(() => {
      if (first.output().includes('Teacher (keep this link')) {
        clearInterval(poll);
        done();
      } else if (first.child.exitCode !== null) {
        clearInterval(poll);
        fail(new Error(`the first Wirelab exited:\n${first.output()}`));
      }
    }, 100);
  });
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined)));
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('a second Wirelab on the same machine', () => {
  // Both refused starts run side by side: each takes a Node start-up with tsx, the file's main cost.
  let sameFolder: ReturnType<typeof startWirelab>;
  let samePort: ReturnType<typeof startWirelab>;
  beforeAll(async () => {
    sameFolder = startWirelab(await freePort(), firstDataDir);
    samePort = startWirelab(port, dataFolder());
  });

  it('with the same data folder: says the folder is in use, in one line in both languages, and exits 1', async () => {
    const second = sameFolder;
    expect(await second.exited).toBe(1);
    const output = second.output();
    expect(output).toContain('the data folder is in use by another Wirelab');
    expect(output).toContain('папка данных занята другим Wirelab');
    expect(output).not.toMatch(/Iterator is not open|\n\s+at /);
  }, 60_000);

  it('with the same port: says the port is in use, in both languages, and exits 1', async () => {
    const second = samePort;
    expect(await second.exited).toBe(1);
    const output = second.output();
    expect(output).toContain(`port ${port} on 127.0.0.1 is in use`);
    // what the scale tests' cluster looks for to start an instance on another port
    expect(output).toMatch(PORT_IN_USE);
    expect(output).toContain(`порт ${port} на 127.0.0.1 занят`);
    expect(output).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('a setting that would give a secret away', () => {
  let shortKey: ReturnType<typeof startWirelab>;
  let everyProxy: ReturnType<typeof startWirelab>;
  beforeAll(async () => {
    shortKey = startWirelab(await freePort(), dataFolder(), { TEACHER_KEY: '0427' });
    everyProxy = startWirelab(await freePort(), dataFolder(), { TRUST_PROXY: 'true' });
  });

  it('a TEACHER_KEY under 16 characters: one line in both languages, exit 1', async () => {
    expect(await shortKey.exited).toBe(1);
    const output = shortKey.output();
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain('TEACHER_KEY has 4 characters, fewer than 16');
    expect(output).toContain('в TEACHER_KEY 4 симв., меньше 16');
  }, 60_000);

  it('TRUST_PROXY=true: one line in both languages, exit 1', async () => {
    expect(await everyProxy.exited).toBe(1);
    const output = everyProxy.output();
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain('would believe an X-Forwarded-For the client writes itself');
    expect(output).toContain('поверил бы X-Forwarded-For, который клиент пишет сам');
  }, 60_000);
});

describe.skipIf(process.platform === 'win32')('the data folder the first Wirelab made', () => {
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('is its owner’s only: DATA_DIR and mqtt/ 0700; the database, its -wal and -shm and the session secret 0600', () => {
    expect(modeOf(firstDataDir)).toBe(0o700);
    expect(modeOf(join(firstDataDir, 'mqtt'))).toBe(0o700);
    for (const file of ['wirelab.sqlite', 'wirelab.sqlite-wal', 'wirelab.sqlite-shm', 'session-secret'])
      expect(modeOf(join(firstDataDir, file)), file).toBe(0o600);
  });
});
