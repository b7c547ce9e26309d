import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { decodeChunk, type CaptureFixture } from '../fixtures/read-fixture.ts';
import type { WireMessage } from '../types.ts';

// Real bytes of the Wirelab server's /api/v1/events, recorded by tests/fixture-recorders/capture-sse-fixture.ts.
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'sse-stream.json'), 'utf8')) as CaptureFixture;
const chunks = fixture.chunks.map(decodeChunk);
const decoded = fixture.connections.map((connection) =>
  decodeConnection(
    connection,
    chunks.filter((chunk) => chunk.conn === connection.id),
  ),
);
const [live, resumed] = decoded;
const text = (connection: (typeof decoded)[number], message: WireMessage) => new TextDecoder().decode(connection.streams.out.slice(message.range));

describe('SSE in a real chunked response of the Wirelab server', () => {
  it('marks every block of the stream: retry, the event, the heartbeat comment', () => {
    const response = live.exchanges[0].response!;
    expect(response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]).toMatch(/^text\/event-stream/);
    expect(response.headers.some(([name, value]) => name.toLowerCase() === 'transfer-encoding' && value === 'chunked')).toBe(true);
    const events = live.messages!.filter((message) => message.layer === 'sse-event');
    expect(events.map((message) => message.fields)).toEqual([
      { comment: false, hasRetry: true, retry: 3000, dataLines: 0, dispatched: false, complete: true },
      { comment: false, hasRetry: false, dataLines: 1, dispatched: true, complete: true, event: 'user.created', id: '1' },
      { comment: true, hasRetry: false, dataLines: 0, dispatched: false, complete: true },
    ]);
    expect(events.every((message) => message.dir === 'out' && message.group === 'exchange 0')).toBe(true);
    // Each message's bytes are its block as sent, without the chunk framing around it.
    expect(text(live, events[1])).toMatch(/^id: 1\nevent: user\.created\ndata: \{"id":13,"name":"Katherine Johnson".*\}\n\n$/);
    expect(text(live, events[2])).toBe(': keep-alive\n\n');
  });

  it('reads a resumed stream that is still open, with the missed event first after retry', () => {
    expect(resumed.exchanges[0].request.headers).toContainEqual(['Last-Event-ID', '1']);
    expect(resumed.exchanges[0].response!.complete).toBe(false);
    const events = resumed.messages!.filter((message) => message.layer === 'sse-event');
    expect(events[1].fields).toMatchObject({ event: 'user.created', id: '2', dispatched: true });
    expect(text(resumed, events[1])).toContain('"name":"Мэри Джексон"');
  });
});
