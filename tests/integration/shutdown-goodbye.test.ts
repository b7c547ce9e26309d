import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { OWN_SERVER_MQTT_RELAY_PATH, OWN_SERVER_WS_RELAY_PATH, readRelayFact, relayFactText, relayQuery } from '../../contracts/own-server/relays.ts';
import { newSessionCookie, openChannel, post } from './classroom-client.ts';
import { startMosquitto, started } from './mosquitto.ts';
import { startServer } from './start-server.ts';

// The teacher stops the server (Ctrl-C: app.close()): every long-lived WebSocket the app holds
// hears 1001 "going away" with a reason, not @fastify/websocket's code-less close (1005) or a cut
// (1006), so a page can tell a restart from a broken connection (server/listener/goodbye.ts).

const KEY = 'goodbye-teacher-key';
const SHUTDOWN_REASON = 'server shutting down / сервер выключается';

interface Closed {
  code: number;
  reason: string;
}

function closeOf(socket: WebSocket): Promise<Closed> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** A raw WebSocket to `path`, open, with every message it received (text as text, binary as bytes). */
async function openSocket(origin: string, path: string, options: { cookie?: string; protocol?: string } = {}) {
  const socket = new WebSocket(`${origin.replace('http', 'ws')}${path}`, options.protocol ? [options.protocol] : [], {
    headers: options.cookie ? { cookie: options.cookie } : {},
  });
  const received: Array<string | Buffer> = [];
  socket.on('message', (raw: Buffer, binary) => received.push(binary ? raw : raw.toString()));
  const closed = closeOf(socket);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const until = async (match: (message: string | Buffer) => boolean): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!received.some(match)) {
      if (Date.now() > deadline) throw new Error(`${path}: the awaited message did not come (got ${JSON.stringify(received.map(String))})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { socket, received, closed, until };
}

/** An MQTT 3.1.1 CONNECT (clean session, keep-alive 60 s) for `clientId`, with a QoS 0 will when given. */
function mqttConnect(clientId: string, will?: { topic: string; payload: string }): Buffer {
  const field = (text: string) => {
    const bytes = Buffer.from(text);
    return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
  };
  // flags: clean session (0x02), will flag (0x04)
  const flags = will ? 0x06 : 0x02;
  const variable = Buffer.concat([field('MQTT'), Buffer.from([4, flags, 0, 60]), field(clientId), ...(will ? [field(will.topic), field(will.payload)] : [])]);
  return Buffer.concat([Buffer.from([0x10, variable.length]), variable]);
}

describe('shutdown: every app WebSocket hears 1001', () => {
  it('the capture, class, GraphQL, MQTT, Socket.IO and /ws/echo channels close with 1001 and a reason at app.close()', async () => {
    const server = await startServer({ tap: {}, classroom: { teacherKey: KEY } });
    const cookie = await newSessionCookie(server.origin);

    const capture = await openSocket(server.origin, '/_wirelab/tap', { cookie });
    await capture.until((m) => typeof m === 'string' && m.includes('"hello"'));

    const created = await post(
      server.origin,
      '/_wirelab/class/classes',
      { title: 'Семинар' },
      { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' },
    );
    const { code } = (await created.json()) as { code: string };
    const joined = (await (await post(server.origin, '/_wirelab/class/join', { code, name: 'Анна' })).json()) as { memberToken: string };
    const student = await openChannel(server.origin);
    const studentClosed = closeOf(student.socket);
    student.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: joined.memberToken }));
    await student.next('joined');
    const teacher = await openChannel(server.origin);
    const teacherClosed = closeOf(teacher.socket);
    teacher.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await teacher.next('teacher-ready');

    const graphql = await openSocket(server.origin, '/graphql', { cookie, protocol: 'graphql-transport-ws' });
    graphql.socket.send(JSON.stringify({ type: 'connection_init' }));
    await graphql.until((m) => typeof m === 'string' && m.includes('connection_ack'));

    const mqtt = await openSocket(server.origin, '/mqtt', { cookie, protocol: 'mqtt' });
    mqtt.socket.send(mqttConnect('goodbye'));
    // CONNACK, session not present, accepted
    await mqtt.until((m) => Buffer.isBuffer(m) && m.equals(Buffer.from([0x20, 2, 0, 0])));

    const socketIo = await openSocket(server.origin, '/socket.io/?EIO=4&transport=websocket', { cookie });
    await socketIo.until((m) => typeof m === 'string' && m.startsWith('0{'));
    // the chat namespace is Socket.IO's main one ("/")
    socketIo.socket.send('40{"name":"Анна"}');
    await socketIo.until((m) => typeof m === 'string' && m.startsWith('40{'));

    const echo = await openSocket(server.origin, '/ws/echo', { cookie });

    await server.close();

    const expected = { code: 1001, reason: SHUTDOWN_REASON };
    const closed = {
      capture: await capture.closed,
      student: await studentClosed,
      teacher: await teacherClosed,
      graphql: await graphql.closed,
      mqtt: await mqtt.closed,
      socketIo: await socketIo.closed,
      echo: await echo.closed,
    };
    expect(closed).toEqual({ capture: expected, student: expected, teacher: expected, graphql: expected, mqtt: expected, socketIo: expected, echo: expected });
    // The 1001 is Socket.IO's goodbye too: no DISCONNECT packet for the namespace ("41" would mean
    // "kicked on purpose", and socket.io-client would not reconnect after the restart).
    expect(socketIo.received.filter((message) => typeof message === 'string' && message.startsWith('41'))).toEqual([]);
  });

  it('cuts a client that never answers the close frame, and refuses (503) a page that reconnects meanwhile', async () => {
    const server = await startServer({ tap: {} });
    const cookie = await newSessionCookie(server.origin);
    // A client that takes the handshake and then never answers (a frozen laptop): by hand, over TCP.
    const silent = connect(server.port, '127.0.0.1');
    silent.on('error', () => undefined);
    const fromServer: Buffer[] = [];
    silent.on('data', (data: Buffer) => fromServer.push(data));
    silent.write(
      `GET /_wirelab/tap HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: ${cookie}\r\n\r\n`,
    );
    const hasCloseFrame = () => Buffer.concat(fromServer).includes(Buffer.from([0x88]));
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await until(() => Buffer.concat(fromServer).toString('latin1').startsWith('HTTP/1.1 101'));
    const silentEnded = new Promise<void>((resolve) => silent.once('close', () => resolve()));

    const closing = server.close();
    // The goodbye is under way (the silent client got its close frame, 1001 and the reason)…
    await until(hasCloseFrame);
    const frame = Buffer.concat(fromServer);
    const at = frame.indexOf(Buffer.from([0x88]));
    expect(frame.readUInt16BE(at + 2)).toBe(1001);
    expect(frame.subarray(at + 4, at + 2 + frame[at + 1]).toString()).toBe(SHUTDOWN_REASON);
    // …and a page reconnecting now is refused before its handshake, not opened and closed without a code.
    const late = new WebSocket(`${server.origin.replace('http', 'ws')}/_wirelab/tap`, { headers: { cookie } });
    const lateAnswer = await new Promise<number | 'opened' | 'refused'>((resolve) => {
      late.once('unexpected-response', (request, response) => {
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      late.once('open', () => resolve('opened'));
      late.once('error', () => resolve('refused'));
    });
    expect([503, 'refused']).toContain(lateAnswer);
    // ws alone would wait 30 s for the answer: the goodbye cuts it after its wait, and close() ends.
    await closing;
    await silentEnded;
  });

  it("ends the pipeline lab's event stream with a last event and a retry, so that close() returns", async () => {
    const server = await startServer({ tap: {} });
    const cookie = await newSessionCookie(server.origin);
    const received: string[] = [];
    let ended!: Promise<void>;
    await new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/api/v1/pipeline/events', headers: { cookie } }, (response) => {
        expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
        response.setEncoding('utf8');
        response.on('data', (text: string) => received.push(text));
        ended = new Promise((done) => response.once('end', () => done()));
        resolve();
      })
        .once('error', reject)
        .end();
    });
    while (!received.join('').includes('event: state')) await new Promise((resolve) => setTimeout(resolve, 10));

    await server.close();
    await ended;
    const last = received.join('').split('\n\n').filter(Boolean).at(-1)!;
    expect(last).toMatch(/^event: server\.shutdown\nretry: 5000\ndata: /);
    const message = JSON.parse(last.slice(last.indexOf('data: ') + 6)).message as { en: string; ru: string };
    expect(message.en).toContain('shutting down');
    expect(message.ru).toContain('Сервер выключается');
  });

  it('the relays of "check my server" tell the page Wirelab stops, and end the student\'s connections properly', async () => {
    const wirelab = await startServer({ ownServers: true });
    const cookie = await newSessionCookie(wirelab.origin);
    const relayUrl = (path: string) => `${wirelab.origin.replace('http', 'ws')}${path}`;

    // The student's WebSocket server: what its side of the relayed connection hears at the end.
    const studentWs = createServer();
    const studentWss = new WebSocketServer({ noServer: true });
    let studentHeard: Promise<{ code: number; reason: string }> | null = null;
    let silentReached!: () => void;
    const silentAsked = new Promise<void>((resolve) => (silentReached = resolve));
    studentWs.on('upgrade', (req, socket, head) => {
      socket.on('error', () => undefined);
      // a server that takes the handshake and never answers it: the relay still waits for its 101
      if (req.url === '/silent') {
        socket.on('end', () => socket.end());
        return silentReached();
      }
      studentWss.handleUpgrade(req, socket, head, (ws) => {
        studentHeard = closeOf(ws);
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      });
    });
    await new Promise<void>((resolve) => studentWs.listen(0, '127.0.0.1', resolve));
    const studentTarget = `127.0.0.1:${(studentWs.address() as { port: number }).port}`;

    // The student's broker (Debian's mosquitto), and a client of theirs waiting for the page's will.
    const broker = await startMosquitto();
    try {
      const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'will-watcher', reconnectPeriod: 0 });
      await watcher.subscribeAsync('lab/will', { qos: 0 });
      const will = new Promise<string>((resolve) => watcher.once('message', (_topic, payload) => resolve(payload.toString())));

      const wsRelay = await openSocket(wirelab.origin, `${OWN_SERVER_WS_RELAY_PATH}${relayQuery(studentTarget, '/ws/echo')}`, { cookie });
      wsRelay.socket.send('ping');
      await wsRelay.until((m) => m === 'ping');
      const mqttRelay = await openSocket(wirelab.origin, `${OWN_SERVER_MQTT_RELAY_PATH}${relayQuery(`127.0.0.1:${broker.port}`)}`, {
        cookie,
        protocol: 'mqtt',
      });
      mqttRelay.socket.send(mqttConnect('relay-page', { topic: 'lab/will', payload: 'ушёл без DISCONNECT' }));
      await mqttRelay.until((m) => Buffer.isBuffer(m) && m.equals(Buffer.from([0x20, 2, 0, 0])));
      // a relay still waiting for the student's 101 when Wirelab stops
      const pending = new WebSocket(relayUrl(`${OWN_SERVER_WS_RELAY_PATH}${relayQuery(studentTarget, '/silent')}`), { headers: { cookie } });
      pending.on('error', () => undefined);
      const pendingClosed = closeOf(pending);
      await silentAsked;

      await wirelab.close();

      const stoppingFact = { fact: 'wirelab-stopping' };
      const pages = { ws: await wsRelay.closed, mqtt: await mqttRelay.closed, pending: await pendingClosed };
      for (const closed of Object.values(pages)) {
        expect(closed).toEqual({ code: 1001, reason: JSON.stringify(stoppingFact) });
        expect(readRelayFact(closed.code, closed.reason)).toEqual(stoppingFact);
      }
      expect(relayFactText(stoppingFact as { fact: 'wirelab-stopping' }).ru).toMatch(/ваш сервер ни при чём/);
      // the student's WebSocket server heard the relay's own close: the client going away
      expect(studentHeard).not.toBeNull();
      expect(await studentHeard).toEqual({ code: 1001, reason: 'Wirelab shutting down / Wirelab выключается' });
      // the broker saw the TCP connection end with no DISCONNECT: a connection lost, so the will went out
      expect(await will).toBe('ушёл без DISCONNECT');
      await watcher.endAsync();
    } finally {
      studentWs.closeAllConnections();
      await new Promise<void>((resolve) => studentWs.close(() => resolve()));
      await Promise.all(started.map((running) => running.stop()));
    }
  });

  it("cuts a student's WebSocket server that never answers the relay's close, so that close() returns; the page still hears the fact", async () => {
    const wirelab = await startServer({ ownServers: true });
    const cookie = await newSessionCookie(wirelab.origin);
    // A frozen student's server: a valid 101 by hand, then it answers nothing.
    const frozen = createServer();
    const upgraded: Socket[] = [];
    let studentEnded!: () => void;
    const cutByRelay = new Promise<void>((resolve) => (studentEnded = resolve));
    frozen.on('upgrade', (req, socket: Socket) => {
      upgraded.push(socket);
      socket.on('error', () => undefined);
      // it reads the relay's frames (its close 1001 among them) and ignores them; an upgraded socket
      // is half-open after the peer's FIN: the relay's cut ends it here
      socket.resume();
      socket.once('end', () => {
        studentEnded();
        socket.end();
      });
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    });
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
    try {
      const target = `127.0.0.1:${(frozen.address() as { port: number }).port}`;
      const page = await openSocket(wirelab.origin, `${OWN_SERVER_WS_RELAY_PATH}${relayQuery(target, '/ws')}`, { cookie });
      // ws alone would wait 30 s for the student's close frame: the goodbye cuts it after GOODBYE_WAIT_MS
      await wirelab.close();
      await cutByRelay;
      expect(await page.closed).toEqual({ code: 1001, reason: '{"fact":"wirelab-stopping"}' });
    } finally {
      // an upgraded socket is no longer the HTTP server's: closeAllConnections() does not reach it
      for (const socket of upgraded) socket.destroy();
      frozen.closeAllConnections();
      await new Promise<void>((resolve) => frozen.close(() => resolve()));
    }
  });
});
