import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import type { CaptureChunk, CapturedConnection, WireMessage, WireNode } from '../types.ts';
import { CLIENT_PREFACE } from './frames.ts';
import { frame, handBuiltConnection } from './build-frames.test-helper.ts';

function decodeFixture(name: string, transform?: (chunks: CaptureChunk[]) => CaptureChunk[]) {
  const { fixture, chunks } = readFixture(name);
  const connection = fixture.connections[0];
  return decodeConnection(connection, transform ? transform(chunks) : chunks);
}

const frames = (messages: WireMessage[] | undefined, dir?: 'in' | 'out') =>
  (messages ?? []).filter((message) => message.layer === 'h2-frame' && (dir === undefined || message.dir === dir));

function find(node: WireNode, kind: string): WireNode | undefined {
  if (node.kind === kind) return node;
  for (const child of node.children ?? []) {
    const found = find(child, kind);
    if (found) return found;
  }
  return undefined;
}

/** Every chunk cut into pieces of 1..7 bytes: frames now cross chunk boundaries everywhere. */
function splitChunks(chunks: CaptureChunk[]): CaptureChunk[] {
  const out: CaptureChunk[] = [];
  let seq = 0;
  for (const chunk of chunks) {
    for (let at = 0, size = 1; at < chunk.data.length; at += size, size = (size % 7) + 1) {
      seq += 1;
      out.push({ ...chunk, seq, offset: chunk.offset + at, data: chunk.data.subarray(at, at + size) });
    }
  }
  return out;
}

describe('HTTP/2 on real captures', () => {
  it('curl GET: preface, SETTINGS by name, WINDOW_UPDATE, HEADERS with its HPACK fields, one exchange', () => {
    const decoded = decodeFixture('h2c-curl-get');
    const messages = decoded.messages ?? [];
    const preface = messages.find((message) => message.layer === 'h2-preface');
    expect(preface).toMatchObject({ dir: 'in', range: { start: 0, end: CLIENT_PREFACE.length }, fields: { complete: true } });

    const [settings, windowUpdate, headers] = frames(messages, 'in');
    expect(settings.fields).toMatchObject({ type: 'SETTINGS', streamId: 0, ack: false, SETTINGS_MAX_CONCURRENT_STREAMS: 100, SETTINGS_ENABLE_PUSH: 0 });
    expect(settings.group).toBe('connection');
    expect(settings.range.start).toBe(24);
    const header = find(settings.tree, 'h2-frame-header')!;
    expect(header.range).toEqual({ start: 24, end: 33 });
    expect(header.children?.map((child) => child.kind)).toEqual(['h2-length', 'h2-type', 'h2-flags', 'h2-stream-id']);
    expect(find(settings.tree, 'h2-setting')?.label).toMatch(/^SETTINGS_/);

    expect(windowUpdate.fields).toMatchObject({ type: 'WINDOW_UPDATE', streamId: 0 });
    expect(windowUpdate.fields?.increment).toBeGreaterThan(0);

    expect(headers.fields).toMatchObject({ type: 'HEADERS', streamId: 1, endStream: true, endHeaders: true, method: 'GET', path: '/api/v1/users/1' });
    expect(headers.group).toBe('stream 1');
    const block = find(headers.tree, 'hpack-block')!;
    const fields = block.children!.filter((child) => child.kind === 'hpack-field');
    expect(fields.map((field) => field.label)).toEqual([':method', ':path', ':scheme', ':authority', 'user-agent', 'accept']);
    // the fields tile the fragment byte for byte
    expect(fields[0].range.start).toBe(block.range.start);
    for (let index = 1; index < fields.length; index += 1) expect(fields[index].range.start).toBe(fields[index - 1].range.end);
    expect(fields[fields.length - 1].range.end).toBe(block.range.end);

    expect(decoded.exchanges).toHaveLength(1);
    const [exchange] = decoded.exchanges;
    expect(exchange).toMatchObject({
      transport: 'h2c',
      index: 0,
      request: { method: 'GET', target: '/api/v1/users/1', path: '/api/v1/users/1', version: 'HTTP/2', complete: true },
    });
    expect(exchange.response?.status).toBe(200);
    const body = JSON.parse(Buffer.from(exchange.response!.body).toString('utf8')) as { id: number };
    expect(body.id).toBe(1);
    expect(decoded.notes).toEqual([]);
  });

  it('curl POST: the request body arrives in a DATA frame with END_STREAM', () => {
    const decoded = decodeFixture('h2c-curl-post');
    const data = frames(decoded.messages, 'in').find((message) => message.fields?.type === 'DATA')!;
    expect(data.fields).toMatchObject({ streamId: 1, endStream: true, padded: false });
    expect(data.fields?.dataLength).toBe(data.fields?.length);
    const [exchange] = decoded.exchanges;
    expect(exchange.request.method).toBe('POST');
    expect(JSON.parse(Buffer.from(exchange.request.body).toString('utf8'))).toEqual({ name: 'Ada Lovelace', email: 'ada.h2@example.com' });
    expect(exchange.request.bodyStart).toBe(find(data.tree, 'h2-data')!.range.start);
    expect(exchange.response?.status).toBe(201);
    expect(exchange.response?.headers.some(([name]) => name === 'location')).toBe(true);
  });

  it('nghttp: PRIORITY frames, header blocks continued in CONTINUATION frames, two streams, GOAWAY', () => {
    const decoded = decodeFixture('h2c-nghttp');
    const inbound = frames(decoded.messages, 'in');
    const priority = inbound.filter((message) => message.fields?.type === 'PRIORITY');
    expect(priority.length).toBeGreaterThan(0);
    expect(priority[0].fields).toHaveProperty('weight');
    expect(find(priority[0].tree, 'h2-weight')).toBeDefined();
    const continuation = inbound.filter((message) => message.fields?.type === 'CONTINUATION');
    expect(continuation).toHaveLength(2);
    for (const message of continuation) {
      expect(message.fields?.endHeaders).toBe(true);
      const headers = inbound.find((candidate) => candidate.fields?.type === 'HEADERS' && candidate.fields.streamId === message.fields?.streamId)!;
      expect(headers.fields).toMatchObject({ endHeaders: false, priority: true, method: 'GET' });
      // the fields continue in the CONTINUATION's fragment
      expect(find(message.tree, 'hpack-block')?.children?.length).toBeGreaterThan(0);
    }
    expect(decoded.exchanges.map((exchange) => exchange.request.target)).toEqual(['/api/v1/users/1', '/api/v1/users?limit=2']);
    expect(decoded.exchanges.every((exchange) => exchange.response?.status === 200 && exchange.response.complete)).toBe(true);
    expect(decoded.exchanges[1].request.query).toEqual([['limit', '2']]);
    const goaway = inbound.find((message) => message.fields?.type === 'GOAWAY')!;
    expect(goaway.fields).toMatchObject({ errorCode: 'NO_ERROR', streamId: 0 });
    expect(find(goaway.tree, 'h2-error-code')?.value).toMatch(/^0x0 NO_ERROR/);
  });

  it("Node's client: SETTINGS ACK, PING and its ACK, RST_STREAM CANCEL", () => {
    const decoded = decodeFixture('h2c-node-control');
    const all = frames(decoded.messages);
    const ping = all.find((message) => message.fields?.type === 'PING' && message.dir === 'in')!;
    const pong = all.find((message) => message.fields?.type === 'PING' && message.dir === 'out')!;
    expect(ping.fields).toMatchObject({ ack: false, opaqueData: '77 69 72 65 6c 61 62 21' });
    expect(pong.fields).toMatchObject({ ack: true, opaqueData: '77 69 72 65 6c 61 62 21' });
    expect(find(ping.tree, 'h2-ping-data')?.value).toContain('"wirelab!"');
    expect(all.filter((message) => message.fields?.type === 'SETTINGS' && message.fields.ack === true).length).toBeGreaterThanOrEqual(2);
    const changed = all.find((message) => message.dir === 'in' && message.fields?.SETTINGS_INITIAL_WINDOW_SIZE === 1 << 20);
    expect(changed?.fields?.SETTINGS_ENABLE_PUSH).toBe(0);
    const reset = all.find((message) => message.fields?.type === 'RST_STREAM')!;
    expect(reset).toMatchObject({ dir: 'in', group: 'stream 3', fields: { errorCode: 'CANCEL', streamId: 3 } });
    expect(find(reset.tree, 'h2-error-code')?.value).toMatch(/CANCEL: the stream is no longer needed/);
    const cancelled = decoded.exchanges.find((exchange) => exchange.request.target === '/api/v1/users?limit=50')!;
    expect(find(cancelled.response!.tree, 'h2-reset')?.value).toBe('CANCEL');
  });

  it('push: PUSH_PROMISE names the promised stream, which becomes an exchange of its own', () => {
    const decoded = decodeFixture('h2c-push');
    const promise = frames(decoded.messages, 'out').find((message) => message.fields?.type === 'PUSH_PROMISE')!;
    expect(promise.fields).toMatchObject({ promisedStreamId: 2, method: 'GET', path: '/style.css', endHeaders: true });
    expect(find(promise.tree, 'h2-promised-stream')?.value).toMatch(/^stream 2/);
    expect(decoded.exchanges.map((exchange) => exchange.request.target)).toEqual(['/', '/style.css']);
    expect(Buffer.from(decoded.exchanges[1].response!.body).toString()).toContain('color: teal');
  });

  it('frames split across TCP chunks at every possible point decode exactly the same', () => {
    for (const name of ['h2c-nghttp', 'grpc-unary']) {
      const whole = decodeFixture(name);
      const split = decodeFixture(name, splitChunks);
      const shape = (messages: WireMessage[] | undefined) =>
        (messages ?? []).map(({ dir, layer, summary, range, fields }) => ({ dir, layer, summary, range, fields }));
      expect(shape(split.messages)).toEqual(shape(whole.messages));
      expect(split.exchanges.map((exchange) => exchange.response?.headers)).toEqual(whole.exchanges.map((exchange) => exchange.response?.headers));
    }
  });

  it('a capture that starts mid-connection finds the next frame boundary and says what it skipped', () => {
    const { fixture, chunks } = readFixture('h2c-nghttp');
    const connection = fixture.connections[0];
    // drop the server's first 20 bytes, as if evicted from the ring
    const outbound = Buffer.concat(
      chunks
        .filter((chunk) => chunk.dir === 'out')
        .sort((a, b) => a.offset - b.offset)
        .map((chunk) => Buffer.from(chunk.data)),
    );
    const cut = 20;
    const gapped: CaptureChunk[] = [
      ...chunks.filter((chunk) => chunk.dir === 'in'),
      { conn: connection.id, seq: 999, dir: 'out', t: chunks[chunks.length - 1].t, offset: cut, data: new Uint8Array(outbound.subarray(cut)) },
    ];
    const decoded = decodeConnection(connection, gapped);
    const skipped = decoded.notes.find((note) => note.dir === 'out' && note.node.kind === 'skipped')!;
    expect(skipped.node).toMatchObject({ error: 'after-gap', range: { start: cut } });
    const whole = decodeFixture('h2c-nghttp');
    const afterGap = frames(decoded.messages, 'out');
    expect(afterGap[0].range.start).toBe(skipped.node.range.end);
    // the frames found after the boundary are the real ones
    const real = frames(whole.messages, 'out').filter((message) => message.range.start >= skipped.node.range.end);
    expect(afterGap.map((message) => message.range)).toEqual(real.map((message) => message.range));
  });

  it('a header block after a gap: literal fields still decode, references to lost table entries say so', () => {
    const { fixture, chunks } = readFixture('h2c-nghttp');
    const connection = fixture.connections[0];
    const whole = decodeFixture('h2c-nghttp');
    // keep the inbound stream from the second stream's HEADERS on: the first block's dynamic entries are lost
    const second = frames(whole.messages, 'in').filter((message) => message.fields?.type === 'HEADERS')[1];
    const inbound = Buffer.concat(
      chunks
        .filter((chunk) => chunk.dir === 'in')
        .sort((a, b) => a.offset - b.offset)
        .map((chunk) => Buffer.from(chunk.data)),
    );
    const gapped: CaptureChunk[] = [
      { conn: connection.id, seq: 1, dir: 'in', t: chunks[0].t, offset: second.range.start, data: new Uint8Array(inbound.subarray(second.range.start)) },
      ...chunks.filter((chunk) => chunk.dir === 'out'),
    ];
    const decoded = decodeConnection(connection, gapped);
    const headers = frames(decoded.messages, 'in').find((message) => message.fields?.type === 'HEADERS')!;
    expect(headers.range.start).toBe(second.range.start);
    expect(headers.tree.error).toBe('dynamic-entry-before-gap');
    expect(find(headers.tree, 'hpack-error')?.label).toMatch(/added before a gap/);
  });

  it('a truncated last frame is "incomplete" while the connection is open and "truncated" once it closed', () => {
    const { fixture, chunks } = readFixture('h2c-curl-post');
    const connection: CapturedConnection = { ...fixture.connections[0] };
    delete connection.closedAt;
    const whole = decodeFixture('h2c-curl-post');
    const data = frames(whole.messages, 'in').find((message) => message.fields?.type === 'DATA')!;
    const keep = data.range.start + 9 + 10;
    const cut = chunks
      .filter((chunk) => chunk.dir === 'out' || chunk.offset < keep)
      .map((chunk) =>
        chunk.dir === 'in' && chunk.offset + chunk.data.length > keep ? { ...chunk, data: chunk.data.subarray(0, keep - chunk.offset) } : chunk,
      );
    const open = decodeConnection(connection, cut);
    const pending = frames(open.messages, 'in').find((message) => message.fields?.type === 'DATA')!;
    expect(pending.fields).toMatchObject({ complete: false });
    expect(pending.tree.error).toBe('incomplete');
    expect(pending.summary).toContain('incomplete: 10 of');
    expect(open.exchanges[0].request.complete).toBe(false);

    const closed = decodeConnection({ ...connection, closedAt: connection.openedAt + 1 }, cut);
    expect(frames(closed.messages, 'in').find((message) => message.fields?.type === 'DATA')!.tree.error).toBe('truncated');

    // fewer than 9 bytes of a frame header: a note, not a frame
    const headerCut = cut.map((chunk) =>
      chunk.dir === 'in' && chunk.offset + chunk.data.length > data.range.start + 4
        ? { ...chunk, data: chunk.data.subarray(0, Math.max(0, data.range.start + 4 - chunk.offset)) }
        : chunk,
    );
    const early = decodeConnection(connection, headerCut);
    expect(early.notes.find((note) => note.node.kind === 'h2-incomplete')?.node).toMatchObject({
      error: 'incomplete',
      value: '4 of the 9 bytes of a frame header',
    });
  });
});

describe('HTTP/2 frames built by hand', () => {
  const connection = handBuiltConnection;
  const decodeBytes = (inbound: number[], outbound: number[] = []) =>
    decodeConnection(connection, [
      { conn: 'h', seq: 1, dir: 'in', t: 1, offset: 0, data: Uint8Array.from([...CLIENT_PREFACE, ...inbound]) },
      ...(outbound.length > 0 ? [{ conn: 'h', seq: 2, dir: 'out' as const, t: 2, offset: 0, data: Uint8Array.from(outbound) }] : []),
    ]);

  it('padded HEADERS and DATA: pad length, priority fields and padding each get their bytes', () => {
    // HEADERS stream 1, PADDED | PRIORITY | END_HEADERS: pad 3, dependency 0 exclusive, weight 16, block ":method: POST" ":path: /" ":scheme: http"
    const headers = frame(0x1, 0x8 | 0x20 | 0x4, 1, [3, 0x80, 0, 0, 0, 15, 0x83, 0x84, 0x86, 0, 0, 0]);
    const data = frame(0x0, 0x8 | 0x1, 1, [2, 0x68, 0x69, 0, 0]);
    const decoded = decodeBytes([...headers, ...data]);
    const [headersFrame, dataFrame] = frames(decoded.messages, 'in');
    expect(headersFrame.fields).toMatchObject({ padded: true, priority: true, padLength: 3, exclusive: true, dependency: 0, weight: 16, method: 'POST' });
    const start = CLIENT_PREFACE.length;
    expect(find(headersFrame.tree, 'h2-pad-length')?.range).toEqual({ start: start + 9, end: start + 10 });
    expect(find(headersFrame.tree, 'h2-priority')?.range).toEqual({ start: start + 10, end: start + 15 });
    expect(find(headersFrame.tree, 'hpack-block')?.range).toEqual({ start: start + 15, end: start + 18 });
    expect(find(headersFrame.tree, 'h2-padding')?.range).toEqual({ start: start + 18, end: start + 21 });
    expect(dataFrame.fields).toMatchObject({ padLength: 2, dataLength: 2, endStream: true });
    expect(Buffer.from(decoded.exchanges[0].request.body).toString()).toBe('hi');
  });

  it('protocol errors are named on the frame instead of throwing', () => {
    const decoded = decodeBytes([
      ...frame(0x4, 0, 1, [0, 3, 0, 0, 0, 1]), // SETTINGS on a stream
      ...frame(0x8, 0, 0, [0, 0, 0, 0]), // WINDOW_UPDATE of 0
      ...frame(0x6, 0, 0, [1, 2, 3]), // PING of 3 bytes
      ...frame(0x9, 0x4, 1, [0x82]), // CONTINUATION without HEADERS
      ...frame(0xfa, 0, 0, [1, 2]), // an unknown type
      ...frame(0x1, 0x0, 3, [0x82]), // HEADERS without END_HEADERS…
      ...frame(0x0, 0x1, 3, [1]), // …followed by DATA
    ]);
    const errors = frames(decoded.messages, 'in').map((message) => [message.fields?.type, message.tree.error]);
    expect(errors).toEqual([
      ['SETTINGS', 'must-be-on-stream-0'],
      ['WINDOW_UPDATE', 'zero-increment'],
      ['PING', 'frame-size-error'],
      ['CONTINUATION', 'unexpected-continuation'],
      ['UNKNOWN_0xfa', undefined],
      ['HEADERS', 'expected-continuation'],
      ['DATA', 'expected-continuation'],
    ]);
  });

  it('GOAWAY carries its debug data; a connection that is not HTTP/2 gets one note', () => {
    const goaway = frames(decodeBytes([], frame(0x7, 0, 0, [0, 0, 0, 5, 0, 0, 0, 0xb, ...Buffer.from('calm down')])).messages, 'out')[0];
    expect(goaway.fields).toMatchObject({ lastStreamId: 5, errorCode: 'ENHANCE_YOUR_CALM', debugData: 'calm down' });
    const notHttp2 = decodeConnection(connection, [
      { conn: 'h', seq: 1, dir: 'in', t: 1, offset: 0, data: Uint8Array.from(Buffer.from('GET / HTTP/1.1\r\n\r\n')) },
    ]);
    expect(notHttp2.notes).toHaveLength(1);
    expect(notHttp2.notes[0].node).toMatchObject({ kind: 'h2-no-preface', error: 'missing-preface' });
  });
});
