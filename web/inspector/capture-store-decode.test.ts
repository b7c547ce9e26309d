import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { FixtureChunk } from '../../wire/fixtures/read-fixture.ts';
import { wireErrorText } from '../../wire/node-text.ts';
import { chunksMessage, fixtureMessages, setup } from './capture-store-fakes.ts';

describe('CaptureStore decoding', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

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
