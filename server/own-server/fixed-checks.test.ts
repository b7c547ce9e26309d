import { describe, expect, it } from 'vitest';
import { exerciseVerdict, fixedChecks, type RunOutcomes } from './fixed-checks.ts';

const run = (failed: string[], passed: string[], targetIsWirelab = false): RunOutcomes => ({ targetIsWirelab, passed, failed });
const faulty = run(['etag-on-get', 'if-none-match-304'], ['get-200-json']);
const fixedServer = run([], ['etag-on-get', 'if-none-match-304', 'get-200-json']);

describe('lesson 15: a run fixed the student’s own server', () => {
  it('when checks that failed in an earlier run pass now and none fails', () => {
    expect(fixedChecks([faulty], fixedServer)).toEqual(['etag-on-get', 'if-none-match-304']);
    // on another port too, with a failed run of Wirelab and a good run between
    expect(fixedChecks([faulty, run(['heartbeat-comment'], [], true), fixedServer], fixedServer)).toEqual(['etag-on-get', 'if-none-match-304']);
  });

  it('never with a failure now: the untouched skeleton, or half fixed', () => {
    expect(fixedChecks([faulty], faulty)).toEqual([]);
    expect(fixedChecks([faulty], run(['if-none-match-304'], ['etag-on-get', 'get-200-json']))).toEqual([]);
  });

  it('never for Wirelab itself, and a failure of Wirelab is not the student’s', () => {
    expect(fixedChecks([faulty], run([], [...fixedServer.passed], true))).toEqual([]);
    expect(fixedChecks([run(['etag-on-get'], [], true)], fixedServer)).toEqual([]);
  });

  it('never without an earlier failure: a server passing from its first run shows no fix', () => {
    expect(fixedChecks([], fixedServer)).toEqual([]);
    expect(fixedChecks([fixedServer], fixedServer)).toEqual([]);
  });

  it('a check that failed before and is not offered now is not fixed', () => {
    expect(fixedChecks([run(['qos2-exactly-once'], [])], run([], ['connect-connack-0']))).toEqual([]);
  });

  it('the note says why in both languages, and a pass stays once made', () => {
    const first = exerciseVerdict([], fixedServer, false);
    expect(first).toMatchObject({ passed: false, fixed: [] });
    expect(first.note.en).toMatch(/first run of your server/);
    expect(first.note.ru).toMatch(/первый запуск на вашем сервере/);
    const itself = exerciseVerdict([faulty], run([], ['a'], true), false);
    expect(itself.note.en).toMatch(/Wirelab itself/);
    expect(itself.note.ru).toMatch(/сам Wirelab/);
    const fixed = exerciseVerdict([faulty], fixedServer, false);
    expect(fixed).toMatchObject({ passed: true, fixed: ['etag-on-get', 'if-none-match-304'] });
    expect(fixed.note.ru).toMatch(/Упражнение урока засчитано/);
    const brokenAgain = exerciseVerdict([faulty, fixedServer], faulty, true);
    expect(brokenAgain).toMatchObject({ passed: true, fixed: [] });
    expect(brokenAgain.note.en).toMatch(/^2 failed.*passed already/);
  });
});
