import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, Manager, type Socket, type SocketOptions, type ManagerOptions } from 'socket.io-client';
import { nextEvent } from './socket-io-events.ts';
import { WebSocket } from 'ws';
import type { Socket as EngineSocket } from 'engine.io';
import { startServer, type RunningServer } from './start-server.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { DEFAULT_SOCKET_IO_LIMITS } from '../../server/protocols/socket-io/index.ts';

let server: RunningServer;
const opened: Array<{ close(): void }> = [];

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  for (const thing of opened.splice(0)) thing.close();
});
afterAll(async () => {
  await server?.close();
});

function sandbox(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}

type Options = Partial<ManagerOptions & SocketOptions>;

/** A socket.io-client socket in a sandbox of its own choosing (the header), not yet connected. */
function client(box: string, name: string | null, options: Options = {}, namespace = '/'): Socket {
  const socket = io(`${server.origin}${namespace}`, {
    forceNew: true,
    autoConnect: false,
    reconnection: false,
    auth: name === null ? {} : { name },
    extraHeaders: { 'x-wirelab-sandbox': box },
    ...options,
  });
  opened.push({ close: () => socket.disconnect() });
  return socket;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
}

async function joined(box: string, name: string, room = 'lobby', options: Options = {}): Promise<Socket> {
  const socket = client(box, name, options);
  await connected(socket);
  expect(await socket.emitWithAck('chat:join', room)).toEqual({ ok: true, room });
  return socket;
}

/** Every event a socket receives, in order. */
function record(socket: Socket): Array<{ event: string; args: unknown[] }> {
  const received: Array<{ event: string; args: unknown[] }> = [];
  socket.onAny((event: string, ...args: unknown[]) => received.push({ event, args }));
  return received;
}

/**
 * A round trip on this socket's own connection. The server writes to a connection in order, so
 * anything it had sent to this socket before answering arrives before the answer: once this
 * resolves, an event that has not arrived was never sent.
 */
async function barrier(socket: Socket): Promise<void> {
  const reply = await socket.emitWithAck('chat:leave', 'nowhere');
  expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
}

/** A raw WebSocket to Engine.IO, as the lesson's raw console opens it. */
class RawEngineIo {
  readonly texts: string[] = [];
  closeCode: number | null = null;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.texts.push(String(data)));
    socket.on('close', (code) => (this.closeCode = code));
  }

  static async open(headers: Record<string, string>, query = 'EIO=4&transport=websocket'): Promise<RawEngineIo> {
    const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/socket.io/?${query}`, { headers });
    const raw = new RawEngineIo(socket);
    opened.push({ close: () => socket.terminate() });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return raw;
  }

  async next(accept: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.texts.find(accept);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(this.texts)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async closed(timeoutMs = 5000): Promise<number> {
    if (this.closeCode !== null) return this.closeCode;
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not closed within ${timeoutMs} ms`)), timeoutMs);
      this.socket.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }
}

/** A WebSocket handshake to Engine.IO whose Sec-WebSocket-Key is malformed; resolves with the whole answer once the server closed. */
function badKeyHandshake(headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-a-key\r\n${extra}\r\n`,
    );
  });
}

describe('transports', () => {
  it('starts on polling, then upgrades the same session to WebSocket', async () => {
    const socket = client(sandbox('upgrade'), 'ada');
    const connecting = connected(socket);
    const engine = socket.io.engine;
    const firstTransport = engine.transport.name;
    const upgraded = new Promise<string>((resolve) => engine.once('upgrade', (transport: { name: string }) => resolve(transport.name)));
    await connecting;
    const sidBefore = engine.id;

    expect(firstTransport).toBe('polling');
    expect(await upgraded).toBe('websocket');
    expect(engine.id).toBe(sidBefore);
    // The session carries on over the new transport.
    expect(await socket.emitWithAck('chat:join', 'lobby')).toEqual({ ok: true, room: 'lobby' });
  });

  it('connects over WebSocket only when the client asks for it', async () => {
    const socket = client(sandbox('ws-only'), 'ada', { transports: ['websocket'] });
    const connecting = connected(socket);
    expect(socket.io.engine.transport.name).toBe('websocket');
    await connecting;
    expect(socket.io.engine.transport.name).toBe('websocket');
    expect(await socket.emitWithAck('chat:join', 'lobby')).toEqual({ ok: true, room: 'lobby' });
  });

  it('polls over h2c as well; the upgrade needs an HTTP/1.1 connection', async () => {
    const h2 = http2.connect(server.origin);
    opened.push({ close: () => h2.close() });
    const request = (path: string, body?: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const stream = h2.request({ ':path': path, ':method': body === undefined ? 'GET' : 'POST', 'x-wirelab-sandbox': 'h2-polling' });
        let status = 0;
        let text = '';
        stream.setEncoding('utf8');
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (chunk: string) => (text += chunk));
        stream.on('end', () => resolve({ status, body: text }));
        stream.on('error', reject);
        stream.end(body);
      });
    const open = await request('/socket.io/?EIO=4&transport=polling');
    expect(open.status).toBe(200);
    expect(open.body).toMatch(/^0\{/);
    const sid = JSON.parse(open.body.slice(1)).sid as string;
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    expect(await request(path, '40{"name":"h2"}')).toEqual({ status: 200, body: 'ok' });
    expect((await request(path)).body).toMatch(/^40\{"sid":"[^"]+"\}$/);
    expect(await request(path, '420["chat:join","lobby"]')).toEqual({ status: 200, body: 'ok' });
    expect((await request(path)).body).toBe('430[{"ok":true,"room":"lobby"}]');
  });

  it('reconnects after the transport drops, with a new session, and can join again', async () => {
    const box = sandbox('reconnect');
    const other = await joined(box, 'grace');
    const socket = client(box, 'ada', { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100, transports: ['websocket'] });
    socket.on('connect', () => void socket.emit('chat:join', 'lobby'));
    await connected(socket);
    await nextEvent(other, 'chat:presence', (p: { name: string; action: string }) => p.name === 'ada' && p.action === 'join');
    const firstSid = socket.io.engine.id;

    const left = nextEvent(other, 'chat:presence', (p: { name: string; action: string }) => p.name === 'ada' && p.action === 'leave');
    const rejoined = nextEvent(other, 'chat:presence', (p: { name: string; action: string }) => p.name === 'ada' && p.action === 'join');
    const reconnected = new Promise<void>((resolve) => socket.io.once('reconnect', () => resolve()));
    socket.io.engine.close();
    await left;
    await reconnected;
    expect(socket.io.engine.id).not.toBe(firstSid);

    await rejoined;
    const message = nextEvent(socket, 'chat:message');
    other.emit('chat:message', { room: 'lobby', text: 'welcome back' });
    expect(await message).toMatchObject({ room: 'lobby', name: 'grace', text: 'welcome back' });
  });
});

describe('the handshake and auth', () => {
  it('refuses a CONNECT without a name with CONNECT_ERROR and bilingual data, and the client does not retry', async () => {
    const socket = client(sandbox('anon'), null, { reconnection: true });
    const error = await connected(socket).then(
      () => null,
      (e: Error & { data?: unknown }) => e,
    );
    expect(error?.message).toMatch(/name is required/);
    expect(error?.data).toEqual({
      code: 'NAME_REQUIRED',
      message: error?.message,
      localized: { en: expect.stringContaining('auth {"name":"…"}'), ru: expect.stringContaining('Нужно имя') },
    });
    expect(socket.active).toBe(false);
  });

  it.each([[{ name: '   ' }], [{ name: 'x'.repeat(41) }], [{ name: 7 }]])('refuses auth %j', async (auth) => {
    const socket = client(sandbox('bad-auth'), null, { auth });
    await expect(connected(socket)).rejects.toMatchObject({ data: { code: 'NAME_REQUIRED' } });
  });
});

describe('events, acknowledgements, rooms', () => {
  it('answers an ack with a value, and refusals in the ack', async () => {
    const socket = client(sandbox('ack'), 'ada');
    await connected(socket);
    expect(await socket.emitWithAck('chat:join', 'лобби')).toEqual({ ok: true, room: 'лобби' });
    expect(await socket.emitWithAck('chat:join', 'a/b')).toMatchObject({
      ok: false,
      error: { code: 'BAD_ROOM', event: 'chat:join', localized: { ru: expect.stringContaining('Имя комнаты') } },
    });
    expect(await socket.emitWithAck('chat:message', { room: 'elsewhere', text: 'hi' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await socket.emitWithAck('chat:message', { room: 'лобби', text: 'x'.repeat(DEFAULT_SOCKET_IO_LIMITS.maxMessageLength + 1) })).toMatchObject({
      ok: false,
      error: { code: 'BAD_MESSAGE' },
    });
    expect(await socket.emitWithAck('chat:dance', 1)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT', event: 'chat:dance' } });
  });

  it('reports a refusal without an ack as a wirelab:error event', async () => {
    const socket = client(sandbox('no-ack'), 'ada');
    await connected(socket);
    const error = nextEvent(socket, 'wirelab:error');
    socket.emit('chat:message', { room: 'lobby', text: 'hi' });
    expect(await error).toMatchObject({ code: 'NOT_IN_ROOM', event: 'chat:message', localized: { en: expect.any(String), ru: expect.any(String) } });
  });

  it('broadcasts to the members of a room in the same sandbox only', async () => {
    const box = sandbox('rooms');
    const ada = await joined(box, 'ada');
    const grace = await joined(box, 'grace');
    const outside = client(box, 'alan');
    await connected(outside);
    const elsewhere = await joined(sandbox('rooms-other'), 'edsger');
    const graceGot = record(grace);
    const outsideGot = record(outside);
    const elsewhereGot = record(elsewhere);

    const own = nextEvent(ada, 'chat:message');
    expect(await ada.emitWithAck('chat:message', { room: 'lobby', text: 'hi' })).toEqual({ ok: true, room: 'lobby' });
    expect(await own).toMatchObject({ room: 'lobby', name: 'ada', text: 'hi', at: expect.any(String) });
    await Promise.all([barrier(grace), barrier(outside), barrier(elsewhere)]);

    expect(graceGot.filter((e) => e.event === 'chat:message').map((e) => e.args[0])).toEqual([expect.objectContaining({ name: 'ada', text: 'hi' })]);
    expect(outsideGot.map((e) => e.event)).not.toContain('chat:message');
    expect(elsewhereGot.map((e) => e.event)).not.toContain('chat:message');
  });

  it('stops the broadcast after chat:leave, and tells the room', async () => {
    const box = sandbox('leave');
    const ada = await joined(box, 'ada');
    const grace = await joined(box, 'grace');
    const graceLeft = nextEvent(ada, 'chat:presence', (p: { action: string }) => p.action === 'leave');
    expect(await grace.emitWithAck('chat:leave', 'lobby')).toEqual({ ok: true, room: 'lobby' });
    expect(await graceLeft).toEqual({ room: 'lobby', name: 'grace', action: 'leave', members: 1 });

    const graceGot = record(grace);
    await ada.emitWithAck('chat:message', { room: 'lobby', text: 'anyone?' });
    await barrier(grace);
    expect(graceGot.map((e) => e.event)).not.toContain('chat:message');
  });

  it(`limits a socket to ${DEFAULT_SOCKET_IO_LIMITS.maxRoomsPerSocket} rooms`, async () => {
    const socket = client(sandbox('many-rooms'), 'ada');
    await connected(socket);
    for (let i = 0; i < DEFAULT_SOCKET_IO_LIMITS.maxRoomsPerSocket; i++) expect(await socket.emitWithAck('chat:join', `room-${i}`)).toMatchObject({ ok: true });
    expect(await socket.emitWithAck('chat:join', 'one-too-many')).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ROOMS' } });
    // Joining a room it is already in is not a new room.
    expect(await socket.emitWithAck('chat:join', 'room-0')).toMatchObject({ ok: true });
  });

  it('shows who is typing to the others in the room, and clears it when the message goes out', async () => {
    const box = sandbox('typing');
    const ada = await joined(box, 'ada');
    const grace = await joined(box, 'grace');
    const adaGot = record(ada);

    const typing = nextEvent(grace, 'chat:typing');
    expect(await ada.emitWithAck('chat:typing', { room: 'lobby', typing: true })).toEqual({ ok: true, room: 'lobby' });
    expect(await typing).toEqual({ room: 'lobby', name: 'ada', typing: true });

    const stopped = nextEvent(grace, 'chat:typing');
    const message = nextEvent(grace, 'chat:message');
    ada.emit('chat:message', { room: 'lobby', text: 'done typing' });
    expect(await stopped).toEqual({ room: 'lobby', name: 'ada', typing: false });
    await message;
    await barrier(ada);
    expect(adaGot.map((e) => e.event)).not.toContain('chat:typing');
    expect(await ada.emitWithAck('chat:typing', { room: 'lobby', typing: 'yes' })).toMatchObject({ ok: false, error: { code: 'BAD_PAYLOAD' } });
  });
});

describe('the second namespace, /admin', () => {
  it('shares the connection, has its own middleware, and lists the rooms of its sandbox', async () => {
    const box = sandbox('admin');
    const manager = new Manager(server.origin, { autoConnect: false, reconnection: false, extraHeaders: { 'x-wirelab-sandbox': box } });
    const chat = manager.socket('/', { auth: { name: 'ada' } });
    const admin = manager.socket('/admin', { auth: { name: 'teacher' } });
    const anonymousAdmin = manager.socket('/admin', { auth: {} });
    opened.push({ close: () => [chat, admin, anonymousAdmin].forEach((s) => s.disconnect()) });
    await Promise.all([connected(chat), connected(admin)]);
    expect(chat.io).toBe(admin.io);
    expect(chat.io.engine.id).toBe(admin.io.engine.id);

    const presence = nextEvent(admin, 'admin:presence');
    await chat.emitWithAck('chat:join', 'lobby');
    expect(await presence).toEqual({ room: 'lobby', name: 'ada', action: 'join', members: 1 });
    await joined(sandbox('admin-other'), 'stranger');
    expect(await admin.emitWithAck('admin:rooms')).toEqual({ ok: true, rooms: [{ room: 'lobby', members: ['ada'] }] });
    expect(await admin.emitWithAck('chat:join', 'lobby')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
  });

  it('refuses a CONNECT without a name to /admin, and an unknown namespace', async () => {
    const refused = client(sandbox('admin-anon'), null, {}, '/admin');
    await expect(connected(refused)).rejects.toMatchObject({ data: { code: 'NAME_REQUIRED' } });
    const unknown = client(sandbox('nowhere'), 'ada', {}, '/nowhere');
    await expect(connected(unknown)).rejects.toMatchObject({ message: 'Invalid namespace' });
  });
});

describe('domain events', () => {
  it('delivers a user created over REST as user:created to the sockets of that sandbox only', async () => {
    const box = sandbox('events');
    const socket = client(box, 'ada');
    await connected(socket);
    const other = client(sandbox('events-other'), 'alan');
    await connected(other);
    const otherGot = record(other);

    const created = nextEvent(socket, 'user:created');
    const response = await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': box },
      body: JSON.stringify({ name: 'Socket Reader', email: 'reader@example.com' }),
    });
    expect(response.status).toBe(201);
    const user = await response.json();
    // The domain's representation: REST's fields, and the version REST sends as the ETag.
    expect(await created).toEqual({ id: expect.any(Number), type: 'user.created', at: expect.any(String), data: { ...user, version: 1 } });
    await barrier(other);
    expect(otherGot.map((e) => e.event)).not.toContain('user:created');
  });
});

describe('limits', () => {
  it('limits a flooding socket with a clear error while the others keep working', async () => {
    const box = sandbox('flood');
    const flooder = await joined(box, 'flooder', 'lobby', { transports: ['websocket'] });
    const calm = await joined(box, 'calm', 'lobby', { transports: ['websocket'] });
    const notice = nextEvent(flooder, 'wirelab:error', (e: { code: string }) => e.code === 'RATE_LIMITED');
    const flood = DEFAULT_SOCKET_IO_LIMITS.maxEventsPerSecond * 5;
    for (let i = 0; i < flood; i++) flooder.emit('chat:typing', { room: 'lobby', typing: true });
    // Right behind the flood, in the same tick: an event that asks for an ack gets the refusal in it.
    const refusedAck = flooder.emitWithAck('chat:join', 'lobby');
    expect(await notice).toMatchObject({ code: 'RATE_LIMITED', event: 'chat:typing', localized: { ru: expect.stringContaining('Слишком много событий') } });
    expect(await refusedAck).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', event: 'chat:join' } });

    const delivered = nextEvent(flooder, 'chat:message');
    expect(await calm.emitWithAck('chat:message', { room: 'lobby', text: 'still here' })).toEqual({ ok: true, room: 'lobby' });
    expect(await delivered).toMatchObject({ name: 'calm', text: 'still here' });
    expect(flooder.connected).toBe(true);
  });

  it(`refuses more than ${DEFAULT_SOCKET_IO_LIMITS.maxConnectionsPerSession} connections per session, even opened all at once, and accepts again after one closes`, async () => {
    const headers = { 'x-wirelab-sandbox': sandbox('quota') };
    const max = DEFAULT_SOCKET_IO_LIMITS.maxConnectionsPerSession;
    const engineSessions: EngineSocket[] = [];
    const track = (socket: EngineSocket): void => void engineSessions.push(socket);
    server.app.socketIo.engine.on('connection', track);
    opened.push({ close: () => server.app.socketIo.engine.off('connection', track) });

    // Handshakes that pass the quota but never become sessions (ws refuses the key) give their place back.
    for (let i = 0; i < 3; i++) expect(await badKeyHandshake(headers)).toMatch(/^HTTP\/1\.1 400 /);

    const attempts = await Promise.allSettled(Array.from({ length: max + 5 }, () => RawEngineIo.open(headers)));
    const sessions = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    expect(sessions).toHaveLength(max);
    for (const attempt of attempts) if (attempt.status === 'rejected') expect(String(attempt.reason)).toMatch(/Unexpected server response: 400/);

    const refused = await fetch(`${server.origin}/socket.io/?EIO=4&transport=polling`, { headers });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ code: 4, message: expect.stringMatching(/Too many Socket\.IO connections.*Слишком много подключений/) });

    // The place is given back when the server's side of the session closes: wait for that, not for the client's side.
    const released = Promise.race(engineSessions.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    sessions[0].socket.close();
    await released;
    const again = await fetch(`${server.origin}/socket.io/?EIO=4&transport=polling`, { headers });
    expect(again.status).toBe(200);
    expect(await again.text()).toMatch(/^0\{"sid"/);
  });

  it(`closes a WebSocket whose message is over maxPayload (${DEFAULT_SOCKET_IO_LIMITS.maxHttpBufferSize} bytes) with 1009, and answers a polling body over it with 413`, async () => {
    const headers = { 'x-wirelab-sandbox': sandbox('payload') };
    const raw = await RawEngineIo.open(headers);
    const open = JSON.parse((await raw.next((t) => t.startsWith('0{'))).slice(1));
    expect(open.maxPayload).toBe(DEFAULT_SOCKET_IO_LIMITS.maxHttpBufferSize);
    raw.socket.send('4' + 'x'.repeat(DEFAULT_SOCKET_IO_LIMITS.maxHttpBufferSize));
    expect(await raw.closed()).toBe(1009);

    const handshake = await fetch(`${server.origin}/socket.io/?EIO=4&transport=polling`, { headers });
    const sid = JSON.parse((await handshake.text()).slice(1)).sid as string;
    const tooBig = await fetch(`${server.origin}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' },
      body: '4' + 'x'.repeat(DEFAULT_SOCKET_IO_LIMITS.maxHttpBufferSize),
    });
    expect(tooBig.status).toBe(413);
  });
});

describe('raw Engine.IO over a plain WebSocket', () => {
  it('speaks Engine.IO and Socket.IO by hand: open, CONNECT, events with acks, a broadcast, CONNECT_ERROR', async () => {
    const raw = await RawEngineIo.open({ 'x-wirelab-sandbox': sandbox('raw') });
    const open = JSON.parse((await raw.next((t) => t.startsWith('0'))).slice(1));
    expect(open).toEqual({
      sid: expect.any(String),
      upgrades: [],
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: DEFAULT_SOCKET_IO_LIMITS.maxHttpBufferSize,
    });

    raw.socket.send('40{"name":"student"}');
    expect(await raw.next((t) => t.startsWith('40'))).toMatch(/^40\{"sid":"[^"]+"\}$/);
    raw.socket.send('420["chat:join","lobby"]');
    expect(await raw.next((t) => t.startsWith('430'))).toBe('430[{"ok":true,"room":"lobby"}]');
    raw.socket.send('42["chat:message",{"room":"lobby","text":"hi"}]');
    const broadcast = await raw.next((t) => t.startsWith('42["chat:message"'));
    expect(JSON.parse(broadcast.slice(2))).toEqual(['chat:message', { room: 'lobby', name: 'student', text: 'hi', at: expect.any(String) }]);

    raw.socket.send('40/admin,{}');
    const refused = await raw.next((t) => t.startsWith('44/admin,'));
    expect(JSON.parse(refused.slice('44/admin,'.length))).toMatchObject({
      message: expect.stringContaining('name is required'),
      data: { code: 'NAME_REQUIRED' },
    });

    // A pong the server did not ask for is harmless: the session stays.
    raw.socket.send('3');
    raw.socket.send('421["chat:leave","lobby"]');
    expect(await raw.next((t) => t.startsWith('431'))).toBe('431[{"ok":true,"room":"lobby"}]');
  });

  it('sends BAD_PACKET before closing a connection that sent a packet Socket.IO cannot decode, and serves the others', async () => {
    const box = sandbox('bad-packet');
    const bystander = await joined(box, 'grace', 'lobby', { transports: ['websocket'] });
    const raw = await RawEngineIo.open({ 'x-wirelab-sandbox': box });
    raw.socket.send('40{"name":"student"}');
    await raw.next((t) => t.startsWith('40'));
    raw.socket.send('42["chat:join"');
    const notice = await raw.next((t) => t.startsWith('42["wirelab:error"'));
    expect(JSON.parse(notice.slice(2))[1]).toMatchObject({ code: 'BAD_PACKET', localized: { ru: expect.stringContaining('некорректный пакет') } });
    await raw.closed();
    expect(await bystander.emitWithAck('chat:message', { room: 'lobby', text: 'unaffected' })).toEqual({ ok: true, room: 'lobby' });
  });

  it('answers a WebSocket without the Engine.IO query with 400 Transport unknown, and a plain GET with the JSON error', async () => {
    await expect(RawEngineIo.open({}, '')).rejects.toThrow(/Unexpected server response: 400/);
    const response = await fetch(`${server.origin}/socket.io/`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 0, message: 'Transport unknown' });
  });
});

describe('the byte tap', () => {
  it('gives the polling requests and the upgraded WebSocket to the browser session of the cookie', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    opened.push({ close: () => void capture.close() });
    const socket = client(session, 'ada', { extraHeaders: { cookie: `wirelab_session=${session}` } });
    const upgraded = new Promise((resolve) => socket.io.on('open', () => socket.io.engine.once('upgrade', resolve)));
    await connected(socket);
    await upgraded;
    await socket.emitWithAck('chat:join', 'lobby');

    const allIn = (): string =>
      capture
        .connections()
        .map((c) => capture.bytes(c.id, 'in').toString('latin1'))
        .join('\n');
    const allOut = (): string =>
      capture
        .connections()
        .map((c) => capture.bytes(c.id, 'out').toString('latin1'))
        .join('\n');
    await capture.waitFor(() => allOut().includes('430[{"ok":true,"room":"lobby"}]'));
    expect(allIn()).toContain('GET /socket.io/?EIO=4&transport=polling');
    expect(allIn()).toMatch(/GET \/socket\.io\/\?EIO=4&transport=websocket&sid=/);
    expect(allOut()).toContain('HTTP/1.1 101 Switching Protocols');
    expect(allOut()).toContain('3probe');
  });
});

describe('shutdown', () => {
  it('closes the server while polling and WebSocket clients are connected', async () => {
    const own = await startServer();
    const polling = io(own.origin, { forceNew: true, transports: ['polling'], auth: { name: 'p' }, reconnection: false });
    const ws = io(own.origin, { forceNew: true, transports: ['websocket'], auth: { name: 'w' }, reconnection: false });
    try {
      await Promise.all([new Promise<void>((r) => polling.once('connect', () => r())), new Promise<void>((r) => ws.once('connect', () => r()))]);
      // The polling client holds a GET open now; both must be told to go, and close() must not wait for them.
      const disconnected = Promise.all([new Promise((r) => polling.once('disconnect', r)), new Promise((r) => ws.once('disconnect', r))]);
      await own.close();
      expect(await disconnected).toHaveLength(2);
    } finally {
      polling.disconnect();
      ws.disconnect();
    }
  });
});
