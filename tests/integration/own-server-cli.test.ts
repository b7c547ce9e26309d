// The command line for a student's CI (issue 38, item 5): one line under each failure with the
// difference, the clause and the request, and a replay command; Russian throughout with LANG=ru;
// --json and --junit with the same checks and failures; a silent server stopped and failed (exit 1).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import { startPythonStarter, type RunningStarter } from './own-server-starters.ts';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'server/own-server/cli.ts'];

async function cli(args: string[], lang = 'C'): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [...CLI, ...args], { env: { ...process.env, LANG: lang } });
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

describe('npm run check-server', () => {
  let starter: RunningStarter;
  beforeAll(async () => {
    starter = await startPythonStarter('rest_server.py', 'no-etag');
  });
  afterAll(() => starter.stop());

  it('in Russian: the labels, the differences and the summary, a clause, request and replay under each failure', async () => {
    const { code, stdout } = await cli(['rest', `127.0.0.1:${starter.port}`], 'ru_RU.UTF-8');
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('пройдено: 28, не пройдено: 11');
    expect(lines).toContain('не пройдено  etag-on-get — GET отдаёт ETag');
    expect(stdout).not.toMatch(/\b(PASS|FAIL|passed|failed|replay)\b/);
    const failure = lines.indexOf('не пройдено  if-match-stale-412 — If-Match со старым ETag: 412');
    expect(lines[failure + 1]).toMatch(/^ {6}статус 200, а не 412 \[RFC 9110 §13\.1\.1, §15\.5\.13\] ← PUT \/api\/v1\/users\/\d+ HTTP\/1\.1$/);
    expect(lines[failure + 2]).toMatch(
      // the run's user is gone by then: the replay makes one, sends the request there, deletes it
      /^ {6}повторить: B='http:\/\/127\.0\.0\.1:\d+'; U=\$\(curl .*"\$B\/api\/v1\/users"\); .*; curl -i -X PUT .*-H 'if-match: "wirelab-stale-etag"'.* "\$U"; curl -s -o \/dev\/null -X DELETE "\$U"$/,
    );
  });

  it('--json is the report; --junit has the same checks, each failure a <failure>', async () => {
    const json = await cli(['rest', `127.0.0.1:${starter.port}`, '--json']);
    const report = JSON.parse(json.stdout) as CheckReport;
    expect(json.code).toBe(1);
    expect(report.counts).toEqual({ passed: 28, failed: 11, notOffered: 0 });
    const junit = await cli(['rest', `127.0.0.1:${starter.port}`, '--junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toContain('<testsuite name="wirelab.check-server.rest" tests="39" failures="11" errors="0" skipped="0">');
    expect(junit.stdout.match(/<testcase /g)).toHaveLength(39);
    expect(junit.stdout.match(/<failure message=/g)).toHaveLength(11);
  });

  it('--lang ru without LANG (a Windows terminal sets none): Russian', async () => {
    const { code, stdout } = await cli(['rest', `127.0.0.1:${starter.port}`, '--lang', 'ru'], '');
    expect(code).toBe(1);
    expect(stdout.trim().split('\n').at(-1)).toBe('пройдено: 28, не пройдено: 11');
  });

  it("through npm: --junit FILE writes XML that parses, npm's banner stays out of it", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wirelab-cli-'));
    try {
      const file = join(folder, 'report.xml');
      const npm = await run('npm', ['run', 'check-server', '--', 'rest', `127.0.0.1:${starter.port}`, '--junit', file], {
        env: { ...process.env, LANG: 'C' },
      }).catch((error: { code: number; stdout: string }) => error);
      expect(npm.stdout).toContain('> wirelab@');
      expect(npm.stdout).toContain(`28 passed, 11 failed — report in ${file}`);
      const xml = readFileSync(file, 'utf8');
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>')).toBe(true);
      expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
      expect(xml.match(/<failure message=/g)).toHaveLength(11);
      // a real XML parser: python3's
      await run('/usr/bin/python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])', file]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('a silent server: exit 1, every check failed, and where it stopped', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const { code, stdout } = await cli(['websocket', `127.0.0.1:${(silent.address() as AddressInfo).port}`]);
      expect(code).toBe(1);
      expect(stdout).toContain('stopped: the server never answered the connection waiting for the handshake answer of /ws/echo');
      expect(stdout.trim().split('\n').at(-1)).toBe('0 passed, 37 failed');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
