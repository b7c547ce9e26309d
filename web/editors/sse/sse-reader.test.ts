import { describe, expect, it } from 'vitest';
import { MAX_PENDING_EVENT_BYTES, SseStreamReader } from './sse-reader.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('the fetch client’s event-stream reader', () => {
  it('hands out each event once, when its blank line arrives, however the bytes are cut', () => {
    const stream = utf8('\uFEFF: hi\n\nid: 1\nevent: user.created\ndata: {"name":"Ада"}\n\nid: 2\ndata: x\r\n\r\n');
    for (const cut of [1, 2, 3, 7, stream.length]) {
      const reader = new SseStreamReader();
      const seen: Array<[string | undefined, string | undefined, boolean]> = [];
      for (let start = 0; start < stream.length; start += cut) {
        for (const event of reader.push(stream.subarray(start, start + cut))) seen.push([event.id, event.data, event.dispatched]);
      }
      expect(seen, `cut every ${cut} bytes`).toEqual([
        [undefined, undefined, false],
        ['1', '{"name":"Ада"}', true],
        ['2', 'x', true],
      ]);
    }
  });

  it('keeps an unfinished event until it is finished', () => {
    const reader = new SseStreamReader();
    expect(reader.push(utf8('retry: 2000\ndata: a'))).toEqual([]);
    expect(reader.push(utf8('\n\n')).map((event) => [event.retry, event.data])).toEqual([[2000, 'a']]);
  });

  it('gives up on an event that never ends', () => {
    const reader = new SseStreamReader();
    expect(() => reader.push(new Uint8Array(MAX_PENDING_EVENT_BYTES + 1).fill(0x61))).toThrow(/longer than/);
  });
});
