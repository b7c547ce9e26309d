import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { CapturedConnection } from '../../wire/types.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// Issue 25, item 5: on h2c SSE the server wrote a `: keep-alive` DATA frame after the client had
// closed its socket; the client's kernel answered with a reset, and the frame was never read. The
// tap recorded it as sent. Here a real node:http2 client reads the stream's first event, closes,
// and the capture must say from which byte on the server's writes were not delivered.

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('bytes written after the client closed', () => {
  it('are marked not delivered in the capture and in the decoded connection, never as sent', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const client = http2.connect(server.origin);
    client.on('error', () => undefined);
    const request = client.request({ ':path': '/api/v1/events?heartbeat=1', accept: 'text/event-stream', 'x-wirelab-sandbox': session });
    request.on('error', () => undefined);
    // the stream's first block (`retry:`) has arrived: everything the server wrote so far was read
    await new Promise<void>((resolve) => request.once('data', () => resolve()));
    const readByClient = client.socket.bytesRead;
    client.destroy();

    const undeliveredOf = () =>
      capture.messages.flatMap((m) => (m.type === 'connection' && (m.conn as CapturedConnection).undelivered ? [m.conn as CapturedConnection] : []));
    // the next heartbeat reaches a closed socket (a reset answers it), the one after fails
    await capture.waitFor(() => undeliveredOf().length > 0 && capture.messages.some((m) => m.type === 'closed'), 15_000);
    const connection = undeliveredOf()[0];
    expect(connection.transport).toBe('h2c');
    expect(connection.undelivered!.reason).toBe('peer-closed');
    expect(connection.undelivered!.from).toBeGreaterThanOrEqual(readByClient);

    const closed = capture.messages.find((m) => m.type === 'closed' && m.conn === connection.id)!;
    const chunks = capture
      .chunks()
      .filter((chunk) => chunk.conn === connection.id)
      .map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
    const recordedOut = chunks.filter((chunk) => chunk.dir === 'out').reduce((total, chunk) => Math.max(total, chunk.offset + chunk.data.length), 0);
    expect(recordedOut).toBeGreaterThan(connection.undelivered!.from);

    const decoded = decodeConnection({ ...connection, closedAt: closed.t as number }, chunks);
    const out = (decoded.messages ?? []).filter((message) => message.dir === 'out' && message.layer === 'h2-frame');
    const late = out.filter((message) => message.undelivered);
    // every frame the client read is shown as sent; every frame after its close is not
    for (const message of out) expect(Boolean(message.undelivered), message.summary).toBe(message.range.end > connection.undelivered!.from);
    expect(out.filter((message) => message.range.end <= readByClient).every((message) => !message.undelivered)).toBe(true);
    expect(late.length).toBeGreaterThan(0);
    for (const message of late) {
      expect(message.fields?.type).toBe('DATA');
      expect(message.fields?.undelivered).toBe(true);
    }
    const note = decoded.notes.find((candidate) => candidate.node.kind === 'undelivered')!;
    expect(note.dir).toBe('out');
    expect(note.node.range).toEqual({ start: connection.undelivered!.from, end: recordedOut });
  }, 30_000);
});
