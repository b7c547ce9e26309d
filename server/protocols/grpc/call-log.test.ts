import { describe, expect, it } from 'vitest';
import { CallLog, type LoggedCall } from './call-log.ts';

function call(procedure: string): LoggedCall {
  return {
    procedure,
    protocol: 'connect',
    code: 0,
    message: '',
    startedAt: 0,
    durationMs: 1,
    received: 1,
    sent: 1,
    cancelledByClient: false,
    deadlineMs: null,
  };
}

describe('CallLog', () => {
  it('keeps the newest calls of each sandbox, newest first', () => {
    const log = new CallLog(2, 10);
    for (const name of ['a', 'b', 'c']) log.add('s', call(name));
    expect(log.recent('s', 10).map((c) => c.procedure)).toEqual(['c', 'b']);
    expect(log.served).toBe(3);
  });

  it('forgets the sandbox used least recently, however many calls it had', () => {
    const log = new CallLog(50, 2);
    log.add('a', call('1'));
    log.add('a', call('2'));
    log.add('b', call('3'));
    log.add('a', call('4')); // a is the most recent again
    log.add('c', call('5')); // b goes
    expect(log.recent('b', 10)).toEqual([]);
    expect(log.recent('a', 10).map((c) => c.procedure)).toEqual(['4', '2', '1']);
    expect(log.recent('c', 10).map((c) => c.procedure)).toEqual(['5']);
    log.add('c', call('6'));
    log.add('d', call('7')); // a goes: c was used after it
    expect(log.recent('a', 10)).toEqual([]);
    expect(log.recent('c', 10).map((c) => c.procedure)).toEqual(['6', '5']);
  });

  it('keeps the newest calls across many turns of its ring, newest first, up to the limit asked', () => {
    const log = new CallLog(3, 10);
    expect(log.recent('s', 10)).toEqual([]);
    log.add('s', call('1'));
    expect(log.recent('s', 10).map((c) => c.procedure)).toEqual(['1']);
    for (let i = 2; i <= 11; i++) log.add('s', call(String(i)));
    expect(log.recent('s', 10).map((c) => c.procedure)).toEqual(['11', '10', '9']);
    expect(log.recent('s', 2).map((c) => c.procedure)).toEqual(['11', '10']);
    expect(log.recent('s', 0)).toEqual([]);
    expect(log.served).toBe(11);
  });
});
