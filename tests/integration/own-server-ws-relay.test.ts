// The WebSocket console aimed at "my server": `/_wirelab/own-server/ws-relay` relays a browser's
// WebSocket to the student's own server (a real `ws` server on loopback here) through a guarded,
// tapped connection: messages both ways, close codes, the facts of what the server did wrong, the
// bytes in the asking session's captures only, the guard, the per-student budget, and the outbound
// connection gone with the browser's.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { OWN_SERVER_WS_RELAY_PATH, readRelayFact, relayFactText, relayQuery, type RelayFact } from '../../contracts/own-server/relays.ts';
import { decodeWebSocketConnection } from '../../wire/websocket/decode-websocket.ts';
import { decodedConnections } from './as-code-capture.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;
let student: Server;
let studentPort: number;
/** the student's server's side of each connection, in the order they opened */
const studentSockets: WebSocket[] = [];

beforeAll(async () => {
  wirelab = await startServer({ ownServers: true });
  student = createServer();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('echo.v1') ? 'echo.v1' : false) });
  student.on('upgrade', (req, socket, head) => {
    // a server that takes the handshake and never answers it
    if (req.url === '/silent') {
      socket.on('error', () => undefined);
      // an upgraded socket is half-open after the peer's FIN: end it so the server can close
      socket.on('end', () => socket.end());
      return;
    }
    if (req.url !== '/ws/echo') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      studentSockets.push(ws);
      ws.on('message', (data: RawData, isBinary) => {
        const text = data.toString();
        if (!isBinary && text === 'drop') return ws.terminate();
        if (!isBinary && text.startsWith('close ')) return ws.close(Number(text.split(' ')[1]), text.split(' ')[2]);
        if (!isBinary && text === 'ping me') return ws.ping('are you there');
        ws.send(data, { binary: isBinary });
      });
    });
  });
  await new Promise<void>((resolve) => student.listen(0, '127.0.0.1', resolve));
  studentPort = (student.address() as { port: number }).port;
});
afterAll(async () => {
  student.closeAllConnections();
  await new Promise<void>((resolve) => student.close(() => resolve()));
  await wirelab.close();
});

interface Relayed {
  socket: WebSocket;
  opened: Promise<boolean>;
  messages: Array<{ data: Buffer; binary: boolean }>;
  closed: Promise<{ code: number; reason: string; fact: RelayFact | null }>;
}

function relay(session: string | null, target = `127.0.0.1:${studentPort}`, path = '/ws/echo', protocols: string[] = []): Relayed {
  const url = `ws://127.0.0.1:${wirelab.port}${OWN_SERVER_WS_RELAY_PATH}${relayQuery(target, path)}`;
  const socket = new WebSocket(url, protocols, { headers: session ? { cookie: `wirelab_session=${session}` } : {} });
  const messages: Relayed['messages'] = [];
  socket.on('message', (data: RawData, binary) => messages.push({ data: Buffer.from(data as Buffer), binary }));
  socket.on('error', () => undefined);
  const opened = new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  const closed = new Promise<Relayed['closed'] extends Promise<infer T> ? T : never>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString(), fact: readRelayFact(code, reason.toString()) })),
  );
  return { socket, opened, messages, closed };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a WebSocket console aimed at my server', () => {
  it('relays text and binary both ways with the subprotocol the server chose; the bytes are the asking session’s only', async () => {
    const [asker, other] = [await newSession(wirelab.origin), await newSession(wirelab.origin)];
    const [askerCapture, otherCapture] = [await CaptureClient.open(wirelab.origin, asker), await CaptureClient.open(wirelab.origin, other)];
    try {
      const relayed = relay(asker, undefined, undefined, ['other', 'echo.v1']);
      expect(await relayed.opened).toBe(true);
      expect(relayed.socket.protocol).toBe('echo.v1');
      relayed.socket.send('привет');
      relayed.socket.send(Buffer.from([0, 1, 255]));
      await until(() => relayed.messages.length === 2);
      expect(relayed.messages[0]).toEqual({ data: Buffer.from('привет'), binary: false });
      expect(relayed.messages[1]).toEqual({ data: Buffer.from([0, 1, 255]), binary: true });
      // a ping of the student's server is answered by Wirelab, and is not relayed as a message
      relayed.socket.send('ping me');
      relayed.socket.send('after the ping');
      await until(() => relayed.messages.length === 3);
      expect(relayed.messages[2].data.toString()).toBe('after the ping');
      relayed.socket.close(4000, 'done');
      expect(await relayed.closed).toMatchObject({ code: 4000, reason: 'done', fact: null });

      // Wirelab's connection to the student's server: outbound, its handshake and frames decoded
      const outbound = () =>
        decodedConnections(askerCapture).find((c) => (c.connection as { outbound?: boolean }).outbound && c.connection.local === `127.0.0.1:${studentPort}`);
      await askerCapture.waitFor(() => {
        const found = outbound();
        return found !== undefined && askerCapture.messages.some((m) => m.type === 'closed' && m.conn === found.connection.id);
      });
      const { connection, exchanges, streams } = outbound()!;
      expect(exchanges[0].request).toMatchObject({ method: 'GET', target: '/ws/echo' });
      expect(exchanges[0].response).toMatchObject({ status: 101 });
      const frames = decodeWebSocketConnection(exchanges[0], streams);
      const shown = (m: { type: string; payload: Uint8Array }) => `${m.type} ${Buffer.from(m.payload).toString(m.type === 'text' ? 'utf8' : 'hex')}`;
      // in: what Wirelab sent (masked, as a client must); out: what the student's server sent
      expect(frames.inbound.messages.map(shown)).toEqual(['text привет', 'binary 0001ff', 'text ping me', 'text after the ping']);
      expect(frames.outbound.messages.map(shown)).toEqual(['text привет', 'binary 0001ff', 'text after the ping']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect([...otherCapture.connections().map((c) => c.id), ...otherCapture.chunks().map((c) => c.conn)]).not.toContain(connection.id);
    } finally {
      await Promise.all([askerCapture.close(), otherCapture.close()]);
    }
  });

  it('passes the server’s close code and reason on', async () => {
    const relayed = relay(await newSession(wirelab.origin));
    expect(await relayed.opened).toBe(true);
    relayed.socket.send('close 4321 enough');
    expect(await relayed.closed).toMatchObject({ code: 4321, reason: 'enough', fact: null });
  });

  it('tells what the server did wrong as a fact, in both languages: no close frame, no 101, refused', async () => {
    const session = await newSession(wirelab.origin);
    const dropped = relay(session);
    expect(await dropped.opened).toBe(true);
    dropped.socket.send('drop');
    const drop = await dropped.closed;
    expect(drop.code).toBe(4502);
    expect(drop.fact).toMatchObject({ fact: 'no-close-frame' });
    expect(relayFactText(drop.fact!).ru).toMatch(/без кадра закрытия/);

    const notFound = relay(session, undefined, '/nope');
    expect(await notFound.opened).toBe(true);
    expect((await notFound.closed).fact).toEqual({ fact: 'not-upgraded', status: 404, statusText: 'Not Found' });

    const nobody = relay(session, '127.0.0.1:1');
    const refused = await nobody.closed;
    expect(refused.fact).toEqual({ fact: 'refused', address: '127.0.0.1:1' });
    expect(relayFactText(refused.fact!).en).toMatch(/^Connection refused: nothing listens at 127\.0\.0\.1:1/);
  });

  it('tells a server that never answers the handshake as “no answer in 5 s”', async () => {
    const silent = await relay(await newSession(wirelab.origin), undefined, '/silent').closed;
    expect(silent.code).toBe(4504);
    expect(silent.fact).toEqual({ fact: 'no-answer', seconds: 5 });
    expect(relayFactText(silent.fact!).ru).toBe('Ваш сервер не ответил за 5 с.');
  }, 20_000);

  it('refuses another machine, a bad target and a missing session, before connecting anywhere', async () => {
    const session = await newSession(wirelab.origin);
    const elsewhere = await relay(session, '192.0.2.1:80').closed;
    expect(elsewhere.code).toBe(4403);
    expect(elsewhere.fact).toEqual({ fact: 'not-your-address', target: '192.0.2.1', student: '127.0.0.1' });
    expect(relayFactText(elsewhere.fact!).ru).toMatch(/не тот адрес/);
    expect((await relay(session, 'nonsense').closed).fact).toEqual({ fact: 'bad-request', field: 'target', value: 'nonsense' });
    expect((await relay(session, undefined, 'no-slash').closed).fact).toEqual({ fact: 'bad-request', field: 'path', value: 'no-slash' });
    expect((await relay(null).closed).fact).toEqual({ fact: 'session-required' });
  });

  it('holds one of the student’s 4 connections per relay: the fifth is refused, and a closed one frees its place', async () => {
    const session = await newSession(wirelab.origin);
    const held = [relay(session), relay(session), relay(session), relay(session)];
    expect(await Promise.all(held.map((r) => r.opened))).toEqual([true, true, true, true]);
    const fifth = await relay(session).closed;
    expect(fifth.code).toBe(4429);
    expect(fifth.fact).toEqual({ fact: 'too-many-connections', limit: 4 });
    held[0].socket.close();
    await held[0].closed;
    // its place comes back once Wirelab's connection to the student's server has closed too
    let again: Relayed;
    do again = relay(session);
    while (!(await again.opened));
    for (const r of [again, ...held.slice(1)]) r.socket.close();
    await Promise.all([again, ...held.slice(1)].map((r) => r.closed));
  });

  it('closes the connection to the student’s server when the browser’s socket drops', async () => {
    const relayed = relay(await newSession(wirelab.origin));
    expect(await relayed.opened).toBe(true);
    const studentSide = studentSockets.at(-1)!;
    const studentClosed = new Promise<number>((resolve) => studentSide.once('close', (code) => resolve(code)));
    // no close frame: the page is simply gone
    relayed.socket.terminate();
    expect(await studentClosed).toBe(1006);
  });
});
