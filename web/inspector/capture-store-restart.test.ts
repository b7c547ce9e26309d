import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CAPTURE_CLOSE, type CapturedConnection } from '../../contracts/capture-channel/messages.ts';
import { loadAllLayers } from '../../wire/connection-decoders.ts';
import { readFixture } from '../../wire/fixtures/read-fixture.ts';
import { LangContext } from '../kit/lang-context.ts';
import { exerciseTraffic } from '../lessons/exercise-traffic.ts';
import { CaptureStore, type SocketLike } from './capture-store.ts';
import { Inspector } from './inspector.tsx';
import { inspectorStrings } from './strings.ts';

/** The store's side of a capture channel whose server side the test plays. */
function fakeSocket(): SocketLike {
  return { send: () => undefined, close: () => undefined, onopen: null, onmessage: null, onclose: null, onerror: null };
}

/** A store whose channel's sockets the test plays, each one it opened in `sockets`. */
function storeOverFakeSockets(options: Omit<ConstructorParameters<typeof CaptureStore>[0], 'url' | 'socketFactory'>) {
  const sockets: SocketLike[] = [];
  const store = new CaptureStore({
    url: 'ws://example.test/_wirelab/tap',
    socketFactory: () => {
      const socket = fakeSocket();
      sockets.push(socket);
      return socket;
    },
    ...options,
  });
  return { store, sockets };
}

describe('the capture channel when the server restarts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('opens the channel again at once, not after the backoff, when its session moved to another instance (4307)', () => {
    const { store, sockets } = storeOverFakeSockets({ reconnectDelayMs: { first: 500, max: 4000 } });
    store.connect();
    // A failure before: the backoff had grown.
    sockets[0].onclose?.({ code: 1006 });
    vi.advanceTimersByTime(500);
    sockets[1].onopen?.({});
    sockets[1].onclose?.({ code: CAPTURE_CLOSE.moved });
    // no restart to announce: the channel is on its way to the instance the session's requests reach
    expect(store.status).toBe('connecting');
    vi.advanceTimersByTime(0);
    expect(sockets).toHaveLength(3);
    sockets[2].onopen?.({});
    expect(store.status).toBe('open');
    store.stop();
  });

  it('says "restarting" from the 1001 until the channel opens again, through failed attempts, and retries soon', () => {
    const { store, sockets } = storeOverFakeSockets({ reconnectDelayMs: { first: 500, max: 4000 } });
    store.connect();
    // Two failures before: the backoff had grown to 2 s.
    sockets[0].onclose?.({ code: 1006 });
    vi.advanceTimersByTime(500);
    sockets[1].onclose?.({ code: 1006 });
    vi.advanceTimersByTime(1000);
    sockets[2].onopen?.({});
    expect(store.status).toBe('open');
    sockets[2].onclose?.({ code: CAPTURE_CLOSE.serverGoingAway });
    expect(store.status).toBe('restarting');
    // A restart is not a failure: the first attempt comes after the first delay again.
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(4);
    expect(store.status).toBe('restarting');
    // The server is not back yet: the attempt fails, the page still says it is restarting.
    sockets[3].onclose?.({ code: 1006 });
    expect(store.status).toBe('restarting');
    vi.advanceTimersByTime(1000);
    sockets[4].onopen?.({});
    expect(store.status).toBe('open');
    // Back to normal: a later broken connection is a failure again.
    sockets[4].onclose?.({ code: 1006 });
    expect(store.status).toBe('closed');
    store.stop();
  });

  it('says so in both languages', () => {
    expect(inspectorStrings.en.status.restarting).toBe('the server stopped or is restarting; reconnecting…');
    expect(inspectorStrings.ru.status.restarting).toBe('сервер остановлен или перезапускается; переподключаемся…');
    expect(inspectorStrings.en.beforeRestart).toBe('before the server restarted');
    expect(inspectorStrings.ru.beforeRestart).toBe('до перезапуска сервера');
  });
});

/** A store whose capture channel the test plays: `hello` from one server process or another, then its ring. */
function channel(maxBytes?: number) {
  const { store, sockets } = storeOverFakeSockets({ reconnectDelayMs: { first: 10, max: 10 }, maxBytes });
  store.connect();
  const deliver = (message: unknown) => sockets.at(-1)!.onmessage?.({ data: JSON.stringify(message) });
  // each replayed connection opened after the one before (a later server's all opened later)
  let opened = 1_800_000_000_000;
  return {
    store,
    deliver,
    /** the channel opens on the server process `instance` (the server restarts between two different ones) */
    hello(instance: string) {
      if (sockets.at(-1)!.onopen === null || store.status === 'open') {
        sockets.at(-1)!.onclose?.({ code: CAPTURE_CLOSE.serverGoingAway });
        vi.advanceTimersByTime(10);
      }
      sockets.at(-1)!.onopen?.({});
      deliver({ type: 'hello', recording: true, instance, limits: { ringBytes: 1, ringChunks: 1 } });
    },
    /** a fixture's connection and chunks, as that server's ring has them (its ids are the server's) */
    replay(name: string, id?: string, change: Partial<CapturedConnection> = {}) {
      const { fixture } = readFixture(name);
      opened += 1000;
      const conn = { ...fixture.connections[0], openedAt: opened, ...change, ...(id ? { id } : {}) };
      deliver({ type: 'connection', conn });
      deliver({ type: 'chunks', chunks: fixture.chunks.map((chunk) => ({ ...chunk, conn: conn.id })) });
      return conn;
    },
  };
}

const summary = (store: CaptureStore) =>
  store.connections().map((view) => [view.connection.id, view.exchanges.map((exchange) => exchange.request.target).join(' '), view.beforeRestart ?? false]);

describe('the captures of before a restart', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  beforeAll(loadAllLayers);

  it('the same server process again (a plain reconnect): starts over from its replay, nothing marked', () => {
    const { store, hello, replay } = channel();
    hello('one');
    replay('curl-get');
    hello('one');
    expect(store.connections()).toEqual([]);
    replay('curl-get');
    expect(summary(store)).toEqual([['c1', '/hello', false]]);
    expect(store.getSnapshot().beforeRestart.size).toBe(0);
  });

  it('another server process: keeps what it had, marked, and keys the new one’s c1 apart from the old c1', () => {
    const { store, hello, replay, deliver } = channel();
    hello('one');
    replay('curl-get', 'c1');
    replay('fetch-keep-alive', 'c2');
    const oldExchange = store.exchanges()[0];
    hello('two');
    // the restarted server's ring starts empty: the earlier captures stay, marked
    expect(summary(store)).toEqual([
      ['c1', '/hello', true],
      ['c2', '/echo /users/1', true],
    ]);
    // ...and numbers its connections from c1 again, which the store keeps apart
    replay('curl-post-json', 'c1', { closedAt: undefined });
    deliver({ type: 'closed', conn: 'c1', t: 1795335065300 });
    expect(summary(store)).toEqual([
      ['c1', '/hello', true],
      ['c2', '/echo /users/1', true],
      ['r1-c1', '/echo', false],
    ]);
    const [before, , after] = store.connections();
    expect(before.exchanges[0]).toMatchObject({ conn: 'c1', index: 0, request: { method: 'GET' } });
    expect(after.exchanges[0]).toMatchObject({ conn: 'r1-c1', index: 0, request: { method: 'POST' } });
    // the new `closed` reached the new connection, not the old one
    expect(after.connection.closedAt).toBe(1795335065300);
    expect(before.connection.closedAt).toBe(readFixture('curl-get').fixture.connections[0].closedAt);
    // the old bytes are all there, unchanged, and still decode as they did
    expect(store.chunksOf('c1').map((chunk) => chunk.conn)).toEqual(['c1', 'c1']);
    expect(store.chunksOf('r1-c1').map((chunk) => chunk.conn)).toEqual(['r1-c1', 'r1-c1']);
    expect(before.exchanges[0].request).toEqual(oldExchange.request);
    expect(before.exchanges[0].response).toEqual(oldExchange.response);
    expect(store.getSnapshot().beforeRestart).toEqual(new Set(['c1', 'c2']));
    expect(store.toPcapng(['c1', 'r1-c1']).length).toBeGreaterThan(store.toPcapng(['c1']).length);

    // the new process again (a plain reconnect): only its own captures start over
    hello('two');
    expect(summary(store)).toEqual([
      ['c1', '/hello', true],
      ['c2', '/echo /users/1', true],
    ]);
    replay('curl-head', 'c1');
    expect(summary(store).at(-1)).toEqual(['r1-c1', '/hello', false]);
    // a third: the second's captures are from before a restart too, and each keeps its own key
    hello('three');
    replay('curl-get', 'c1');
    expect(summary(store).map(([id, , before]) => [id, before])).toEqual([
      ['c1', true],
      ['c2', true],
      ['r1-c1', true],
      ['r2-c1', false],
    ]);
  });

  it('marks at once a connection still being decoded a slice at a time when the server restarted', () => {
    const { store, hello, deliver } = channel();
    hello('one');
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
    const events = Array.from({ length: 2000 }, (_, index) => {
      const event = `data: ${'x'.repeat(90)} ${index}\n\n`;
      return `${event.length.toString(16)}\r\n${event}\r\n`;
    });
    const wire = [{ conn: 'c9', seq: 1, dir: 'in', t: 1001, offset: 0, data: Buffer.from('GET /sse HTTP/1.1\r\nHost: x\r\n\r\n').toString('base64') }];
    let offset = 0;
    for (const [index, text] of [head, ...events].entries()) {
      wire.push({ conn: 'c9', seq: index + 2, dir: 'out', t: 1002 + index, offset, data: Buffer.from(text).toString('base64') });
      offset += text.length;
    }
    deliver({ type: 'connection', conn: { id: 'c9', transport: 'http/1.1', remote: '127.0.0.1:5000', local: '127.0.0.1:8080', openedAt: 1000 } });
    deliver({ type: 'chunks', chunks: wire });
    // a first slice decoded; the rest waits for the background catch-up
    expect(store.getSnapshot().messages.length).toBeLessThan(2000);
    // the new process's hello before any timer runs (reconnecting would let the catch-up finish first)
    deliver({ type: 'hello', recording: true, instance: 'two', limits: { ringBytes: 1, ringChunks: 1 } });
    const snapshot = store.getSnapshot();
    expect(snapshot.messages.length).toBeLessThan(2000);
    expect(snapshot.connections.map((view) => [view.connection.id, view.beforeRestart])).toEqual([['c9', true]]);
    expect(snapshot.beforeRestart).toEqual(new Set(['c9']));
    vi.runAllTimers();
    expect(store.getSnapshot().messages).toHaveLength(2000);
    expect(store.getSnapshot().connections[0].beforeRestart).toBe(true);
  });

  it('a channel that names no server process (the class relay of the teacher’s captures) starts from nothing, as before', () => {
    const { store, hello, replay, deliver } = channel();
    hello('one');
    replay('curl-get');
    deliver({ type: 'hello', recording: true });
    expect(store.connections()).toEqual([]);
    replay('curl-get');
    expect(summary(store)).toEqual([['c1', '/hello', false]]);
  });

  it('"Clear" clears them too, even a keep-alive connection that was open when the server went', () => {
    const { store, hello, replay, deliver } = channel();
    hello('one');
    replay('curl-get', 'c1');
    replay('fetch-keep-alive', 'c2');
    hello('two');
    replay('fetch-keep-alive', 'c2');
    deliver({ type: 'cleared' });
    // the new process's open connection stays without its bytes, as after any clear; the old ones go
    expect(store.connections().map((view) => [view.connection.id, view.bytes, view.beforeRestart ?? false])).toEqual([['r1-c2', 0, false]]);
    expect(store.getSnapshot().beforeRestart.size).toBe(0);
  });

  it('counts the old captures toward its byte limit, and drops them first, as the oldest', () => {
    // 261 + 389 bytes before the restart, 249 after: past 700 the oldest connection goes
    const { store, hello, replay } = channel(700);
    hello('one');
    replay('curl-get', 'c1');
    replay('curl-post-json', 'c2');
    hello('two');
    expect(store.connections().map((view) => view.bytes)).toEqual([261, 389]);
    replay('curl-head', 'c1');
    expect(summary(store)).toEqual([
      ['c2', '/echo', true],
      ['r1-c1', '/hello', false],
    ]);
    // the new process's own replay stays bounded the same way: the old connection goes before any new one
    replay('curl-get', 'c2');
    expect(summary(store)).toEqual([
      ['r1-c1', '/hello', false],
      ['r1-c2', '/hello', false],
    ]);
  });

  it('are left out of what the lesson’s exercises are checked against', () => {
    const { store, hello, replay } = channel();
    hello('one');
    replay('curl-get', 'c1');
    hello('two');
    replay('curl-post-json', 'c1');
    const { exchanges, messages } = exerciseTraffic(store.getSnapshot(), 0);
    expect(exchanges.map((exchange) => [exchange.conn, exchange.request.method])).toEqual([['r1-c1', 'POST']]);
    expect(messages.every((message) => message.conn === 'r1-c1')).toBe(true);
    expect(store.exchanges()).toHaveLength(2);
  });

  it('the inspector lists them marked, in Russian, and still shows their bytes', () => {
    const { store, hello, replay } = channel();
    hello('one');
    replay('curl-get', 'c1');
    hello('two');
    replay('curl-post-json', 'c1');
    const html = renderToString(createElement(LangContext.Provider, { value: 'ru' }, createElement(Inspector, { store, focus: { conn: 'c1', index: 0 } })));
    const heads = html.match(/<li class="insp-conn[^"]*" data-testid="insp-connection" data-conn="[^"]+"[^>]*>/g) ?? [];
    expect(heads).toHaveLength(2);
    expect(heads[0]).toContain('data-conn="c1" data-before-restart="true"');
    expect(heads[1]).toContain('data-conn="r1-c1"');
    expect(heads[1]).not.toContain('data-before-restart');
    expect(html.match(/data-testid="insp-before-restart"[^>]*>до перезапуска сервера</g)).toHaveLength(1);
    // the old exchange, selected: its request line and bytes ("G" of GET at offset 0)
    expect(html).toContain('GET /hello HTTP/1.1');
    expect(html).toMatch(/data-testid="insp-hex-byte" data-section="0" data-offset="0"[^>]*>47</);
  });
});
