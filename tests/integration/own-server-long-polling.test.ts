// The long-polling suite, to lesson 09's contract: the Python starter passes every check, and a
// hand-written server with one realistic mistake at a time (own-server-fixtures/long-polling-server.ts)
// fails exactly the checks that should catch it. The untouched skeleton fails every check its TODOs name.
import { describe, expect, it } from 'vitest';
import {
  checkAsLoopbackStudent,
  expectSkeletonFailsItsTodos,
  failingIds,
  idsWith,
  PYTHON,
  STARTERS,
  startPythonSkeleton,
  startStarterProcess,
} from './own-server-starters.ts';
import { startLongPollingFixture, type LongPollingFault } from './own-server-fixtures/long-polling-server.ts';

const ALL_CHECKS = ['since-now-cursor', 'held-until-event', 'released-by-event', 'missed-event-replayed', 'timeout-204', 'no-store', 'bad-cursor-400'];

describe('starters/python/complete/long_polling_server.py', () => {
  it('passes every check', async () => {
    const starter = await startStarterProcess(PYTHON, [`${STARTERS}complete/long_polling_server.py`, '--port', '0'], 'long_polling_server.py');
    try {
      const report = await checkAsLoopbackStudent('long-polling', starter.port);
      expect(report.results.map((result) => result.id)).toEqual(ALL_CHECKS);
      expect(report.results.filter((result) => result.outcome !== 'pass').map((result) => [result.id, result.difference?.en])).toEqual([]);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/python/long_polling_server.py) listens and fails every check its TODOs name', async () => {
    const skeleton = await startPythonSkeleton('long_polling_server.py');
    try {
      const report = await expectSkeletonFailsItsTodos('long-polling', `${STARTERS}long_polling_server.py`, skeleton.port);
      expect(idsWith(report, 'pass')).toEqual(['since-now-cursor']);
    } finally {
      await skeleton.stop();
    }
  });
});

describe('a hand-written long-polling server with one mistake', () => {
  it.each<[LongPollingFault, string[]]>([
    ['', []],
    ['no-hold', ['held-until-event', 'released-by-event', 'timeout-204']],
    ['lost-between-polls', ['missed-event-replayed']],
    ['repeats-cursor', ['released-by-event', 'timeout-204']],
    ['cacheable', ['no-store']],
    ['crash-on-bad-cursor', ['bad-cursor-400']],
    ['answers-at-timeout', ['released-by-event']],
  ])('with fault "%s" fails exactly %j', async (fault, failing) => {
    const fixture = await startLongPollingFixture(fault);
    try {
      const report = await checkAsLoopbackStudent('long-polling', fixture.port);
      expect(report.results).toHaveLength(ALL_CHECKS.length);
      expect(failingIds(report)).toEqual(failing);
    } finally {
      await fixture.close();
    }
  });
});
