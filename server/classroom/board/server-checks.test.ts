import { describe, expect, it } from 'vitest';
import type { CheckReport, CheckResult } from '../../../contracts/own-server/check-result.ts';
import { SERVER_CHECK_DIFFERENCE_MAX } from '../../../contracts/class-channel/messages.ts';
import { portOf, recordServerChecks, serverChecksOf } from './server-checks.ts';
import { SqliteClassroomStore } from '../stores/sqlite-classroom-store.ts';

const SESSION = 'Zm9vYmFyYmF6cXV4cXV1eGZvb2Jhcg';
const result = (id: string, outcome: CheckResult['outcome'], difference?: CheckResult['difference']): CheckResult => ({
  id,
  name: { en: id, ru: id },
  outcome,
  sent: 'GET / HTTP/1.1\nCookie: secret=1',
  expected: { en: 'x', ru: 'x' },
  why: { clause: 'RFC 9110 §1', text: { en: 'x', ru: 'x' } },
  got: 'HTTP/1.1 200 OK\nSet-Cookie: s=2',
  ...(difference ? { difference } : {}),
});
const report = (results: CheckResult[], extra: Partial<CheckReport> = {}): CheckReport => ({
  protocol: 'grpc',
  target: '192.168.1.5:50051',
  reachable: true,
  targetIsWirelab: false,
  counts: { passed: 0, failed: 0, notOffered: 0 },
  results,
  ...extra,
});

describe('serverChecksOf', () => {
  it('keeps counts, failed ids, verdicts and what differed — never the transcripts or the host', () => {
    const record = serverChecksOf(
      report([
        result('create-user-ok', 'pass'),
        result('deadline-exceeded', 'fail', { en: 'status 0, not 4', ru: 'статус 0, а не 4' }),
        result('reflection-offered', 'not-offered', { en: 'no reflection', ru: 'нет reflection' }),
      ]),
      1000,
      [SESSION],
    )!;
    expect(record.cell).toEqual({
      protocol: 'grpc',
      ms: 1000,
      passed: 1,
      failed: 1,
      notOffered: 1,
      failedIds: ['deadline-exceeded'],
      targetIsWirelab: false,
      port: 50051,
    });
    expect(record.checks).toEqual([
      { id: 'create-user-ok', outcome: 'pass', difference: null },
      { id: 'deadline-exceeded', outcome: 'fail', difference: { en: 'status 0, not 4', ru: 'статус 0, а не 4' } },
      { id: 'reflection-offered', outcome: 'not-offered', difference: { en: 'no reflection', ru: 'нет reflection' } },
    ]);
    expect(JSON.stringify(record)).not.toMatch(/192\.168|Cookie|HTTP\/1\.1/);
  });

  it("blanks the student's session, curl tokens and secret headers in what differed, and cuts it short", () => {
    const token = `curl.${'a'.repeat(64)}`;
    const record = serverChecksOf(
      report([result('a-check', 'fail', { en: `got ${SESSION} and ${token}\nAuthorization: Bearer xyz`, ru: 'x'.repeat(1000) })]),
      1,
      [SESSION],
    )!;
    const { en, ru } = record.checks[0].difference!;
    expect(en).not.toContain(SESSION);
    expect(en).not.toContain('a'.repeat(64));
    expect(en).not.toContain('Bearer xyz');
    expect(ru).toHaveLength(SERVER_CHECK_DIFFERENCE_MAX);
    expect(ru.endsWith('…')).toBe(true);
  });

  it("keeps nothing of a run in which no check ran, and drops ids that are not a check's", () => {
    expect(serverChecksOf(report([], { reachable: false, reason: 'no-answer' }), 1, [])).toBeNull();
    expect(serverChecksOf(report([result('<script>', 'fail'), result('ok-id', 'pass')]), 1, [])!.checks.map((check) => check.id)).toEqual(['ok-id']);
    expect(serverChecksOf(report([result('ok-id', 'pass')], { targetIsWirelab: true }), 1, [])!.cell.targetIsWirelab).toBe(true);
  });

  it('reads the port of host:port and [v6]:port', () => {
    expect(portOf('127.0.0.1:8000')).toBe(8000);
    expect(portOf('[::1]:50051')).toBe(50051);
    expect(portOf('localhost')).toBe(0);
    expect(portOf('h:70000')).toBe(0);
  });
});

describe('recordServerChecks', () => {
  const log = { warn: () => undefined } as never;
  it("records a member's run by their session, nobody else's, and not after the class ended", async () => {
    const store = new SqliteClassroomStore(':memory:');
    const { code } = store.createClass('A')!;
    const joined = store.join(code, 'Анна', null);
    if (!joined.ok) throw new Error('join');
    const changed: string[] = [];
    const deps = { store, teacherKey: 'k', classChanged: (of: string) => changed.push(of), log };
    const run = report([result('ok-id', 'pass')]);
    expect(await recordServerChecks(deps, SESSION, run)).toBe(false);
    store.bindSession(joined.member.id, SESSION);
    expect(await recordServerChecks(deps, null, run)).toBe(false);
    expect(await recordServerChecks(deps, SESSION, run)).toBe(true);
    expect(changed).toEqual([code]);
    expect(store.serverCellsOfClass(code).get(joined.member.id)).toMatchObject([{ protocol: 'grpc', passed: 1 }]);
    store.updateClassStatus(code, { endedMs: 5 });
    expect(await recordServerChecks(deps, SESSION, run)).toBe(false);
    store.close();
  });
});
