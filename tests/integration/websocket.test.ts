import type { Bilingual } from '../../shared/bilingual.ts';
import { execFile } from 'node:child_process';
import http2 from 'node:http2';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEBSOCKET_LIMITS } from '../../server/protocols/websocket/index.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The raw WebSocket endpoints against a real listening server, with the `ws` client and, where
// the frames themselves matter (fragmentation, ping between fragments), a hand-written one.

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const WAIT_MS = 5_000;

function sandbox(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

interface Received {
  data: Buffer;
  isBinary: boolean;
}

/** A `ws` client that keeps every message, so a test can wait for the next one. */
class Client {
  readonly socket: WebSocket;
  private readonly received: Received[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  constructor(path: string, options: { protocols?: string[]; sandbox?: string; autoPong?: boolean } = {}) {
    this.socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, options.protocols ?? [], {
      headers: options.sandbox ? { 'x-wirelab-sandbox': options.sandbox } : {},
      autoPong: options.autoPong ?? true,
    });
    this.socket.on('message', (data: Buffer, isBinary: boolean) => {
      this.received.push({ data, isBinary });
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    // A test that expects a refused handshake never awaits this.
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) => this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
    this.closed.then(() => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** The n-th message (0-based) once it has arrived. */
  async message(index: number): Promise<Received> {
    const deadline = Date.now() + WAIT_MS;
    while (this.received.length <= index) {
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`closed before message ${index} arrived`);
      if (Date.now() > deadline) throw new Error(`message ${index} did not arrive`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received[index];
  }

  async json(index: number): Promise<Record<string, any>> {
    const { data, isBinary } = await this.message(index);
    expect(isBinary).toBe(false);
    return JSON.parse(data.toString('utf8'));
  }

  /** Waits for the first message from `from` on that matches. */
  async find(predicate: (message: Record<string, any>) => boolean, from = 0): Promise<{ index: number; message: Record<string, any> }> {
    for (let index = from; ; index++) {
      const message = await this.json(index);
      if (predicate(message)) return { index, message };
    }
  }

  texts(): string[] {
    return this.received.map((m) => m.data.toString('utf8'));
  }
}

async function opened(path: string, options?: ConstructorParameters<typeof Client>[1]): Promise<Client> {
  const client = new Client(path, options);
  await client.opened;
  return client;
}

/** A hand-written client: the handshake, masked frames out, every frame in as it came. */
class RawClient {
  private buffer = Buffer.alloc(0);
  private readonly frames: Array<{ fin: boolean; opcode: number; payload: Buffer }> = [];
  private wake: (() => void) | null = null;
  private upgraded = false;
  head = '';

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
      this.wake?.();
    });
  }

  static async connect(path: string, extraHeaders = ''): Promise<RawClient> {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawClient(socket);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n${extraHeaders}\r\n`,
    );
    await client.until(() => client.upgraded);
    return client;
  }

  private parse(): void {
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.head = this.buffer.subarray(0, end).toString('latin1');
      this.buffer = this.buffer.subarray(end + 4);
      this.upgraded = true;
    }
    for (;;) {
      if (this.buffer.length < 2) return;
      const fin = (this.buffer[0] & 0x80) !== 0;
      const opcode = this.buffer[0] & 0x0f;
      let length = this.buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      this.frames.push({ fin, opcode, payload: this.buffer.subarray(offset, offset + length) });
      this.buffer = this.buffer.subarray(offset + length);
    }
  }

  async until(done: () => boolean): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('the raw client waited in vain');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Frames received so far. */
  get received() {
    return this.frames;
  }

  send(opcode: number, payload: Buffer, fin = true): void {
    const key = randomBytes(4);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]));
    const length = payload.length;
    const header =
      length < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length]) : Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 0xff]);
    this.socket.write(Buffer.concat([header, key, masked]));
  }

  /** Stops reading: the kernel's buffers fill, then the server's. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe('/ws/echo', () => {
  it('echoes text as text and binary as binary', async () => {
    const client = await opened('/ws/echo');
    client.socket.send('Привет, WebSocket!');
    client.socket.send(Buffer.from([0x01, 0x02, 0xff]));
    const text = await client.message(0);
    expect(text.isBinary).toBe(false);
    expect(text.data.toString('utf8')).toBe('Привет, WebSocket!');
    const binary = await client.message(1);
    expect(binary.isBinary).toBe(true);
    expect([...binary.data]).toEqual([0x01, 0x02, 0xff]);
    client.socket.close(1000);
    expect(await client.closed).toEqual({ code: 1000, reason: '' });
  });

  it('picks no subprotocol: the 101 has no Sec-WebSocket-Protocol', async () => {
    const client = await opened('/ws/echo', { protocols: ['wirelab.chat.v1'] }).catch((error: Error) => error);
    // A client that insists on a subprotocol the server did not pick fails the connection itself.
    expect(client).toBeInstanceOf(Error);
    const raw = await RawClient.connect('/ws/echo', 'Sec-WebSocket-Protocol: wirelab.chat.v1\r\n');
    expect(raw.head).toMatch(/^HTTP\/1\.1 101 /);
    expect(raw.head.toLowerCase()).not.toContain('sec-websocket-protocol');
    raw.destroy();
  });

  it('sends a message fragmented into real continuation frames, which the client reassembles', async () => {
    const client = await opened('/ws/echo?fragments=3');
    client.socket.send('hello, fragments');
    expect((await client.message(0)).data.toString()).toBe('hello, fragments');

    const raw = await RawClient.connect('/ws/echo');
    raw.send(0x1, Buffer.from(JSON.stringify({ wirelab: 'fragment', text: 'Привет', frames: 4, pingBetween: true })));
    await raw.until(() => raw.received.filter((f) => f.opcode !== 0x9).length >= 4);
    const frames = raw.received;
    expect(frames.map((f) => [f.opcode, f.fin])).toEqual([
      [0x1, false],
      [0x9, true],
      [0x0, false],
      [0x0, false],
      [0x0, true],
    ]);
    expect(frames[1].payload.toString()).toBe('between fragments');
    const whole = Buffer.concat(frames.filter((f) => f.opcode !== 0x9).map((f) => f.payload));
    expect(whole.toString('utf8')).toBe('Привет');
    // 12 bytes in 4 frames: each frame alone cuts a Cyrillic letter in half, the whole is valid.
    expect(frames[0].payload.length).toBe(3);
    raw.destroy();
  });

  it('pings on its timer, and a client that never pongs is cut off', async () => {
    const client = await opened('/ws/echo?ping=1000');
    const ping = await new Promise<Buffer>((resolve) => client.socket.once('ping', resolve));
    expect(ping.toString()).toBe('ping 1');
    client.socket.close();

    const silent = await opened('/ws/echo?ping=1000', { autoPong: false });
    const { code } = await silent.closed;
    expect(code).toBe(1006);
  });

  it('pings on request and reports the client’s pong back as a message', async () => {
    const client = await opened('/ws/echo');
    const ping = new Promise<Buffer>((resolve) => client.socket.once('ping', resolve));
    client.socket.send(JSON.stringify({ wirelab: 'ping', payload: 'are you there?' }));
    expect((await ping).toString()).toBe('are you there?');
    const report = await client.json(0);
    expect(report).toMatchObject({ wirelab: 'pong', payload: 'are you there?' });
    expect(report.roundTripMs).toBeGreaterThanOrEqual(0);

    client.socket.send(JSON.stringify({ wirelab: 'ping-interval', ms: 1000 }));
    expect(await client.json(1)).toEqual({ wirelab: 'ping-interval', ms: 1000 });
    expect((await new Promise<Buffer>((resolve) => client.socket.once('ping', resolve))).toString()).toBe('ping 1');
    client.socket.close();
  });

  it('closes with the code and reason asked for', async () => {
    const client = await opened('/ws/echo');
    client.socket.send(JSON.stringify({ wirelab: 'close', code: 4000, reason: 'пока' }));
    expect(await client.closed).toEqual({ code: 4000, reason: 'пока' });

    const other = await opened('/ws/echo');
    other.socket.send(JSON.stringify({ wirelab: 'close', code: 1009 }));
    expect((await other.closed).code).toBe(1009);
  });

  it('drops the TCP connection without a close frame when asked: the client sees 1006', async () => {
    const raw = await RawClient.connect('/ws/echo');
    raw.send(0x1, Buffer.from('{"wirelab":"drop"}'));
    await new Promise((resolve) => raw.socket.once('close', resolve));
    expect(raw.received.some((frame) => frame.opcode === 0x8)).toBe(false);

    const client = await opened('/ws/echo');
    client.socket.send(JSON.stringify({ wirelab: 'drop' }));
    expect((await client.closed).code).toBe(1006);
  });

  it('answers bad control messages with an error in both languages and keeps the connection', async () => {
    const client = await opened('/ws/echo');
    client.socket.send('{"wirelab": "close", "code": 1005');
    const badJson = await client.json(0);
    expect(badJson).toMatchObject({ wirelab: 'error', code: 'bad-json' });
    expect(badJson.message.en).toMatch(/not valid JSON/);
    expect(badJson.message.ru).toMatch(/некорректный JSON/);

    client.socket.send(JSON.stringify({ wirelab: 'close', code: 1005 }));
    const badCode = await client.json(1);
    expect(badCode).toMatchObject({ wirelab: 'error', code: 'bad-field' });
    expect(badCode.message.en).toMatch(/^1005 cannot be sent/);
    expect(badCode.message.ru).toMatch(/^Код 1005 нельзя отправить/);

    client.socket.send(JSON.stringify({ wirelab: 'teleport' }));
    expect(await client.json(2)).toMatchObject({ wirelab: 'error', code: 'unknown-command' });

    // Ordinary JSON is not a command: it is echoed.
    client.socket.send('{"hello": "world"}');
    expect((await client.message(3)).data.toString()).toBe('{"hello": "world"}');
    client.socket.close();
  });

  it('closes a message over the limit with 1009 and goes on serving everyone else', async () => {
    const bystander = await opened('/ws/echo');
    const client = await opened('/ws/echo');
    client.socket.send('x'.repeat(DEFAULT_WEBSOCKET_LIMITS.maxMessageBytes + 1));
    expect((await client.closed).code).toBe(1009);

    bystander.socket.send('still here');
    expect((await bystander.message(0)).data.toString()).toBe('still here');
    bystander.socket.close();

    // Exactly at the limit is fine.
    const atLimit = await opened('/ws/echo');
    atLimit.socket.send(Buffer.alloc(DEFAULT_WEBSOCKET_LIMITS.maxMessageBytes, 7));
    expect((await atLimit.message(0)).data.length).toBe(DEFAULT_WEBSOCKET_LIMITS.maxMessageBytes);
    atLimit.socket.close();
  });

  it('counts fragments together against the limit', async () => {
    const raw = await RawClient.connect('/ws/echo');
    const half = Buffer.alloc(DEFAULT_WEBSOCKET_LIMITS.maxMessageBytes / 2 + 1, 0x61);
    raw.send(0x1, half, false);
    raw.send(0x0, half, true);
    await raw.until(() => raw.received.some((f) => f.opcode === 0x8));
    expect(raw.received.find((f) => f.opcode === 0x8)!.payload.readUInt16BE(0)).toBe(1009);
    raw.destroy();
  });

  it('closes invalid UTF-8 in a text frame with 1007', async () => {
    const raw = await RawClient.connect('/ws/echo');
    raw.send(0x1, Buffer.from([0xc3, 0x28]));
    await raw.until(() => raw.received.some((f) => f.opcode === 0x8));
    expect(raw.received.find((f) => f.opcode === 0x8)!.payload.readUInt16BE(0)).toBe(1007);
    raw.destroy();
  });

  it('refuses a bad knob in the query with a message and close 1008', async () => {
    const client = await opened('/ws/echo?ping=5');
    const error = await client.json(0);
    expect(error).toMatchObject({ wirelab: 'error', code: 'bad-query' });
    expect(error.message.ru).toMatch(/^ping — целое число миллисекунд от 1000 до 60000/);
    expect((await client.closed).code).toBe(1008);
  });

  it('allows a limited number of connections per session (or sandbox and address)', async () => {
    const box = sandbox('quota');
    const clients = await Promise.all(Array.from({ length: DEFAULT_WEBSOCKET_LIMITS.maxConnectionsPerSession }, () => opened('/ws/echo', { sandbox: box })));
    const refused = await opened('/ws/echo', { sandbox: box });
    const closed = await refused.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/too many WebSockets/);
    const elsewhere = await opened('/ws/echo', { sandbox: sandbox('other') });
    elsewhere.socket.send('ok');
    expect((await elsewhere.message(0)).data.toString()).toBe('ok');
    // A slot frees up when a connection ends.
    clients[0].socket.close();
    await clients[0].closed;
    const again = await opened('/ws/echo', { sandbox: box });
    again.socket.send('again');
    expect((await again.message(0)).data.toString()).toBe('again');
    for (const client of [...clients, elsewhere, again]) client.socket.close();
  });
});

describe('/ws/chat (wirelab.chat.v1)', () => {
  it('negotiates the subprotocol: the 101 repeats the one it chose', async () => {
    const client = await opened('/ws/chat?name=Ada', { protocols: ['other.v2', 'wirelab.chat.v1'], sandbox: sandbox('sub') });
    expect(client.socket.protocol).toBe('wirelab.chat.v1');
    expect(await client.json(0)).toMatchObject({ type: 'welcome', protocol: 'wirelab.chat.v1', you: 'Ada', members: ['Ada'] });
    client.socket.close();

    const raw = await RawClient.connect('/ws/chat', 'Sec-WebSocket-Protocol: other.v2, wirelab.chat.v1\r\n');
    expect(raw.head).toMatch(/\r\nSec-WebSocket-Protocol: wirelab\.chat\.v1(\r\n|$)/i);
    raw.destroy();
  });

  it('refuses a client that does not speak wirelab.chat.v1 with 1008', async () => {
    const client = await opened('/ws/chat');
    expect(client.socket.protocol).toBe('');
    expect(await client.json(0)).toMatchObject({ type: 'error', code: 'subprotocol-required' });
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toContain('wirelab.chat.v1');
  });

  it('keeps one room per sandbox', async () => {
    const a = sandbox('room-a');
    const b = sandbox('room-b');
    const ada = await opened('/ws/chat?name=Ada', { protocols: ['wirelab.chat.v1'], sandbox: a });
    await ada.json(0);
    const alan = await opened('/ws/chat?name=Alan', { protocols: ['wirelab.chat.v1'], sandbox: a });
    expect(await alan.json(0)).toMatchObject({ type: 'welcome', members: ['Ada', 'Alan'] });
    const grace = await opened('/ws/chat?name=Grace', { protocols: ['wirelab.chat.v1'], sandbox: b });
    expect(await grace.json(0)).toMatchObject({ type: 'welcome', members: ['Grace'] });
    expect((await ada.find((m) => m.type === 'joined')).message).toMatchObject({ name: 'Alan', members: 2 });

    ada.socket.send('hello, room A');
    expect((await alan.find((m) => m.type === 'message')).message).toMatchObject({ from: 'Ada', text: 'hello, room A' });
    expect((await ada.find((m) => m.type === 'message')).message).toMatchObject({ from: 'Ada', text: 'hello, room A' });

    grace.socket.send('hello, room B');
    await grace.find((m) => m.type === 'message');
    // Had room A's line reached Grace, it would have come before her own line.
    expect(grace.texts().some((text) => text.includes('room A'))).toBe(false);

    grace.socket.send(Buffer.from([1, 2, 3]));
    expect((await grace.closed).code).toBe(1003);
    alan.socket.close();
    expect((await ada.find((m) => m.type === 'left')).message).toMatchObject({ name: 'Alan', members: 1 });
    ada.socket.close();
  });

  it("names a browser session's room without its session id (the id is the session's credential, and chats get projected)", async () => {
    const answer = await fetch(`http://127.0.0.1:${server.port}/_wirelab/session`);
    const session = /wirelab_session=([^;]+)/.exec(answer.headers.get('set-cookie') ?? '')![1];
    const ada = await opened('/ws/chat?name=Ada', { protocols: ['wirelab.chat.v1'], sandbox: session });
    const welcome = await ada.json(0);
    expect(welcome).toMatchObject({ type: 'welcome', room: expect.stringMatching(/^room\.[A-Za-z0-9_-]{8}$/) });
    const alan = await opened('/ws/chat?name=Alan', { protocols: ['wirelab.chat.v1'], sandbox: session });
    expect(await alan.json(0)).toMatchObject({ room: welcome.room, members: ['Ada', 'Alan'] });
    await fetch(`http://127.0.0.1:${server.port}/_wirelab/session/reset`, { method: 'POST', headers: { cookie: `wirelab_session=${session}` } });
    const reset = (await ada.find((message) => message.type === 'event' && message.event === 'sandbox.reset')).message;
    expect(reset.data).toEqual({ id: welcome.room });
    expect(ada.texts().join('\n')).not.toContain(session);
    ada.socket.close();
    alan.socket.close();
  });

  it('delivers a change made over REST to the sandbox’s room as an event', async () => {
    const box = sandbox('rest-to-ws');
    const client = await opened('/ws/chat?name=Watcher', { protocols: ['wirelab.chat.v1'], sandbox: box });
    await client.json(0);
    const response = await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': box },
      body: JSON.stringify({ name: 'Katherine Johnson', email: 'katherine@example.com' }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: number };
    const { message } = await client.find((m) => m.type === 'event');
    expect(message).toMatchObject({ event: 'user.created', data: { id: created.id, name: 'Katherine Johnson' } });
    expect(message.id).toBeGreaterThan(0);
    client.socket.close();
  });

  it('drops lines past 10 a second and says so once', async () => {
    const client = await opened('/ws/chat', { protocols: ['wirelab.chat.v1'], sandbox: sandbox('flood') });
    await client.json(0);
    for (let i = 0; i < 30; i++) client.socket.send(`line ${i}`);
    const { index, message } = await client.find((m) => m.type === 'error');
    expect(message).toMatchObject({ code: 'rate-limited' });
    expect(message.message.ru).toMatch(/не больше 10 в секунду/);
    // Everything up to the notice was delivered lines; fewer than the 30 sent got through.
    expect(index - 1).toBeGreaterThanOrEqual(10);
    expect(index - 1).toBeLessThan(30);
    client.socket.close();
  });

  it('gives up on a client that stopped reading: close 1013 once a MiB waits for it', async () => {
    const box = sandbox('slow');
    const raw = await RawClient.connect('/ws/chat', `Sec-WebSocket-Protocol: wirelab.chat.v1\r\nx-wirelab-sandbox: ${box}\r\n`);
    raw.pause();
    // Each event carries about 11 KB; 2 500 of them outgrow the loopback's kernel buffers and the 1 MiB limit.
    const metadata = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key-${i}`.padEnd(64, 'k'), 'v'.repeat(500)]));
    for (let i = 0; i < 2500; i++) server.app.domain.users.create(box, { name: `Bulk ${i}`, email: `bulk${i}@example.com`, metadata });
    raw.resume();
    await raw.until(() => raw.received.some((f) => f.opcode === 0x8));
    const close = raw.received.find((f) => f.opcode === 0x8)!;
    expect(close.payload.readUInt16BE(0)).toBe(1013);
    expect(close.payload.subarray(2).toString()).toBe('client reads too slowly / клиент читает слишком медленно');
    raw.destroy();
  });

  it('answers a bad chat line with an error and keeps the connection', async () => {
    const client = await opened('/ws/chat', { protocols: ['wirelab.chat.v1'], sandbox: sandbox('bad-line') });
    expect((await client.json(0)).you).toMatch(/^guest-[0-9a-f]{4}$/);
    client.socket.send('   ');
    const error = await client.json(1);
    expect(error).toMatchObject({ type: 'error', code: 'bad-message' });
    expect(error.message.ru).toMatch(/Сообщение чата/);
    client.socket.send('fine');
    expect(await client.json(2)).toMatchObject({ type: 'message', text: 'fine' });
    client.socket.close();
  });
});

describe('other requests to /ws/…', () => {
  it('answers an unknown endpoint with 404 before any WebSocket exists', async () => {
    const client = new Client('/ws/nope');
    const status = await new Promise<number>((resolve) => client.socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
    client.socket.terminate();
  });

  it('answers a plain GET with 426 Upgrade Required', async () => {
    const response = await fetch(`${server.origin}/ws/echo`);
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    const problem = (await response.json()) as { localized: Bilingual };
    expect(problem.localized.en).toMatch(/WebSocket only/);
    expect(problem.localized.ru).toMatch(/только по WebSocket/);

    // Over h2c too (RFC 8441 is not offered), without the connection-specific Upgrade header.
    const session = http2.connect(server.origin);
    try {
      const request = session.request({ ':path': '/ws/chat' });
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => request.once('response', resolve));
      expect(headers[':status']).toBe(426);
      expect(headers.upgrade).toBeUndefined();
      request.resume();
      await new Promise((resolve) => request.once('end', resolve));
    } finally {
      session.close();
    }
  });
});

describe('handshakes RFC 6455 refuses (curl, an outside client)', () => {
  const run = promisify(execFile);
  const HANDSHAKE = ['-H', 'Upgrade: websocket', '-H', 'Connection: Upgrade', '-H', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='];
  /** curl's response head (status line and headers, lower-cased names) and the problem it carried. */
  async function curl(args: string[]): Promise<{ status: string; headers: Record<string, string>; problem: { status: number; localized: Bilingual } }> {
    const { stdout } = await run('curl', ['-s', '-i', '--max-time', '10', ...HANDSHAKE, ...args]);
    const [head, body] = stdout.split('\r\n\r\n');
    const [status, ...lines] = head.split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    return { status, headers, problem: JSON.parse(body) };
  }

  it('a Sec-WebSocket-Version other than 13: 426 naming 13 (§4.2.2, §4.4), no WebSocket', async () => {
    for (const version of ['8', '12', '14']) {
      const answer = await curl(['-H', `Sec-WebSocket-Version: ${version}`, `${server.origin}/ws/echo`]);
      expect(answer.status).toBe('HTTP/1.1 426 Upgrade Required');
      expect(answer.headers['sec-websocket-version']).toBe('13');
      expect(answer.headers.upgrade).toBe('websocket');
      expect(answer.headers.connection).toBe('Upgrade, close');
      expect(answer.problem.status).toBe(426);
      expect(answer.problem.localized.ru).toContain(`указано ${version}`);
    }
  });

  it('a handshake that is not a GET: 405 with Allow: GET (§4.2.1), no WebSocket', async () => {
    const answer = await curl(['-X', 'POST', '-H', 'Sec-WebSocket-Version: 13', `${server.origin}/ws/chat`]);
    expect(answer.status).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(answer.headers.allow).toBe('GET');
    expect(answer.problem.localized.en).toMatch(/is a GET request .* not POST/);
  });

  it('the 426 to a plain GET honours Connection: close: it says close and the server ends the connection', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    const ended = new Promise((resolve) => socket.once('end', resolve));
    socket.write('GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await ended;
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 426 /);
    expect(received).toMatch(/\r\nconnection: Upgrade, close\r\n/i);
    // Without Connection: close the connection stays open for the next request, as ever.
    const kept = await fetch(`${server.origin}/ws/echo`);
    expect(kept.headers.get('connection')).toBe('Upgrade');
  });
});

describe('shutdown', () => {
  it('closes open connections with 1001 when the server closes', async () => {
    const own = await startServer();
    const socket = new WebSocket(`ws://127.0.0.1:${own.port}/ws/chat`, ['wirelab.chat.v1']);
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await own.close();
    expect(await closed).toBe(1001);
  });
});
