// The Python WebSocket starter (the websockets library) passes every check; each deliberate fault
// fails exactly the checks that should catch it.
import { describe, expect, it } from 'vitest';
import { checkAsLoopbackStudent, expectSkeletonFailsItsTodos, failingIds, STARTERS, startPythonSkeleton, startPythonStarter } from './own-server-starters.ts';

describe('starters/python/complete/websocket_server.py', () => {
  it.each([
    ['', []],
    ['uppercase', ['fragmented-echo', 'ping-between-fragments', 'text-echo', 'utf8-in-one-byte-fragments', 'utf8-noncharacter-echoed']],
    ['binary-as-text', ['binary-65535-bytes-16-bit-length', 'binary-65536-bytes-64-bit-length', 'binary-echo']],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startPythonStarter('websocket_server.py', fault);
    try {
      const report = await checkAsLoopbackStudent('websocket', starter.port);
      expect(report.results).toHaveLength(37);
      expect(failingIds(report)).toEqual(expected);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/python/websocket_server.py) listens and fails every check its TODOs name', async () => {
    const skeleton = await startPythonSkeleton('websocket_server.py');
    try {
      await expectSkeletonFailsItsTodos('websocket', `${STARTERS}websocket_server.py`, skeleton.port);
    } finally {
      await skeleton.stop();
    }
  });
});
