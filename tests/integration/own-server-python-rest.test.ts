// The Python REST starter passes every check; each deliberate fault fails exactly the checks that
// should catch it. The command line prints the same and exits 1 on a failure, 2 when nothing answers.
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkAsLoopbackStudent, expectSkeletonFailsItsTodos, failingIds, STARTERS, startPythonSkeleton, startPythonStarter } from './own-server-starters.ts';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'server/own-server/cli.ts'];

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [...CLI, ...args], { env: { ...process.env, LANG: 'C' } });
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

describe('starters/python/complete/rest_server.py', () => {
  it.each([
    ['', []],
    [
      'no-etag',
      [
        'etag-changes-on-write',
        'etag-on-get',
        'if-match-current-200',
        'if-match-list-put',
        'if-match-stale-412',
        'if-match-stale-delete-412',
        'if-none-match-304',
        'if-none-match-list-304',
        'if-none-match-star-304',
        'if-none-match-weak-304',
        'not-modified-etag',
      ],
    ],
    [
      'plain-errors',
      ['conflict-problem', 'empty-json-body-400', 'malformed-json-400', 'not-found-problem', 'unsupported-media-type-problem', 'validation-422-problem'],
    ],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startPythonStarter('rest_server.py', fault);
    try {
      const report = await checkAsLoopbackStudent('rest', starter.port);
      expect(report.results).toHaveLength(39);
      expect(failingIds(report)).toEqual(expected);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/python/rest_server.py) listens and fails every check its TODOs name', async () => {
    const skeleton = await startPythonSkeleton('rest_server.py');
    try {
      await expectSkeletonFailsItsTodos('rest', `${STARTERS}rest_server.py`, skeleton.port);
    } finally {
      await skeleton.stop();
    }
  });

  it('through the command line: a line per check, the summary last, exit 1 on a failure', async () => {
    const starter = await startPythonStarter('rest_server.py', 'no-etag');
    try {
      const { code, stdout } = await cli('rest', `127.0.0.1:${starter.port}`);
      const lines = stdout.trim().split('\n');
      expect(code).toBe(1);
      expect(lines.at(-1)).toBe('28 passed, 11 failed');
      expect(lines).toContain('FAIL  etag-on-get — GET carries an ETag');
      expect(lines.filter((line) => line.startsWith('PASS  '))).toHaveLength(28);
    } finally {
      await starter.stop();
    }
  }, 60_000); // a tsx process starting under a busy CI: a ceiling, not a measurement

  it('exits 2 when nothing listens, and when the address is another machine', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nothing = await cli('rest', `127.0.0.1:${port}`);
    expect(nothing.code).toBe(2);
    expect(nothing.stdout).toMatch(/Nothing answered/);
    const elsewhere = await cli('rest', '192.0.2.1:80');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stdout).toMatch(/only your own machine/);
  }, 60_000);
});
