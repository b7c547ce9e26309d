// The socket-io suite, to lesson 07's chat: the Python starter (Debian's python-socketio 5.7 on
// aiohttp) passes every check, and a socket.io chat with one realistic mistake at a time
// (own-server-fixtures/socket-io-server.ts) fails exactly the check that should catch it. The
// untouched skeleton fails every check its TODOs name.
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
import { startSocketIoFixture, type SocketIoFault } from './own-server-fixtures/socket-io-server.ts';

const ALL_CHECKS = ['eio-open', 'connect-with-name', 'join-ack', 'message-to-room', 'connect-without-name-error', 'unknown-sid-400'];

// Each test has a server of its own, and a suite mostly waits (on events, on answers that never
// come): the tests run side by side, two minutes each, as side by side each takes about as long as
// the file (a whole-project run at load ~30 on two cores took them past one minute).
describe.concurrent('starters/python/complete/socket_io_server.py', { timeout: 120_000 }, () => {
  it('passes every check', async () => {
    const starter = await startStarterProcess(PYTHON, [`${STARTERS}complete/socket_io_server.py`, '--port', '0'], 'socket_io_server.py');
    try {
      const report = await checkAsLoopbackStudent('socket-io', starter.port);
      expect(report.results.map((result) => result.id)).toEqual(ALL_CHECKS);
      expect(report.results.filter((result) => result.outcome !== 'pass').map((result) => [result.id, result.difference?.en])).toEqual([]);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/python/socket_io_server.py) listens and fails every check its TODOs name', async () => {
    const skeleton = await startPythonSkeleton('socket_io_server.py');
    try {
      const report = await expectSkeletonFailsItsTodos('socket-io', `${STARTERS}socket_io_server.py`, skeleton.port);
      // python-socketio speaks Engine.IO and accepts a CONNECT by itself: those are not the student's
      expect(idsWith(report, 'pass')).toEqual(['connect-with-name', 'eio-open', 'unknown-sid-400']);
    } finally {
      await skeleton.stop();
    }
  });
});

describe.concurrent('a socket.io chat with one mistake', { timeout: 120_000 }, () => {
  it.each<[SocketIoFault, string[]]>([
    ['', []],
    ['no-auth-check', ['connect-without-name-error']],
    ['no-ack', ['join-ack']],
    ['excludes-sender', ['message-to-room']],
  ])('with fault "%s" fails exactly %j', async (fault, failing) => {
    const fixture = await startSocketIoFixture(fault);
    try {
      const report = await checkAsLoopbackStudent('socket-io', fixture.port);
      expect(report.results).toHaveLength(ALL_CHECKS.length);
      expect(failingIds(report)).toEqual(failing);
    } finally {
      await fixture.close();
    }
  });
});
