// The Python SSE starter passes every check; each deliberate fault fails exactly the checks that
// should catch it.
import { describe, expect, it } from 'vitest';
import { checkAsLoopbackStudent, expectSkeletonFailsItsTodos, failingIds, STARTERS, startPythonSkeleton, startPythonStarter } from './own-server-starters.ts';

// Each test has a server of its own, and a suite mostly waits (on events, on answers that never
// come): the tests run side by side, two minutes each, as side by side each takes about as long as
// the file (a whole-project run at load ~30 on two cores took them past one minute).
describe.concurrent('starters/python/complete/sse_server.py', { timeout: 120_000 }, () => {
  it.each([
    ['', []],
    ['no-retry', ['retry-field']],
    ['no-resume', ['resume-last-event-id']],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startPythonStarter('sse_server.py', fault);
    try {
      const report = await checkAsLoopbackStudent('sse', starter.port);
      expect(report.results).toHaveLength(11);
      expect(failingIds(report)).toEqual(expected);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/python/sse_server.py) listens and fails every check its TODOs name', async () => {
    const skeleton = await startPythonSkeleton('sse_server.py');
    try {
      await expectSkeletonFailsItsTodos('sse', `${STARTERS}sse_server.py`, skeleton.port);
    } finally {
      await skeleton.stop();
    }
  });
});
