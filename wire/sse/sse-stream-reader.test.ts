import { describe, expect, it } from 'vitest';
import { decodeSseStream } from './decode-sse.ts';
import { contiguousOffsets } from '../payload-layers.ts';
import { SseStreamReader } from './sse-stream-reader.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** What a block says, as the checks and the console read it. */
const said = (event: { type?: string; id?: string; ignoredId?: string; data?: string; retry?: number; comments: string[]; dispatched: boolean }) => [
  event.type,
  event.id ?? event.ignoredId,
  event.data,
  event.retry,
  event.comments.join('|'),
  event.dispatched,
];

const STREAM =
  '\uFEFF: hi\n\nid: 1\nevent: user.created\ndata: {"name":"Ада"}\n\nretry: 2000\r\rid: 2\r\ndata: x\r\ndata: y\r\n\r\n: keep-alive\n\nid: a\u0000b\ndata: z\n\n';

describe('wire/sse stream reader', () => {
  it('hands out each block once its blank line arrived, as the whole-stream decoder reads it, however the bytes are cut', () => {
    const stream = utf8(STREAM);
    const whole = decodeSseStream(stream, contiguousOffsets(0)).events.map(said);
    for (let cut = 1; cut <= stream.length; cut++) {
      const reader = new SseStreamReader();
      const seen: unknown[] = [];
      for (let start = 0; start < stream.length; start += cut) seen.push(...reader.push(stream.subarray(start, start + cut)).map(said));
      expect(seen, `cut every ${cut} bytes`).toEqual(whole);
      expect(reader.pendingBytes).toBe(0);
      expect(reader.bomAfterStart).toBe(false);
    }
    expect(whole.map(([type, id]) => [type, id])).toEqual([
      [undefined, undefined],
      ['user.created', '1'],
      [undefined, undefined],
      ['message', '2'],
      [undefined, undefined],
      ['message', 'a\u0000b'],
    ]);
  });

  it('keeps an unfinished block, and says how long it is', () => {
    const reader = new SseStreamReader();
    expect(reader.push(utf8('retry: 2000\ndata: a'))).toEqual([]);
    expect(reader.pendingBytes).toBe(19);
    expect(reader.push(utf8('\n\n')).map((event) => [event.retry, event.data])).toEqual([[2000, 'a']]);
    expect(reader.pendingBytes).toBe(0);
  });

  it('finds a byte order mark after the start, even cut between chunks (HTML §9.2.5 skips only a leading one)', () => {
    const stream = utf8('data: a\n\n\uFEFFdata: b\n\n');
    for (let cut = 1; cut <= stream.length; cut++) {
      const reader = new SseStreamReader();
      for (let start = 0; start < stream.length; start += cut) reader.push(stream.subarray(start, start + cut));
      expect(reader.bomAfterStart, `cut every ${cut} bytes`).toBe(true);
    }
    // …and a browser reads it as part of the first field's name, which no field has: the id is lost
    const later = new SseStreamReader();
    expect(later.push(utf8('id: 1\ndata: a\n\n\uFEFFid: 2\ndata: b\n\n')).map((event) => [event.id, event.unknownFields])).toEqual([
      ['1', []],
      [undefined, ['\uFEFFid']],
    ]);
    const leading = new SseStreamReader();
    leading.push(utf8('\uFEFFdata: a\n\n'));
    expect(leading.bomAfterStart).toBe(false);
  });
});
