import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chunksMessage, fixtureMessages, setup } from './capture-store-fakes.ts';

describe('CaptureStore and its channel', () => {
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
});
