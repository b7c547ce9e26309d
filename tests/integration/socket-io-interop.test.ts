import { execFile } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// A client nobody here wrote: Debian's python3-socketio 5 (python3-engineio, over python3-aiohttp).
// .ci/run installs those packages.
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const INTEROP_SCRIPT = fileURLToPath(new URL('./interop/sio_interop.py', import.meta.url));

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

interface EngineSession {
  first: string;
  upgradedTo: string | null;
}

describe('python3-socketio as the client', () => {
  it('auth, an ack, a room broadcast, the /admin namespace and a refused CONNECT', async () => {
    const box = `python-sio-${Math.random().toString(36).slice(2, 10)}`;
    // What the server saw of the Python client's transports, by its sandbox header.
    const sessions: EngineSession[] = [];
    const onConnection = (socket: {
      request: IncomingMessage;
      transport: { name: string };
      once(event: 'upgrade', listener: (transport: { name: string }) => void): void;
    }): void => {
      if (socket.request.headers['x-wirelab-sandbox'] !== box) return;
      const session: EngineSession = { first: socket.transport.name, upgradedTo: null };
      sessions.push(session);
      socket.once('upgrade', (transport) => (session.upgradedTo = transport.name));
    };
    server.app.socketIo.engine.on('connection', onConnection);

    try {
      const { stdout } = await run(PYTHON, [INTEROP_SCRIPT, server.origin, box], { timeout: 60_000 });
      const observed = JSON.parse(stdout);

      expect(observed.reader_transport).toBe('websocket');
      expect(observed.join_ack).toEqual({ ok: true, room: 'lobby' });
      expect(observed.bad_room_ack).toMatchObject({
        ok: false,
        error: { code: 'BAD_ROOM', event: 'chat:join', localized: { en: expect.any(String), ru: expect.stringContaining('Имя комнаты') } },
      });
      expect(observed.writer_transport).toBe('websocket');
      expect(observed.message_ack).toEqual({ ok: true, room: 'lobby' });
      expect(observed.broadcast).toEqual({ room: 'lobby', name: 'writer', text: 'привет from python', at: expect.any(String) });
      expect(observed.rooms).toEqual({ ok: true, rooms: [{ room: 'lobby', members: ['python', 'writer'] }] });
      expect(observed.refused_error).toMatch(/failed to connect/);
      expect(observed.refusal).toEqual({
        message: expect.stringContaining('name is required'),
        data: { code: 'NAME_REQUIRED', message: expect.any(String), localized: { en: expect.any(String), ru: expect.stringContaining('Нужно имя') } },
      });

      // The reader and the refused client started on polling and upgraded; the writer asked for WebSocket only.
      expect(sessions).toEqual([
        { first: 'polling', upgradedTo: 'websocket' },
        { first: 'websocket', upgradedTo: null },
        expect.objectContaining({ first: 'polling' }),
      ]);
    } finally {
      server.app.socketIo.engine.off('connection', onConnection);
    }
  });
});

describe('curl: a method Engine.IO does not take', () => {
  /** curl's status line and body, one request. */
  async function curl(method: string, query: string): Promise<{ status: string; body: unknown }> {
    const { stdout } = await run('curl', [
      '-s',
      '-X',
      method,
      '-d',
      'x',
      '-w',
      '\n%{http_code} %{content_type}',
      `${server.origin}/socket.io/?EIO=4&transport=polling${query}`,
    ]);
    const [body, status] = stdout.split('\n');
    return { status, body: JSON.parse(body) };
  }

  it("gets Engine.IO's own 400, whatever the method, with or without a session", async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      expect(await curl(method, '')).toEqual({ status: '400 application/json', body: { code: 2, message: 'Bad handshake method' } });
    }
    // An open session: Engine.IO's polling transport would say 500; a client's mistake is 400.
    const { stdout } = await run('curl', ['-s', `${server.origin}/socket.io/?EIO=4&transport=polling`]);
    const sid = (JSON.parse(stdout.slice(1)) as { sid: string }).sid;
    expect(await curl('PUT', `&sid=${sid}`)).toEqual({ status: '400 application/json', body: { code: 3, message: 'Bad request' } });
    expect(await curl('PUT', '&sid=no-such-session')).toEqual({ status: '400 application/json', body: { code: 1, message: 'Session ID unknown' } });
    // The session is still there for its own client.
    const { stdout: poll } = await run('curl', [
      '-s',
      '-w',
      '\n%{http_code}',
      '-X',
      'POST',
      '-d',
      '1',
      `${server.origin}/socket.io/?EIO=4&transport=polling&sid=${sid}`,
    ]);
    expect(poll.split('\n')).toEqual(['ok', '200']);
  });
});
