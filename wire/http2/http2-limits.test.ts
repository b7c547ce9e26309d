import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { SeededRandom } from '../fuzz/seeded-random.ts';
import { contiguousOffsets } from '../payload-layers.ts';
import type { CaptureChunk, WireMessage, WireNode } from '../types.ts';
import { frame, handBuiltConnection } from './build-frames.test-helper.ts';
import { CLIENT_PREFACE } from './frames.ts';
import { HPACK_DEFAULT_TABLE_SIZE, HpackDecoder } from './hpack.ts';

const connection = handBuiltConnection;
/** Each argument is one chunk; `in` chunks follow the preface. Chunks alternate directions in time as given. */
function decodeChunks(...parts: Array<{ dir: 'in' | 'out'; bytes: number[] }>) {
  const offsets = { in: 0, out: 0 };
  const chunks: CaptureChunk[] = [];
  for (const [index, part] of [{ dir: 'in' as const, bytes: [...CLIENT_PREFACE] }, ...parts].entries()) {
    chunks.push({ conn: 'h', seq: index + 1, dir: part.dir, t: index + 1, offset: offsets[part.dir], data: Uint8Array.from(part.bytes) });
    offsets[part.dir] += part.bytes.length;
  }
  return decodeConnection({ ...connection, closedAt: 100 }, chunks);
}
const frames = (messages: WireMessage[] | undefined, dir: 'in' | 'out') =>
  (messages ?? []).filter((message) => message.layer === 'h2-frame' && message.dir === dir);
function all(node: WireNode): WireNode[] {
  return [node, ...(node.children ?? []).flatMap(all)];
}

// HPACK block ":method: GET" ":scheme: http" ":path: /" (static entries 2, 6, 4)
const GET_BLOCK = [0x82, 0x86, 0x84];

describe('HTTP/2: malformed header blocks give error nodes, never an exception', () => {
  it('HEADERS with PRIORITY and a 2-byte payload (no END_HEADERS), then CONTINUATION: a frame size error', () => {
    const decoded = decodeChunks({ dir: 'in', bytes: [...frame(0x1, 0x20, 1, [0, 0]), ...frame(0x9, 0x4, 1, GET_BLOCK)] });
    expect(frames(decoded.messages, 'in').map((message) => [message.fields?.type, message.tree.error])).toEqual([
      ['HEADERS', 'frame-size-error'],
      ['CONTINUATION', 'unexpected-continuation'],
    ]);
    expect(decoded.exchanges).toEqual([]);
  });

  it('a zero-length PUSH_PROMISE followed by CONTINUATION: a frame size error, no pushed stream', () => {
    const decoded = decodeChunks({ dir: 'out', bytes: [...frame(0x5, 0, 1, []), ...frame(0x9, 0x4, 1, GET_BLOCK)] });
    expect(frames(decoded.messages, 'out').map((message) => [message.fields?.type, message.tree.error])).toEqual([
      ['PUSH_PROMISE', 'frame-size-error'],
      ['CONTINUATION', 'unexpected-continuation'],
    ]);
    expect(decoded.exchanges).toEqual([]);
  });
});

describe('HTTP/2: values no parser produces', () => {
  it('a zero-length DATA frame with PADDED has no pad length: a frame size error, and no data node past the stream', () => {
    const decoded = decodeChunks({ dir: 'in', bytes: [...frame(0x1, 0x4, 1, GET_BLOCK), ...frame(0x0, 0x8 | 0x1, 1, [])] });
    const inboundEnd = decoded.streams.in.end;
    const data = frames(decoded.messages, 'in')[1];
    expect(data.fields?.type).toBe('DATA');
    expect(data.tree.error).toBe('frame-size-error');
    for (const node of [...all(data.tree), ...all(decoded.exchanges[0].request.tree)]) {
      expect(node.range.end, node.kind).toBeLessThanOrEqual(inboundEnd);
    }
    expect(all(decoded.exchanges[0].request.tree).filter((node) => node.kind === 'h2-data')).toEqual([]);
    // a frame that is not valid does not end the stream either
    expect(decoded.exchanges[0].request.complete).toBe(false);
  });

  it('a PUSH_PROMISE sent by the client is a protocol error, not a request promised by the server (RFC 9113 §8.4)', () => {
    const decoded = decodeChunks({ dir: 'in', bytes: [...frame(0x1, 0x4 | 0x1, 1, GET_BLOCK), ...frame(0x5, 0x4, 1, [0, 0, 0, 2, ...GET_BLOCK])] });
    const push = frames(decoded.messages, 'in')[1];
    expect(push.fields?.type).toBe('PUSH_PROMISE');
    expect(push.tree.error).toBe('push-promise-from-client');
    expect(push.summary).toMatch(/protocol error/);
    expect(all(push.tree).find((node) => node.kind === 'h2-promised-stream')?.value).not.toMatch(/server will answer/);
    expect(decoded.exchanges.map((exchange) => exchange.request.tree.label)).toEqual([expect.not.stringMatching(/promised/)]);
    expect(decoded.exchanges).toHaveLength(1);
  });

  it('a server PUSH_PROMISE still promises a stream', () => {
    const decoded = decodeChunks(
      { dir: 'in', bytes: frame(0x1, 0x4 | 0x1, 1, GET_BLOCK) },
      { dir: 'out', bytes: frame(0x5, 0x4, 1, [0, 0, 0, 2, ...GET_BLOCK]) },
    );
    expect(frames(decoded.messages, 'out')[0].tree.error).toBeUndefined();
    expect(decoded.exchanges.map((exchange) => exchange.request.tree.label)).toEqual([expect.any(String), expect.stringMatching(/promised by the server/)]);
  });

  // 001 11111 + 7-bit continuation: a table size update to `size` (RFC 7541 §6.3, §5.1)
  const sizeUpdate = (size: number): number[] => {
    if (size < 31) return [0x20 | size];
    const bytes = [0x3f];
    let rest = size - 31;
    while (rest >= 128) {
      bytes.push((rest % 128) + 128);
      rest = Math.floor(rest / 128);
    }
    bytes.push(rest);
    return bytes;
  };
  const settings = (tableSize: number) =>
    frame(0x4, 0, 0, [0, 1, (tableSize >>> 24) & 0xff, (tableSize >> 16) & 0xff, (tableSize >> 8) & 0xff, tableSize & 0xff]);
  const ACK = frame(0x4, 0x1, 0, []);
  const headersErrors = (decoded: ReturnType<typeof decodeChunks>) =>
    frames(decoded.messages, 'in')
      .filter((message) => message.fields?.type === 'HEADERS')
      .map((message) => message.tree.error);

  it('a table size update above SETTINGS_HEADER_TABLE_SIZE (4096 until the decoder says otherwise) is a decoding error (RFC 7541 §4.2)', () => {
    const decoded = decodeChunks({
      dir: 'in',
      bytes: [...frame(0x1, 0x5, 1, [...sizeUpdate(4096), ...GET_BLOCK]), ...frame(0x1, 0x5, 3, [...sizeUpdate(4097), ...GET_BLOCK])],
    });
    expect(headersErrors(decoded)).toEqual([undefined, 'table-size-above-limit']);
    const error = all(frames(decoded.messages, 'in')[1].tree).find((node) => node.kind === 'hpack-error');
    expect(error?.error).toBe('table-size-above-limit');
  });

  it('the limit is the decoder’s SETTINGS_HEADER_TABLE_SIZE once the encoder acknowledged it', () => {
    const decoded = decodeChunks(
      { dir: 'out', bytes: settings(8192) },
      // before the ACK the old limit holds
      { dir: 'in', bytes: frame(0x1, 0x5, 1, [...sizeUpdate(8192), ...GET_BLOCK]) },
      { dir: 'in', bytes: [...ACK, ...frame(0x1, 0x5, 3, [...sizeUpdate(8192), ...GET_BLOCK]), ...frame(0x1, 0x5, 5, [...sizeUpdate(8193), ...GET_BLOCK])] },
    );
    expect(headersErrors(decoded)).toEqual(['table-size-above-limit', undefined, 'table-size-above-limit']);
  });

  it('a decoder that lowers its limit to 0 makes any larger update an error after the ACK', () => {
    const decoded = decodeChunks(
      { dir: 'out', bytes: settings(0) },
      { dir: 'in', bytes: [...ACK, ...frame(0x1, 0x5, 1, [...sizeUpdate(0), ...GET_BLOCK]), ...frame(0x1, 0x5, 3, [...sizeUpdate(1), ...GET_BLOCK])] },
    );
    expect(headersErrors(decoded)).toEqual([undefined, 'table-size-above-limit']);
  });
});

describe('HTTP/2: SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2)', () => {
  const maxFrameSize = (size: number) => frame(0x4, 0, 0, [0, 5, (size >>> 24) & 0xff, (size >> 16) & 0xff, (size >> 8) & 0xff, size & 0xff]);
  const ACK = frame(0x4, 0x1, 0, []);
  const data = (stream: number, length: number) => frame(0x0, 0, stream, new Array<number>(length).fill(0x61));

  it('a frame over 16 384 bytes is a frame size error until the receiver allows more and the sender acknowledged it', () => {
    const decoded = decodeChunks(
      { dir: 'in', bytes: [...frame(0x1, 0x4, 1, GET_BLOCK), ...data(1, 16_384), ...data(1, 16_385)] },
      { dir: 'out', bytes: maxFrameSize(20_000) },
      { dir: 'in', bytes: [...ACK, ...data(1, 20_000), ...data(1, 20_001)] },
    );
    const sizes = frames(decoded.messages, 'in')
      .filter((message) => message.fields?.type === 'DATA')
      .map((message) => [message.fields?.length, message.tree.error]);
    expect(sizes).toEqual([
      [16_384, undefined],
      [16_385, 'frame-too-large'],
      [20_000, undefined],
      [20_001, 'frame-too-large'],
    ]);
  });

  it('seeded lengths around the limit: exactly those above it are errors', () => {
    const random = new SeededRandom(42);
    for (let trial = 0; trial < 40; trial += 1) {
      const allowed = 16_384 + random.int(8192);
      const length = allowed - 64 + random.int(128);
      const decoded = decodeChunks(
        { dir: 'out', bytes: maxFrameSize(allowed) },
        { dir: 'in', bytes: [...ACK, ...frame(0x1, 0x4, 1, GET_BLOCK), ...data(1, length)] },
      );
      const error = frames(decoded.messages, 'in').find((message) => message.fields?.type === 'DATA')!.tree.error;
      expect(error, `${length} of ${allowed}`).toBe(length > allowed ? 'frame-too-large' : undefined);
    }
  });
});

describe('properties against the RFCs’ limits (seeded)', () => {
  it('HPACK integers (RFC 7541 §5.1) of any prefix decode to their value as table size updates, and the limit holds exactly', () => {
    const random = new SeededRandom(7541);
    for (let trial = 0; trial < 2000; trial += 1) {
      const limit = random.int(2 ** (1 + random.int(31)));
      const size = random.next() < 0.5 ? random.int(limit + 1) : limit + 1 + random.int(2 ** 20);
      const hpack = new HpackDecoder();
      hpack.tableSizeLimit = limit;
      const bytes = Uint8Array.from([0x3f, ...encodeRest(size - 31)].slice(size < 31 ? 1 : 0));
      if (size < 31) bytes[0] = 0x20 | size;
      const result = hpack.decodeBlock(bytes, contiguousOffsets(0));
      if (size <= limit) {
        expect(result.error).toBeUndefined();
        expect(result.nodes[0]).toMatchObject({ kind: 'hpack-table-size-update', value: `${size} bytes` });
      } else expect(result.error).toBe('table-size-above-limit');
    }
    expect(HPACK_DEFAULT_TABLE_SIZE).toBe(4096);
  });

  it('HTTP/2 fixed-size frames (RFC 9113 §6): every wrong length is a frame size error, every right one is not', () => {
    const random = new SeededRandom(9113);
    const fixed: Array<[type: number, size: number, stream: number]> = [
      [0x2, 5, 1],
      [0x3, 4, 1],
      [0x6, 8, 0],
      [0x8, 4, 0],
    ];
    for (let trial = 0; trial < 400; trial += 1) {
      const [type, size, stream] = random.pick(fixed);
      const length = random.next() < 0.3 ? size : random.int(20);
      const payload = Array.from(random.bytes(length)).map((byte, index) => (index === 0 && type !== 0x6 ? byte & 0x7f : byte));
      if (type === 0x8 && length >= 4) payload[3] |= 1; // a non-zero increment
      const decoded = decodeChunks({ dir: 'in', bytes: frame(type, 0, stream, payload) });
      const error = frames(decoded.messages, 'in')[0].tree.error;
      if (length === size) expect(error).toBeUndefined();
      else expect(error).toBe('frame-size-error');
    }
  });

  it('HTTP/2 padded frames (RFC 9113 §6.1): padding as long as the payload or longer is an error; data never leaves the frame', () => {
    const random = new SeededRandom(61);
    for (let trial = 0; trial < 400; trial += 1) {
      const length = random.int(12);
      const payload = Array.from(random.bytes(length));
      const bytes = [...frame(0x1, 0x4, 1, GET_BLOCK), ...frame(0x0, 0x8, 1, payload)];
      const decoded = decodeChunks({ dir: 'in', bytes });
      const data = frames(decoded.messages, 'in')[1];
      const expected = length === 0 ? 'frame-size-error' : payload[0] > length - 1 ? 'padding-too-long' : undefined;
      expect(data.tree.error).toBe(expected);
      for (const node of all(data.tree)) {
        expect(node.range.start).toBeGreaterThanOrEqual(data.range.start);
        expect(node.range.end).toBeLessThanOrEqual(data.range.end);
      }
      const body = decoded.exchanges[0].request.body;
      if (expected === undefined) expect(body.length).toBe(length - 1 - payload[0]);
    }
  });
});

function encodeRest(rest: number): number[] {
  const bytes: number[] = [];
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}
