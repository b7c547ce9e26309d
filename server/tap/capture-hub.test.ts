import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CaptureHub, captureInstanceId, FLUSH_EVERY_MS } from './capture-hub.ts';
import type { CaptureMessage } from './capture-types.ts';
import { TapSocket } from './tap-socket.ts';

const SESSION = 'AAAAAAAAAAAAAAAAAAAAAA';

/** A TapSocket over an in-memory stream standing in for the network. */
function fakeConnection(hub: CaptureHub, remoteAddress = '127.0.0.1') {
  const network = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() }) as unknown as Socket;
  Object.assign(network, { remoteAddress, remotePort: 5000, localAddress: '127.0.0.1', localPort: 8080 });
  const tapped = new TapSocket(network);
  hub.track(tapped, 'http/1.1');
  return { network, tapped };
}

function collect(hub: CaptureHub, session = SESSION) {
  const messages: CaptureMessage[] = [];
  hub.subscribe(session, { deliver: (batch) => messages.push(...batch) });
  return messages;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, FLUSH_EVERY_MS + 5));
const chunks = (messages: CaptureMessage[]) =>
  messages.flatMap((m) => (m.type === 'chunk' ? [`${m.chunk.dir}@${m.chunk.offset}:${m.chunk.data.toString()}`] : []));

describe('CaptureHub', () => {
  it('holds bytes until a request names the owner, then delivers them in order', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    network.emit('data', Buffer.from('GET / HTTP/1.1\r\n'));
    await flush();
    expect(chunks(seen)).toEqual([]);
    hub.claim(tapped, SESSION);
    tapped.write(Buffer.from('HTTP/1.1 200 OK\r\n'));
    await flush();
    expect(seen.some((m) => m.type === 'connection')).toBe(true);
    expect(chunks(seen)).toEqual(['in@0:GET / HTTP/1.1\r\n', 'out@0:HTTP/1.1 200 OK\r\n']);
  });

  it('marks a reset connection undelivered in a new description: the one a session was shown before stays as it was', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    tapped.on('error', () => undefined);
    network.emit('data', Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    hub.claim(tapped, SESSION, { method: 'GET', url: '/' });
    tapped.write(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'));
    await flush();
    network.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await flush();
    const described = seen.flatMap((m) => (m.type === 'connection' ? [m.conn] : []));
    expect(described).toHaveLength(2);
    expect(described[0].undelivered).toBeUndefined();
    expect(described[1]).toMatchObject({ id: described[0].id, undelivered: { from: 0, reason: 'peer-reset' } });
  });

  it('records a head-only response up to its empty line, even split across writes, then the next response whole', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    network.emit('data', Buffer.from('GET /assets/a.js HTTP/1.1\r\n\r\n'));
    hub.claim(tapped, SESSION);
    const response = new EventEmitter();
    expect(hub.recordHeadOnly(tapped, response)).toBe(true);
    tapped.write(Buffer.from('HTTP/1.1 200 OK\r\nA: b\r'));
    tapped.write(Buffer.from('\n\r\nBODY-1'));
    tapped.write(Buffer.from('BODY-2'));
    response.emit('finish');
    response.emit('close');
    network.emit('data', Buffer.from('GET /api HTTP/1.1\r\n\r\n'));
    hub.claim(tapped, SESSION);
    tapped.write(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'));
    await flush();
    expect(chunks(seen)).toEqual([
      'in@0:GET /assets/a.js HTTP/1.1\r\n\r\n',
      'out@0:HTTP/1.1 200 OK\r\nA: b\r',
      'out@22:\n\r\n',
      'in@29:GET /api HTTP/1.1\r\n\r\n',
      'out@37:HTTP/1.1 204 No Content\r\n\r\n',
    ]);
  });

  it('keeps h2c and unowned connections whole (no head-only recording there)', () => {
    const hub = new CaptureHub();
    const { tapped } = fakeConnection(hub);
    expect(hub.recordHeadOnly(tapped, new EventEmitter())).toBe(false);
  });

  it('keeps a WebSocket’s bytes as they crossed, though its reader unmasks them in place', async () => {
    // `ws` unmasks a client's frame inside the Buffer the socket delivered: the listener tells
    // the hub of the upgrade before `ws` reads the bytes that came with the upgrade request.
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    const request = Buffer.from('GET-upgrade+masked-1');
    network.emit('data', request);
    hub.upgraded(tapped);
    request.write('UNMASKED', 12);
    hub.claim(tapped, SESSION);
    const late = Buffer.from('masked-2');
    network.emit('data', late);
    late.write('UNMASKED');
    await flush();
    expect(chunks(seen)).toEqual(['in@0:GET-upgrade+masked-1', 'in@20:masked-2']);
  });

  it('keeps the first frames that came with the upgrade request on a claimed connection too', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    hub.claim(tapped, SESSION);
    const request = Buffer.from('GET-upgrade+masked-1');
    network.emit('data', request);
    hub.upgraded(tapped);
    request.write('UNMASKED', 12);
    await flush();
    expect(chunks(seen)).toEqual(['in@0:GET-upgrade+masked-1']);
  });

  it('records an upgraded connection for its upgrade request’s owner, both ways, framing no more: what follows is WebSocket frames', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    const upgrade = 'GET /ws/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';
    network.emit('data', Buffer.from(upgrade));
    hub.claim(tapped, SESSION, { method: 'GET', url: '/ws/echo' });
    hub.upgraded(tapped);
    const switching = 'HTTP/1.1 101 Switching Protocols\r\n\r\n';
    tapped.write(Buffer.from(switching));
    // bytes that would read as a request: after an upgrade no request follows, they are the WebSocket's
    const frames = 'GET /not-a-request HTTP/1.1\r\n\r\n';
    network.emit('data', Buffer.from(frames));
    tapped.write(Buffer.from('pong'));
    await flush();
    expect(chunks(seen)).toEqual([`in@0:${upgrade}`, `out@0:${switching}`, `in@${upgrade.length}:${frames}`, `out@${switching.length}:pong`]);
    expect(
      hub
        .capturedOf(SESSION)
        ?.read()
        .connections.map((info) => [info.id, info.unrecorded, info.shared]),
    ).toEqual([['c1', undefined, undefined]]);
  });

  it('never shows one session the bytes of another', async () => {
    const hub = new CaptureHub();
    const mine = collect(hub, SESSION);
    const theirs = collect(hub, 'BBBBBBBBBBBBBBBBBBBBBB');
    const { network, tapped } = fakeConnection(hub);
    hub.claim(tapped, SESSION);
    network.emit('data', Buffer.from('secret'));
    await flush();
    expect(chunks(mine)).toEqual(['in@0:secret']);
    expect(chunks(theirs)).toEqual([]);
  });

  it('records nothing of an anonymous connection, nor of an internal one', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const anonymous = fakeConnection(hub);
    hub.claim(anonymous.tapped, null);
    anonymous.network.emit('data', Buffer.from('x'));
    const internal = fakeConnection(hub);
    hub.exclude(internal.tapped);
    hub.claim(internal.tapped, SESSION);
    internal.network.emit('data', Buffer.from('y'));
    await flush();
    expect(chunks(seen)).toEqual([]);
  });

  it('keeps offsets counting while recording is off, so the browser sees the gap', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    hub.claim(tapped, SESSION);
    network.emit('data', Buffer.from('aa'));
    hub.setRecording(SESSION, false);
    network.emit('data', Buffer.from('bbb'));
    hub.setRecording(SESSION, true);
    network.emit('data', Buffer.from('c'));
    await flush();
    expect(chunks(seen)).toEqual(['in@0:aa', 'in@5:c']);
  });

  it('frames a keep-alive connection while recording is off: switched on, the next request is recorded from its start line', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    hub.setRecording(SESSION, false);
    // A body that looks like a request, cut across reads: only framing tells it from the next one.
    const body = 'GET /not-a-request HTTP/1.1\r\n\r\n';
    network.emit('data', Buffer.from(`POST /a HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`));
    hub.claim(tapped, SESSION, { method: 'POST', url: '/a' });
    network.emit('data', Buffer.from(body.slice(10)));
    tapped.write(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'));
    hub.setRecording(SESSION, true);
    const next = 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n';
    network.emit('data', Buffer.from(next));
    hub.claim(tapped, SESSION, { method: 'GET', url: '/b' });
    await flush();
    const offset = 'POST /a HTTP/1.1\r\nContent-Length: 31\r\n\r\n'.length + body.length;
    expect(chunks(seen)).toEqual([`in@${offset}:${next}`]);
    const connection = seen.find((m) => m.type === 'connection');
    expect(connection?.type === 'connection' && connection.conn.shared).toBeFalsy();
  });

  it('bounds the ring and replays only what it kept to a late subscriber', async () => {
    const hub = new CaptureHub({ ringBytes: 10, ringChunks: 3 });
    const { network, tapped } = fakeConnection(hub);
    hub.claim(tapped, SESSION);
    for (const piece of ['1111', '2222', '3333', '4444']) network.emit('data', Buffer.from(piece));
    const late = collect(hub);
    expect(chunks(late)).toEqual(['in@8:3333', 'in@12:4444']);
  });

  it('stops reading the network while the head of a connection waits for its owner, and records it from byte 0', async () => {
    const hub = new CaptureHub({ pendingBytes: 8 });
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    tapped.on('data', () => {}); // the parser, reading everything it is given
    network.emit('data', Buffer.from('head-of-it'));
    expect(network.isPaused()).toBe(true);
    hub.claim(tapped, SESSION);
    expect(network.isPaused()).toBe(false);
    network.emit('data', Buffer.from('rest'));
    await flush();
    const announced = seen.find((m) => m.type === 'connection');
    expect(announced?.type === 'connection' && announced.conn.unrecorded).toBeUndefined();
    expect(chunks(seen)).toEqual(['in@0:head-of-it', 'in@10:rest']);
  });

  it('marks a connection not recorded from its start when its parser read the whole head and named no owner', async () => {
    const hub = new CaptureHub({ pendingBytes: 8 });
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    tapped.on('data', () => {});
    network.emit('data', Buffer.from('0123456789'));
    // the parser has read it all and announced no request: the head is given up, the network read again
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(network.isPaused()).toBe(false);
    network.emit('data', Buffer.from('GET /named'));
    hub.claim(tapped, SESSION);
    await flush();
    const announced = seen.find((m) => m.type === 'connection');
    expect(announced?.type === 'connection' && announced.conn.unrecorded).toEqual({ in: 10, out: 0, reason: 'pending-limit' });
    expect(chunks(seen)).toEqual(['in@10:GET /named']);
  });

  it('says how much of a connection came before the request that named a session, and why it is missing', async () => {
    const hub = new CaptureHub();
    const seen = collect(hub);
    const { network, tapped } = fakeConnection(hub);
    const anonymous = 'GET /anonymous HTTP/1.1\r\n\r\n';
    network.emit('data', Buffer.from(anonymous));
    hub.claim(tapped, null);
    tapped.write(Buffer.from('HTTP/1.1 200'));
    network.emit('data', Buffer.from('GET /named HTTP/1.1\r\n\r\n'));
    hub.claim(tapped, SESSION);
    tapped.write(Buffer.from('HTTP/1.1 204'));
    await flush();
    const announced = seen.filter((m) => m.type === 'connection');
    expect(announced.map((m) => m.type === 'connection' && m.conn.unrecorded)).toEqual([{ in: anonymous.length, out: 12, reason: 'no-session' }]);
    // a start with no session is no shared connection
    expect(announced.map((m) => m.type === 'connection' && m.conn.shared)).toEqual([undefined]);
    expect(chunks(seen)).toEqual([`in@${anonymous.length}:GET /named HTTP/1.1\r\n\r\n`, 'out@12:HTTP/1.1 204']);
  });

  it('gives each exchange of a keep-alive connection to the session of its own request, and says the connection is shared', async () => {
    const hub = new CaptureHub();
    const alice = collect(hub, SESSION);
    const bob = collect(hub, 'BBBBBBBBBBBBBBBBBBBBBB');
    const { network, tapped } = fakeConnection(hub);
    const request = (who: string, body: string) => `POST /${who} HTTP/1.1\r\nCookie: ${who}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    // Alice's request, then Bob's head in the same chunk as the end of Alice's body, Bob's body later
    const a = request('alice', 'A-body');
    const b = request('bob', 'B-body');
    network.emit('data', Buffer.from(a.slice(0, 20)));
    hub.claim(tapped, SESSION, { method: 'POST', url: '/alice' });
    network.emit('data', Buffer.from(a.slice(20) + b.slice(0, -3)));
    tapped.write(Buffer.from('HTTP/1.1 200 alice'));
    hub.claim(tapped, 'BBBBBBBBBBBBBBBBBBBBBB', { method: 'POST', url: '/bob' });
    network.emit('data', Buffer.from(b.slice(-3)));
    tapped.write(Buffer.from('HTTP/1.1 200 bob'));
    await flush();
    expect(chunks(alice)).toEqual([`in@0:${a.slice(0, 20)}`, `in@20:${a.slice(20)}`, 'out@0:HTTP/1.1 200 alice']);
    expect(chunks(bob)).toEqual([`in@${a.length}:${b.slice(0, -3)}`, `in@${a.length + b.length - 3}:${b.slice(-3)}`, 'out@18:HTTP/1.1 200 bob']);
    const described = (messages: CaptureMessage[]) =>
      messages.flatMap((m) => (m.type === 'connection' ? [{ unrecorded: m.conn.unrecorded, shared: m.conn.shared }] : []));
    // Alice is told when the connection becomes shared; Bob learns it at once, with the bytes before his.
    expect(described(alice)).toEqual([
      { unrecorded: undefined, shared: undefined },
      { unrecorded: undefined, shared: true },
    ]);
    expect(described(bob)).toEqual([{ unrecorded: { in: a.length, out: 18, reason: 'shared' }, shared: true }]);
  });

  it('gives the "100 Continue" Node writes before announcing a request to that request’s session', async () => {
    const hub = new CaptureHub();
    const alice = collect(hub, SESSION);
    const bob = collect(hub, 'BBBBBBBBBBBBBBBBBBBBBB');
    const { network, tapped } = fakeConnection(hub);
    const writingTo = (response: object | null) => Object.assign(tapped, { _httpMessage: response });
    const aliceResponse = {};
    network.emit('data', Buffer.from('GET /a HTTP/1.1\r\n\r\n'));
    hub.claim(tapped, SESSION, { method: 'GET', url: '/a' }, aliceResponse);
    writingTo(aliceResponse);
    tapped.write(Buffer.from('HTTP/1.1 204 alice\r\n\r\n'));
    writingTo(null);
    const bobResponse = {};
    network.emit('data', Buffer.from('POST /b HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n'));
    writingTo(bobResponse);
    tapped.write(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'));
    hub.claim(tapped, 'BBBBBBBBBBBBBBBBBBBBBB', { method: 'POST', url: '/b' }, bobResponse);
    network.emit('data', Buffer.from('hi'));
    await flush();
    expect(chunks(alice).filter((c) => c.startsWith('out'))).toEqual(['out@0:HTTP/1.1 204 alice\r\n\r\n']);
    expect(chunks(bob).filter((c) => c.startsWith('out'))).toEqual(['out@22:HTTP/1.1 100 Continue\r\n\r\n']);
  });

  it('records nothing of a request Node answered without announcing it, and keeps the next one with its own session', async () => {
    const hub = new CaptureHub();
    const alice = collect(hub, SESSION);
    const bob = collect(hub, 'BBBBBBBBBBBBBBBBBBBBBB');
    const { network, tapped } = fakeConnection(hub);
    network.emit('data', Buffer.from('GET /a HTTP/1.1\r\n\r\n'));
    hub.claim(tapped, SESSION, { method: 'GET', url: '/a' });
    // a request Node refuses itself (417), then Bob's
    network.emit('data', Buffer.from('GET /expect HTTP/1.1\r\nExpect: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n'));
    hub.claim(tapped, 'BBBBBBBBBBBBBBBBBBBBBB', { method: 'GET', url: '/b' });
    await flush();
    expect(chunks(alice)).toEqual(['in@0:GET /a HTTP/1.1\r\n\r\n']);
    expect(chunks(bob)).toEqual(['in@54:GET /b HTTP/1.1\r\n\r\n']);
  });

  it('h2c: stops recording when a second session’s request arrives, and never shows the first session the chunk that carried it', async () => {
    const hub = new CaptureHub();
    const alice = collect(hub, SESSION);
    const bob = collect(hub, 'BBBBBBBBBBBBBBBBBBBBBB');
    const network = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() }) as unknown as Socket;
    Object.assign(network, { remoteAddress: '127.0.0.1', remotePort: 5000, localAddress: '127.0.0.1', localPort: 8080 });
    const tapped = new TapSocket(network);
    hub.track(tapped, 'h2c');
    network.emit('data', Buffer.from('alice-headers'));
    hub.claim(tapped, SESSION);
    await new Promise((resolve) => setImmediate(resolve));
    network.emit('data', Buffer.from('bob-headers'));
    // the HTTP/2 session announces Bob's stream a moment after the chunk arrived
    process.nextTick(() => hub.claim(tapped, 'BBBBBBBBBBBBBBBBBBBBBB'));
    await flush();
    tapped.write(Buffer.from('any-frame'));
    await flush();
    expect(chunks(alice)).toEqual(['in@0:alice-headers']);
    expect(chunks(bob)).toEqual([]);
    const shared = (messages: CaptureMessage[]) => messages.some((m) => m.type === 'connection' && m.conn.shared === true);
    expect(shared(alice)).toBe(true);
    expect(shared(bob)).toBe(true);
  });
});

describe('CaptureHub: the global capture budget', () => {
  const KiB = 1024;
  const sessionId = (n: number) => `S${String(n).padStart(21, '0')}`;
  /** One connection of `session` from `address` records `bytes` inbound in chunks of 1 KiB. */
  function record(hub: CaptureHub, session: string, address: string, bytes: number): void {
    const { network, tapped } = fakeConnection(hub, address);
    hub.claim(tapped, session);
    for (let sent = 0; sent < bytes; sent += KiB) network.emit('data', Buffer.alloc(KiB, 0x61));
  }

  it('keeps the rings of all sessions within the total, taking from the address holding the most', async () => {
    const hub = new CaptureHub({ totalBytes: 256 * KiB, ringBytes: 64 * KiB });
    const student = sessionId(0);
    const seen = collect(hub, student);
    record(hub, student, '10.0.0.2', 16 * KiB);
    const studentHeld = hub.heldBytes('10.0.0.2');
    expect(studentHeld).toBeGreaterThanOrEqual(16 * KiB);
    // One client, a hundred fresh sessions, each filling its ring.
    for (let n = 1; n <= 100; n++) record(hub, sessionId(n), '10.0.0.66', 64 * KiB);
    expect(hub.heldBytes()).toBeLessThanOrEqual(256 * KiB);
    expect(hub.heldBytes('10.0.0.2')).toBe(studentHeld);
    // The student's captures are all still there to replay.
    await flush();
    const replay: CaptureMessage[] = [];
    hub.subscribe(student, { deliver: (batch) => replay.push(...batch) });
    expect(replay.filter((m) => m.type === 'chunk')).toHaveLength(16);
    expect(chunks(seen)).toHaveLength(16);
  });

  it('halves a session that is alone over the budget: its own oldest chunks go first', () => {
    const hub = new CaptureHub({ totalBytes: 32 * KiB, ringBytes: 64 * KiB });
    const session = sessionId(1);
    record(hub, session, '10.0.0.9', 60 * KiB);
    expect(hub.heldBytes()).toBeLessThanOrEqual(32 * KiB);
    const replay: CaptureMessage[] = [];
    hub.subscribe(session, { deliver: (batch) => replay.push(...batch) });
    const offsets = replay.flatMap((m) => (m.type === 'chunk' ? [m.chunk.offset] : []));
    expect(offsets.length).toBeGreaterThan(0);
    // The newest chunk is kept; what went were the oldest.
    expect(offsets.at(-1)).toBe(59 * KiB);
    expect(offsets[0]).toBeGreaterThan(0);
  });

  it('a forgotten session’s connections, still open, record nothing more and hold nothing', () => {
    const hub = new CaptureHub({ sessionsPerAddress: 2 });
    const first = fakeConnection(hub, '10.0.0.66');
    hub.claim(first.tapped, sessionId(1));
    first.network.emit('data', Buffer.alloc(KiB, 0x61));
    record(hub, sessionId(2), '10.0.0.66', KiB);
    record(hub, sessionId(3), '10.0.0.66', KiB); // forgets session 1, the least recently active
    const held = hub.heldBytes();
    for (let i = 0; i < 64; i++) first.network.emit('data', Buffer.alloc(KiB, 0x62));
    expect(hub.heldBytes()).toBe(held);
    expect(hub.sessionCount('10.0.0.66')).toBe(2);
  });

  it('a client opening sessions past its share evicts its own, never another address’s', () => {
    const hub = new CaptureHub({ sessions: 10, sessionsPerAddress: 4 });
    record(hub, sessionId(0), '10.0.0.2', KiB);
    for (let n = 1; n <= 30; n++) record(hub, sessionId(n), '10.0.0.66', KiB);
    expect(hub.sessionCount('10.0.0.66')).toBe(4);
    expect(hub.sessionCount('10.0.0.2')).toBe(1);
    // Many addresses at once fill the server-wide count: the address with the most sessions gives way.
    for (let n = 31; n <= 36; n++) record(hub, sessionId(n), `10.0.1.${n}`, KiB);
    expect(hub.sessionCount()).toBeLessThanOrEqual(10);
    expect(hub.sessionCount('10.0.0.2')).toBe(1);
  });
});

describe('CaptureHub: which server process', () => {
  it('names each start of the server anew, and a scaled-out instance by its own id first', () => {
    expect(new CaptureHub().instance).not.toBe(new CaptureHub().instance);
    expect(new CaptureHub({}, 'i-ab12-000000000001').instance).toBe('i-ab12-000000000001');
    expect(captureInstanceId()).toMatch(/^[0-9a-f]{12}$/);
    expect(captureInstanceId()).not.toBe(captureInstanceId());
    // INSTANCE_ID stays the same when its container restarts: the random part tells the starts apart
    expect(captureInstanceId('i-ab12')).toMatch(/^i-ab12-[0-9a-f]{12}$/);
    expect(captureInstanceId('i-ab12')).not.toBe(captureInstanceId('i-ab12'));
  });
});
