// The Go starter of the seminar's "WebSockets and gRPC in one service" (grpc-go and
// gorilla/websocket on ONE port, h2c telling them apart; built as its module offline) passes the
// ten grpc-websocket checks (it listens on one port only, so the suite finds /events there); its faults fail exactly the
// checks that should catch them, and its untouched skeleton fails every check its TODOs name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoSkeletonAndComplete, GO_STARTERS, startGoSkeleton, startGoStarter } from './own-server-go-starters.ts';
import { checkAsLoopbackStudent, expectSkeletonFailsItsTodos, failingIds, idsWith } from './own-server-starters.ts';

const work = mkdtempSync(join(tmpdir(), 'wirelab-go-grpc-websocket-'));
let binary = ''; // the complete version
let skeleton = '';

beforeAll(async () => {
  ({ complete: binary, skeleton } = await buildGoSkeletonAndComplete('grpc-websocket', work));
}, 240_000); // grpc-go compiled cold on a busy 2-core CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Each test has a server of its own, and the suite mostly waits (on events that never come under a
// fault): the tests run side by side.
describe.concurrent('starters/go/complete/grpc-websocket', { timeout: 120_000 }, () => {
  it.each([
    ['', []],
    ['proto-names', ['event-proto3-json']],
    ['last-client-only', ['every-client-gets-event', 'ws-create-broadcast']],
    ['ws-error-closes', ['ws-invalid-error']],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startGoStarter(binary, fault);
    try {
      const report = await checkAsLoopbackStudent('grpc-websocket', starter.port);
      expect(report.results).toHaveLength(10);
      expect(failingIds(report)).toEqual(expected);
      expect(idsWith(report, 'not-offered')).toEqual([]);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/go/grpc-websocket) listens and fails every check its TODOs name', async () => {
    const starter = await startGoSkeleton(skeleton);
    try {
      const report = await expectSkeletonFailsItsTodos('grpc-websocket', join(GO_STARTERS, 'grpc-websocket', 'main.go'), starter.port);
      // what the libraries do by themselves: the handshake and the closing handshake
      expect(idsWith(report, 'pass')).toEqual(['close-1000', 'events-handshake']);
    } finally {
      await starter.stop();
    }
  });
});
