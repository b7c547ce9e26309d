import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countOutcomes, type CheckOutcome, type CheckReport } from '../../contracts/own-server/check-result.ts';
import { OwnServerRunHistory, RUN_HISTORY_LIMITS } from './run-history.ts';

const SESSION = 'session-id-that-is-a-credential';
const folder = mkdtempSync(join(tmpdir(), 'wirelab-run-history-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function report(outcomes: Record<string, CheckOutcome>, options: { port?: number; wirelab?: boolean; protocol?: CheckReport['protocol'] } = {}): CheckReport {
  const results = Object.entries(outcomes).map(([id, outcome]) => ({
    id,
    name: { en: id, ru: id },
    outcome,
    sent: 'secret bytes',
    expected: { en: '', ru: '' },
    why: { clause: 'RFC 9110', text: { en: '', ru: '' } },
    got: 'secret bytes',
  }));
  const protocol = options.protocol ?? 'rest';
  return {
    protocol,
    target: `127.0.0.1:${options.port ?? 8000}`,
    reachable: true,
    targetIsWirelab: options.wirelab ?? false,
    counts: countOutcomes(results),
    results,
  };
}
const faulty = report({ 'etag-on-get': 'fail', 'get-200-json': 'pass' });
const fixed = report({ 'etag-on-get': 'pass', 'get-200-json': 'pass' }, { port: 8001 });

describe('the run history', () => {
  it('keeps runs per session and protocol, judges a fix, and survives a restart', () => {
    const file = join(folder, 'restart.sqlite');
    const before = new OwnServerRunHistory(file);
    expect(before.record(SESSION, faulty, 1000)).toMatchObject({ passed: false, fixed: [] });
    expect(before.record(SESSION, report({ 'etag-on-get': 'pass' }, { wirelab: true }), 2000)).toMatchObject({ passed: false });
    expect(before.exercisePassed(SESSION, 'rest')).toBe(false);
    expect(before.record(SESSION, fixed, 3000)).toMatchObject({ passed: true, fixed: ['etag-on-get'] });
    before.close();

    const after = new OwnServerRunHistory(file);
    expect(after.exercisePassed(SESSION, 'rest')).toBe(true);
    expect(after.exercisePassed(SESSION, 'sse')).toBe(false);
    expect(after.exercisePassed('another-session', 'rest')).toBe(false);
    expect(after.runs(SESSION, 'rest')).toEqual([
      {
        protocol: 'rest',
        atMs: 1000,
        target: '127.0.0.1:8000',
        targetIsWirelab: false,
        passed: ['get-200-json'],
        failed: ['etag-on-get'],
        notOffered: [],
        fixed: [],
      },
      expect.objectContaining({ atMs: 2000, targetIsWirelab: true, fixed: [] }),
      expect.objectContaining({ atMs: 3000, target: '127.0.0.1:8001', fixed: ['etag-on-get'] }),
    ]);
    after.close();
    // the session id is a credential: only its hash is written, and no transcript
    const bytes = readFileSync(file).toString('latin1') + readFileSync(`${file}-wal`, { flag: 'a+' }).toString('latin1');
    expect(bytes).not.toContain(SESSION);
    expect(bytes).not.toContain('secret bytes');
  });

  it('keeps nothing of a run in which no check ran', () => {
    const history = new OwnServerRunHistory(':memory:');
    expect(history.record(SESSION, { ...report({}), reachable: false, reason: 'no-answer' })).toBeNull();
    expect(history.runs(SESSION, 'rest')).toEqual([]);
    history.close();
  });

  it('is bounded per protocol, keeping the run that fixed the server; by age and in all', () => {
    const limits = { ...RUN_HISTORY_LIMITS, runsPerProtocol: 3, runsTotal: 5, keptMs: 10_000, pruneEveryMs: 0 };
    const history = new OwnServerRunHistory(':memory:', limits);
    history.record(SESSION, faulty, 1);
    history.record(SESSION, fixed, 2);
    for (let at = 3; at <= 6; at++) history.record(SESSION, faulty, at);
    expect(history.runs(SESSION, 'rest').map((run) => run.atMs)).toEqual([2, 4, 5, 6]);
    expect(history.exercisePassed(SESSION, 'rest')).toBe(true);
    // other sessions' runs push the total past 5: the oldest go first, a fix too
    history.record('other', faulty, 7);
    history.record('other', faulty, 8);
    expect(history.runs(SESSION, 'rest').map((run) => run.atMs)).toEqual([4, 5, 6]);
    expect(history.exercisePassed(SESSION, 'rest')).toBe(false);
    // a run older than keptMs goes at the next prune
    history.record('third', report({ 'connect-connack-0': 'pass' }, { protocol: 'mqtt' }), 10_007);
    expect(history.runs(SESSION, 'rest')).toEqual([]);
    expect(history.runs('other', 'rest').map((run) => run.atMs)).toEqual([7, 8]);
    history.close();
  });
});
