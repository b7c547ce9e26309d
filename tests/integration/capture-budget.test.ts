// The capture memory budget against a real server: one client with many fresh sessions and big
// echo calls cannot take the server's capture memory past its total, nor evict a student's
// captures from another address. Asserts on the hub's accounted bytes, never on timing.
import { request as httpRequest } from 'node:http';
import { newSessionId } from '../../server/session/session-id.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureMessage } from '../../server/tap/capture-types.ts';
import { startServer, type RunningServer } from './start-server.ts';

const MiB = 1024 * 1024;
const TOTAL = 4 * MiB;
const STUDENT_ADDRESS = '127.0.0.2';
const ABUSER_ADDRESS = '127.0.0.1';

let server: RunningServer;

beforeAll(async () => {
  // The byte budget per address would stop the abuser first: here only the capture budget holds.
  server = await startServer({
    tap: { totalBytes: TOTAL, ringBytes: 1 * MiB },
    clientLimits: { rates: { grpcBytes: { perAddress: 1024 * MiB } }, pacing: { bytesPerAddress: 1024 * MiB, bytesBurstPerAddress: 1024 * MiB } },
  });
});

afterAll(async () => {
  await server.close();
});

/** A session id as the server issues it (a made-up one is no session at all). */
const newSession = () => newSessionId();

/** A Connect JSON echo of `message` in `session`, from a chosen local address. */
function echo(session: string, message: string, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ message });
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/wirelab.lab.v1.LabService/Echo',
        localAddress: from,
        agent: false,
        headers: { cookie: `wirelab_session=${session}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function replayOf(session: string): CaptureMessage[] {
  const messages: CaptureMessage[] = [];
  const unsubscribe = server.app.captures!.subscribe(session, { deliver: (batch) => messages.push(...batch) });
  unsubscribe();
  return messages;
}

describe('the capture memory budget', () => {
  it('holds the total under an abuser with 40 sessions of 700 KB echoes; the student keeps every capture', async () => {
    const hub = server.app.captures!;
    const student = newSession();
    for (let i = 0; i < 5; i++) expect(await echo(student, `student says ${i}`, STUDENT_ADDRESS)).toBe(200);
    const studentBytes = replayOf(student)
      .flatMap((m) => (m.type === 'chunk' ? [m.chunk.data.length] : []))
      .reduce((a, b) => a + b, 0);
    expect(studentBytes).toBeGreaterThan(0);
    const studentHeld = hub.heldBytes(STUDENT_ADDRESS);

    const rssBefore = process.memoryUsage().rss;
    const big = 'x'.repeat(700 * 1024);
    for (let n = 0; n < 40; n++) {
      const session = newSession();
      expect(await echo(session, big, ABUSER_ADDRESS)).toBe(200);
      expect(hub.heldBytes()).toBeLessThanOrEqual(TOTAL);
    }
    const rssAfter = process.memoryUsage().rss;
    // For the record (RSS is the test process's, server and client together): the assertion is on the accounting.
    console.info(
      `capture budget: RSS ${(rssBefore / MiB).toFixed(0)} → ${(rssAfter / MiB).toFixed(0)} MiB; rings hold ${(hub.heldBytes() / MiB).toFixed(2)} MiB of ${TOTAL / MiB}`,
    );

    // Without the budget, 40 sessions × (700 KB in + 700 KB out, capped at 1 MiB) would hold 40 MiB.
    expect(hub.heldBytes()).toBeLessThanOrEqual(TOTAL);
    expect(hub.heldBytes(ABUSER_ADDRESS)).toBeGreaterThan(TOTAL / 2);
    expect(hub.heldBytes(STUDENT_ADDRESS)).toBe(studentHeld);
    const after = replayOf(student)
      .flatMap((m) => (m.type === 'chunk' ? [m.chunk.data.length] : []))
      .reduce((a, b) => a + b, 0);
    expect(after).toBe(studentBytes);
  });
});
