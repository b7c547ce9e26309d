import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { CaptureChunk, CapturedConnection } from '../../wire/types.ts';
import { measureEvents, measureRun, spreadOf, type ConnectionCapture } from './measure.ts';

const text = new TextEncoder();

/** A connection as the store would hold it: chunks as recorded, decoded by the real decoders. */
function captured(connection: CapturedConnection, parts: Array<[dir: 'in' | 'out', t: number, bytes: string | Uint8Array]>): ConnectionCapture {
  const offsets = { in: 0, out: 0 };
  const chunks: CaptureChunk[] = parts.map(([dir, t, bytes], seq) => {
    const data = typeof bytes === 'string' ? text.encode(bytes) : bytes;
    const chunk = { conn: connection.id, seq, dir, t, offset: offsets[dir], data };
    offsets[dir] += data.length;
    return chunk;
  });
  const decoded = decodeConnection(connection, chunks);
  return {
    connection,
    chunks: chunks.map((chunk) => ({ dir: chunk.dir, t: chunk.t, length: chunk.data.length })),
    exchanges: decoded.exchanges,
    messages: decoded.messages ?? [],
  };
}

const conn = (id: string, openedAt: number): CapturedConnection => ({ id, transport: 'http/1.1', remote: '127.0.0.1:1', local: '127.0.0.1:8080', openedAt });

const getUser = 'GET /api/v1/users/1 HTTP/1.1\r\nHost: x\r\n\r\n';
const userBody = '{"id":1,"name":"Ada"}';
const userResponse = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${userBody.length}\r\n\r\n${userBody}`;
const fenceRequest = 'GET /_wirelab/session?fence=a HTTP/1.1\r\nHost: x\r\n\r\n';
const fenceResponse = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}';

describe('measureRun', () => {
  it('sums the recorded bytes inside the window, splits headers from bodies, counts round trips and new connections', () => {
    // c1 is warm (opened before the run, a fence on it first); c2 is opened by the run.
    const c1 = captured(conn('c1', 100), [
      ['in', 101, fenceRequest],
      ['out', 102, fenceResponse],
      ['in', 110, getUser],
      ['out', 115, userResponse],
      ['in', 130, fenceRequest],
      ['out', 131, fenceResponse],
    ]);
    const c2 = captured(conn('c2', 111), [
      ['in', 112, getUser],
      ['out', 120, userResponse.slice(0, 20)],
      ['out', 121, userResponse.slice(20)],
    ]);
    const run = measureRun([c1, c2], { from: 102, to: 130 });
    expect(run.conns).toEqual(['c1', 'c2']);
    expect(run.opened).toBe(1);
    expect(run.bytesUp).toBe(getUser.length * 2);
    expect(run.bytesDown).toBe(userResponse.length * 2);
    expect(run.payloadUp).toBe(0);
    expect(run.payloadDown).toBe(userBody.length * 2);
    expect(run.roundTrips).toBe(2);
    expect(run.versions).toEqual(['HTTP/1.1']);
    expect(run.ttfbMs).toBe(5);
    expect(run.totalMs).toBe(11);
    expect(run.focus).toEqual({ conn: 'c1', index: 1 });
  });

  it("leaves out connections that carried only the app's own traffic, and excluded ones", () => {
    const app = captured(conn('c3', 100), [
      ['in', 110, fenceRequest],
      ['out', 111, fenceResponse],
    ]);
    const other = captured(conn('c4', 100), [
      ['in', 112, getUser],
      ['out', 113, userResponse],
    ]);
    expect(measureRun([app, other], { from: 105, to: 200 }).conns).toEqual(['c4']);
    const none = measureRun([app, other], { from: 105, to: 200 }, new Set(['c4']));
    expect(none).toMatchObject({ conns: [], bytesUp: 0, bytesDown: 0, roundTrips: 0, ttfbMs: null, totalMs: null, focus: null });
  });

  it("counts a WebSocket frame's payload as payload and its header as overhead", () => {
    const upgrade =
      'GET /ws/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    const accept =
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n';
    const frame = new Uint8Array([0x81, 0x05, ...text.encode('hello')]);
    const ws = captured(conn('c5', 100), [
      ['in', 101, upgrade],
      ['out', 102, accept],
      ['out', 150, frame],
    ]);
    const run = measureRun([ws], { from: 140, to: 160 });
    expect(run.bytesDown).toBe(7);
    expect(run.payloadDown).toBe(5);
    expect(run.roundTrips).toBe(0);
    expect(run.opened).toBe(0);
  });
});

describe('measureEvents', () => {
  it("takes each event's latency from its trigger to the next byte out, and the idle bytes per minute", () => {
    const sse = captured(conn('c6', 100), [
      ['in', 101, 'GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['out', 102, 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n'],
      ['out', 205, '5\r\ndata:\r\n'],
      ['out', 310, '5\r\ndata:\r\n'],
      ['out', 1_000, '10\r\n: keep-alive\n\n\r\n'],
    ]);
    const events = measureEvents([sse], [200, 300], { from: 400, to: 30_400 });
    expect(events.latenciesMs).toEqual([5, 10]);
    expect(events.idleBytes).toBe(20);
    expect(events.idleBytesPerMinute).toBe(40);
    // a run that watched no idle window says nothing of idle cost (not 0 bytes per minute)
    expect(measureEvents([sse], [200, 300], null)).toMatchObject({ latenciesMs: [5, 10], idleBytes: null, idleBytesPerMinute: null });
  });
});

describe('spreadOf', () => {
  it('gives the median and the range, without the missing values', () => {
    expect(spreadOf([3, null, 1, 2])).toEqual({ median: 2, min: 1, max: 3, count: 3 });
    expect(spreadOf([4, 1])).toEqual({ median: 2.5, min: 1, max: 4, count: 2 });
    expect(spreadOf([null])).toBeNull();
  });
});

describe('summarize (an events row)', () => {
  it('takes the idle cost from the runs that watched an idle window only', async () => {
    const { summarize } = await import('./lab-runner.ts');
    const measure = measureRun([], { from: 0, to: 1 }, new Set());
    const run = (idle: number | null) => ({ measure, items: 3, events: { latenciesMs: [1], idleBytes: idle, idleWindow: null, idleBytesPerMinute: idle } });
    const settings = { job: 'events', size: 10, repetitions: 3, events: 3, idleSeconds: 30 } as never;
    expect(summarize('sse', settings, [run(null), run(null), run(120)]).idleBytesPerMinute).toBe(120);
    expect(summarize('sse', settings, [run(null)]).idleBytesPerMinute).toBeNull();
  });
});
