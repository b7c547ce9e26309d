import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFixture, type FixtureChunk } from '../../wire/fixtures/read-fixture.ts';
import { decodeConnection } from '../../wire/decode-connection.ts';
import { wireErrorText } from '../../wire/node-text.ts';
import { CaptureStore, type SocketLike } from './capture-store.ts';

class FakeSocket implements SocketLike {
  sent: unknown[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  /** the server side of the fake */
  deliver(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

function setup(maxBytes?: number, decode?: typeof decodeConnection) {
  const sockets: FakeSocket[] = [];
  const store = new CaptureStore({
    url: 'ws://example.test/_wirelab/tap',
    socketFactory: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    maxBytes,
    reconnectDelayMs: { first: 500, max: 4000 },
    decode,
  });
  store.connect();
  const socket = () => sockets[sockets.length - 1];
  const openWithHello = () => {
    socket().onopen?.({});
    socket().deliver({ type: 'hello', recording: true, limits: { ringBytes: 1, ringChunks: 1 } });
  };
  return { store, sockets, socket, openWithHello };
}

function fixtureMessages(name: string) {
  const { fixture } = readFixture(name);
  return { fixture, connection: fixture.connections[0], chunks: fixture.chunks };
}

const chunksMessage = (chunks: FixtureChunk[]) => ({ type: 'chunks', chunks });

describe('CaptureStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects, applies the channel messages and decodes exchanges with their connection', () => {
    const { store, socket, openWithHello } = setup();
    expect(store.status).toBe('connecting');
    expect(socket().url).toBe('ws://example.test/_wirelab/tap');
    openWithHello();
    expect(store.status).toBe('open');
    const { connection, chunks } = fixtureMessages('curl-keep-alive');
    socket().deliver({ type: 'connection', conn: connection });
    socket().deliver(chunksMessage(chunks));
    const exchanges = store.exchanges();
    expect(exchanges.map((exchange) => [exchange.index, exchange.request.target, exchange.response?.status])).toEqual([
      [0, '/hello', 200],
      [1, '/users/1', 200],
    ]);
    expect(exchanges[1].connection).toEqual(connection);
    expect(store.connections()[0].bytes).toBe(532);
  });

  it('re-decodes only a connection that got new chunks, and ignores replayed ones', () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    const first = fixtureMessages('curl-get');
    const second = fixtureMessages('curl-head');
    socket().deliver({ type: 'connection', conn: first.connection });
    socket().deliver({ type: 'connection', conn: second.connection });
    socket().deliver(chunksMessage(first.chunks));
    socket().deliver(chunksMessage(second.chunks.slice(0, 1)));
    const before = store.connections();
    socket().deliver(chunksMessage(second.chunks.slice(1)));
    socket().deliver(chunksMessage(second.chunks.slice(1)));
    const after = store.connections();
    const byId = (views: typeof before, id: string) => views.find((view) => view.connection.id === id)!;
    expect(byId(after, first.connection.id)).toBe(byId(before, first.connection.id));
    expect(byId(after, second.connection.id)).not.toBe(byId(before, second.connection.id));
    expect(byId(after, second.connection.id).exchanges[0].response?.status).toBe(200);
    expect(byId(after, second.connection.id).bytes).toBe(249);
    // the snapshot is stable between changes, as useSyncExternalStore requires
    expect(store.getSnapshot()).toBe(store.getSnapshot());
  });

  it('a connection whose decoding throws shows its bytes and the error; the other connections decode as before', () => {
    const broken = fixtureMessages('curl-get');
    const healthy = fixtureMessages('curl-keep-alive');
    const failing: typeof decodeConnection = (connection, chunks, memo) => {
      if (connection.id === broken.connection.id) throw new RangeError('Invalid code point 1114112');
      return decodeConnection(connection, chunks, memo);
    };
    const { store, socket, openWithHello } = setup(undefined, failing);
    openWithHello();
    socket().deliver({ type: 'connection', conn: broken.connection });
    socket().deliver({ type: 'connection', conn: healthy.connection });
    socket().deliver(chunksMessage(broken.chunks));
    socket().deliver(chunksMessage(healthy.chunks));
    const views = store.connections();
    const brokenView = views.find((view) => view.connection.id === broken.connection.id)!;
    const healthyView = views.find((view) => view.connection.id === healthy.connection.id)!;
    expect(healthyView.exchanges.map((exchange) => exchange.request.target)).toEqual(['/hello', '/users/1']);
    expect(brokenView.exchanges).toEqual([]);
    // the bytes are all there, with the error over each direction
    const inbound = Buffer.concat(broken.chunks.filter((chunk) => chunk.dir === 'in').map((chunk) => Buffer.from(chunk.data, 'base64')));
    expect(brokenView.streams.in.end).toBe(inbound.length);
    expect(Buffer.from(brokenView.streams.in.slice({ start: 0, end: inbound.length }))).toEqual(inbound);
    expect(brokenView.notes.map((note) => [note.dir, note.node.kind, note.node.error, note.node.value])).toEqual([
      ['in', 'decode-failed', 'connection-decode-failed', 'Invalid code point 1114112'],
      ['out', 'decode-failed', 'connection-decode-failed', 'Invalid code point 1114112'],
    ]);
    expect(brokenView.notes[0].node.range).toEqual({ start: 0, end: inbound.length });
    expect(wireErrorText('connection-decode-failed', 'ru')).toMatch(/не удалось/);
    expect(store.exchanges().map((exchange) => exchange.request.target)).toEqual(['/hello', '/users/1']);
  });

  it('waitForExchange resolves with that very request once its response is complete', async () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    const { connection, chunks } = fixtureMessages('curl-keep-alive');
    socket().deliver({ type: 'connection', conn: connection });
    const [firstIn, firstOut, secondIn] = chunks;
    const waiting = store.waitForExchange({ method: 'get', target: '/users/1', after: firstIn.t, timeoutMs: 5000 });
    const settled = vi.fn();
    void waiting.then(settled);
    socket().deliver(chunksMessage([firstIn, firstOut, secondIn]));
    await Promise.resolve();
    expect(settled).not.toHaveBeenCalled();
    const secondOut = chunks[3];
    const bytes = Buffer.from(secondOut.data, 'base64');
    socket().deliver(chunksMessage([{ ...secondOut, data: bytes.subarray(0, 40).toString('base64') }]));
    await Promise.resolve();
    expect(settled).not.toHaveBeenCalled();
    socket().deliver(chunksMessage([{ ...secondOut, seq: secondOut.seq + 100, offset: secondOut.offset + 40, data: bytes.subarray(40).toString('base64') }]));
    // listeners and waiters hear of new bytes at most every 100 ms
    await vi.advanceTimersByTimeAsync(100);
    const exchange = await waiting;
    expect(exchange?.index).toBe(1);
    expect(exchange?.response?.status).toBe(200);
    expect(exchange?.response?.complete).toBe(true);
  });

  it('waitForExchange skips exchanges that started before `after`, accepts absolute URLs, and times out with null', async () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    const { connection, chunks } = fixtureMessages('curl-get');
    socket().deliver({ type: 'connection', conn: connection });
    socket().deliver(chunksMessage(chunks));
    await expect(store.waitForExchange({ method: 'GET', target: 'http://127.0.0.1/hello', after: chunks[0].t, timeoutMs: 100 })).resolves.toMatchObject({
      request: { target: '/hello' },
    });
    const late = store.waitForExchange({ method: 'GET', target: '/hello', after: chunks[0].t + 1, timeoutMs: 1000 });
    vi.advanceTimersByTime(1000);
    await expect(late).resolves.toBeNull();
  });

  it('tells listeners of a burst of captures once at once and once when it settles, with the newest snapshot', () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    const { connection, chunks } = fixtureMessages('curl-keep-alive');
    const heard: number[] = [];
    store.subscribe(() => heard.push(store.getSnapshot().exchanges.length));
    vi.advanceTimersByTime(1000);
    heard.length = 0;
    socket().deliver({ type: 'connection', conn: connection });
    for (const chunk of chunks) socket().deliver(chunksMessage([chunk]));
    expect(heard).toEqual([0]);
    expect(store.getSnapshot().exchanges).toHaveLength(2);
    vi.advanceTimersByTime(100);
    expect(heard).toEqual([0, 2]);
    vi.advanceTimersByTime(1000);
    expect(heard).toEqual([0, 2]);
  });

  it('sends recording and clear, and applies the confirmations', () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    const { connection, chunks } = fixtureMessages('curl-get');
    socket().deliver({ type: 'connection', conn: connection });
    socket().deliver(chunksMessage(chunks));
    store.setRecording(false);
    store.clear();
    expect(socket().sent).toEqual([{ type: 'recording', on: false }, { type: 'clear' }]);
    socket().deliver({ type: 'recording', on: false });
    expect(store.getSnapshot().recording).toBe(false);
    socket().deliver({ type: 'cleared' });
    expect(store.exchanges()).toEqual([]);
  });

  it('after a clear, an open keep-alive connection stays and keeps counting its requests', () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    const { connection, chunks } = fixtureMessages('fetch-keep-alive');
    expect(connection.closedAt).toBeUndefined();
    socket().deliver({ type: 'connection', conn: connection });
    socket().deliver(chunksMessage(chunks.slice(0, 2)));
    expect(store.exchanges().map((exchange) => exchange.index)).toEqual([0]);
    socket().deliver({ type: 'cleared' });
    expect(store.exchanges()).toEqual([]);
    socket().deliver(chunksMessage(chunks.slice(2)));
    const [exchange] = store.exchanges();
    expect(exchange).toMatchObject({ index: 1, request: { method: 'GET', target: '/users/1', afterGap: true }, response: { status: 200 } });
    expect(exchange.connection.remote).toBe(connection.remote);
  });

  it('marks a connection closed, which completes a response that lasts until close', () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    const { connection, chunks } = fixtureMessages('curl-until-close');
    socket().deliver({ type: 'connection', conn: { ...connection, closedAt: undefined } });
    socket().deliver(chunksMessage(chunks));
    expect(store.exchanges()[0].response?.complete).toBe(false);
    socket().deliver({ type: 'closed', conn: connection.id, t: connection.closedAt });
    expect(store.exchanges()[0].response?.complete).toBe(true);
    expect(store.connections()[0].connection.closedAt).toBe(connection.closedAt);
  });

  it('reconnects with growing delays and starts over from the replay after hello', () => {
    const { store, sockets, socket, openWithHello } = setup();
    openWithHello();
    const { connection, chunks } = fixtureMessages('curl-get');
    socket().deliver({ type: 'connection', conn: connection });
    socket().deliver(chunksMessage(chunks));
    socket().onclose?.({});
    expect(store.status).toBe('closed');
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(store.status).toBe('connecting');
    socket().onclose?.({});
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    openWithHello();
    expect(store.exchanges()).toEqual([]);
    socket().deliver({ type: 'connection', conn: connection });
    socket().deliver(chunksMessage(chunks));
    expect(store.exchanges()).toHaveLength(1);
    store.stop();
    expect(socket().closed).toBe(true);
  });

  it('decodes a burst a slice at a time between tasks, and tells listeners when it caught up', () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    vi.advanceTimersByTime(1000);
    const connection = { id: 'c9', transport: 'http/1.1', remote: '127.0.0.1:5000', local: '127.0.0.1:8080', openedAt: 1000 };
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
    const events = Array.from({ length: 2000 }, (_, index) => {
      const event = `data: ${'x'.repeat(90)} ${index}\n\n`;
      return `${event.length.toString(16)}\r\n${event}\r\n`;
    });
    const out = [head, ...events].map((text) => Buffer.from(text));
    const request = Buffer.from('GET /sse HTTP/1.1\r\nHost: x\r\n\r\n');
    let offset = 0;
    const wire = [{ conn: 'c9', seq: 1, dir: 'in', t: 1001, offset: 0, data: request.toString('base64') }];
    for (const [index, bytes] of out.entries()) {
      wire.push({ conn: 'c9', seq: index + 2, dir: 'out', t: 1002 + index, offset, data: bytes.toString('base64') });
      offset += bytes.length;
    }
    expect(offset).toBeGreaterThan(200 * 1024);
    const heard: number[] = [];
    store.subscribe(() => heard.push(store.getSnapshot().messages.length));
    socket().deliver({ type: 'connection', conn: connection });
    socket().deliver(chunksMessage(wire as FixtureChunk[]));
    const first = store.getSnapshot().messages.length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(2000);
    vi.runAllTimers();
    expect(store.getSnapshot().messages).toHaveLength(2000);
    expect(heard.at(-1)).toBe(2000);
    expect(store.getSnapshot().exchanges[0].response?.headers).toContainEqual(['Content-Type', 'text/event-stream']);
  });

  it('reads chunks from the channel’s binary frames', () => {
    const { store, socket, openWithHello } = setup();
    openWithHello();
    const { connection, chunks } = fixtureMessages('curl-get');
    socket().deliver({ type: 'connection', conn: connection });
    const bytes = chunks.map((chunk) => Buffer.from(chunk.data, 'base64'));
    const header = Buffer.from(
      JSON.stringify({ type: 'chunks', chunks: chunks.map(({ data: _data, ...rest }, index) => ({ ...rest, length: bytes[index].length })) }),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32BE(header.length);
    const frame = Buffer.concat([length, header, ...bytes]);
    socket().onmessage?.({ data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.length) });
    expect(store.exchanges()).toHaveLength(1);
    expect(store.exchanges()[0].request.target).toBe('/hello');
    expect(store.exchanges()[0].response?.complete).toBe(true);
  });

  it('drops the oldest connections past its byte limit', () => {
    const { store, socket, openWithHello } = setup(700);
    openWithHello();
    for (const name of ['curl-get', 'curl-post-json', 'curl-head']) {
      const { connection, chunks } = fixtureMessages(name);
      socket().deliver({ type: 'connection', conn: connection });
      socket().deliver(chunksMessage(chunks));
    }
    // 261 + 389 + 249 bytes: the first connection has to go
    expect(store.exchanges().map((exchange) => exchange.request.method)).toEqual(['POST', 'HEAD']);
  });
});
