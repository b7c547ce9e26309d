// The grpc-websocket suite, the seminar's "WebSockets and gRPC in one service": the complete Python
// starter (grpc.aio on the port, the WebSocket on port+1) passes every check; its untouched skeleton
// fails every check its TODOs name; a service on ONE port (own-server-fixtures/grpc-websocket-server.ts,
// the other place the contract allows) passes, and with one mistake at a time fails exactly the
// checks that should catch it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAsLoopbackStudent,
  expectSkeletonFailsItsTodos,
  failingIds,
  PYTHON,
  STARTERS,
  startPythonSkeleton,
  startStarterProcess,
} from './own-server-starters.ts';
import { startGrpcWebSocketFixture, type GrpcWebSocketFault } from './own-server-fixtures/grpc-websocket-server.ts';

const ALL_CHECKS = [
  'events-handshake',
  'create-event',
  'event-proto3-json',
  'every-client-gets-event',
  'no-event-for-invalid',
  'ws-create-visible-grpc',
  'ws-create-broadcast',
  'ws-invalid-error',
  'close-1000',
  'closed-client-forgotten',
];

const stubs = mkdtempSync(join(tmpdir(), 'wirelab-grpc-ws-stubs-'));
beforeAll(async () => {
  await promisify(execFile)(PYTHON, [`${STARTERS}generate_grpc_stubs.py`, stubs]);
});
afterAll(() => rmSync(stubs, { recursive: true, force: true }));

// Each test has a server of its own, and a suite mostly waits (on events, on answers that never
// come): the tests run side by side, two minutes each, as side by side each takes about as long as
// the file (a whole-project run at load ~30 on two cores took them past one minute).
describe.concurrent('starters/python/complete/grpc_websocket_server.py (gRPC on the port, the WebSocket on port+1)', { timeout: 120_000 }, () => {
  it('passes every check', async () => {
    const starter = await startStarterProcess(PYTHON, [`${STARTERS}complete/grpc_websocket_server.py`, '--port', '0'], 'grpc_websocket_server.py', {
      GRPC_STUBS: stubs,
    });
    try {
      const report = await checkAsLoopbackStudent('grpc-websocket', starter.port);
      expect(report.results.map((result) => result.id)).toEqual(ALL_CHECKS);
      expect(report.results.filter((result) => result.outcome !== 'pass').map((result) => [result.id, result.difference?.en])).toEqual([]);
    } finally {
      await starter.stop();
    }
  });

  // seven checks wait in vain for an event the skeleton never sends (1.5 s each)
  it('its untouched skeleton (starters/python/grpc_websocket_server.py) listens and fails every check its TODOs name', { timeout: 120_000 }, async () => {
    const skeleton = await startPythonSkeleton('grpc_websocket_server.py', { GRPC_STUBS: stubs });
    try {
      const report = await expectSkeletonFailsItsTodos('grpc-websocket', `${STARTERS}grpc_websocket_server.py`, skeleton.port);
      // what the libraries do by themselves: the handshake and the closing handshake
      expect(report.results.filter((result) => result.outcome === 'pass').map((result) => result.id)).toEqual(['events-handshake', 'close-1000']);
    } finally {
      await skeleton.stop();
    }
  });
});

describe.concurrent('one service on one port (HTTP/2 preface → gRPC, else HTTP/1.1 and the WebSocket)', { timeout: 120_000 }, () => {
  it.each<[GrpcWebSocketFault, string[]]>([
    ['', []],
    ['proto-names', ['event-proto3-json']],
    ['event-before-validation', ['no-event-for-invalid']],
    ['ws-create-not-stored', ['ws-create-visible-grpc']],
    ['last-client-only', ['every-client-gets-event', 'ws-create-broadcast']],
    ['ws-error-closes', ['ws-invalid-error']],
  ])('with fault "%s" fails exactly %j', async (fault, failing) => {
    const fixture = await startGrpcWebSocketFixture(fault);
    try {
      const report = await checkAsLoopbackStudent('grpc-websocket', fixture.port);
      expect(report.results).toHaveLength(ALL_CHECKS.length);
      expect(failingIds(report)).toEqual(failing);
    } finally {
      await fixture.close();
    }
  });
});
