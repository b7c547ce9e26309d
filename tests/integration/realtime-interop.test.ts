import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// Clients nobody here wrote: Debian's python3-websockets against the raw WebSocket endpoints,
// and curl against Server-Sent Events and long polling. .ci/run installs both.
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const WS_SCRIPT = fileURLToPath(new URL('./interop/ws_interop.py', import.meta.url));
const WAIT_MS = 10_000;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

function sandbox(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

async function createUser(box: string, name: string): Promise<{ id: number }> {
  const response = await fetch(`${server.origin}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': box },
    body: JSON.stringify({ name, email: `${randomBytes(5).toString('hex')}@example.com` }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number };
}

/** `curl -N` left running: its output so far, and a wait for a pattern in it. */
class Curl {
  private readonly child: ChildProcess;
  output = '';
  private readonly exited: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn('curl', ['-sS', '-N', ...args]);
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => (this.output += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  async waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`curl never printed ${pattern}; it printed:\n${this.output}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.child.stdout!.off('data', wake);
          resolve();
        }, 200);
        this.child.stdout!.once('data', wake);
      });
    }
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

describe('python3-websockets as the client', () => {
  it('echo, binary, pings both ways, fragments both ways, close codes, 1009 and the chat subprotocol', async () => {
    const box = sandbox('python');
    const { stdout } = await run(PYTHON, [WS_SCRIPT, `ws://127.0.0.1:${server.port}`, box], { timeout: 60_000 });
    const seen = JSON.parse(stdout);
    expect(seen.echo_subprotocol).toBeNull();
    expect(seen.echo_text).toBe('привет from python');
    expect(seen.echo_binary).toEqual({ type: 'bytes', bytes: [0, 1, 254, 255] });
    expect(seen.client_ping_answered).toBe(true);
    expect(seen.server_ping_report).toMatchObject({ wirelab: 'pong', payload: 'from the server' });
    expect(seen.fragmented_echo).toBe('five frames, one message');
    expect(seen.client_fragments_echo).toBe('sent in three');
    expect(seen.bad_close_code).toMatchObject({ wirelab: 'error', code: 'bad-field' });
    expect(seen.bad_close_code.message.ru).toMatch(/Код 1005/);
    expect(seen.server_close).toEqual([4001, 'python, bye']);
    expect(seen.too_big[0]).toBe(1009);
    // The server answers a client's close frame with the same code.
    expect(seen.client_close).toEqual([4321, 'client bye']);
    expect(seen.chat_subprotocol).toBe('wirelab.chat.v1');
    expect(seen.chat_welcome).toMatchObject({ type: 'welcome', room: box, you: 'Python' });
    expect(seen.chat_message).toMatchObject({ type: 'message', from: 'Python', text: 'hello, room' });
  });
});

describe('curl as the client', () => {
  it('reads SSE events with curl -N, then resumes with Last-Event-ID and gets what it missed', async () => {
    const box = sandbox('curl-sse');
    const stream = new Curl(['-H', `x-wirelab-sandbox: ${box}`, `${server.origin}/api/v1/events`]);
    try {
      await stream.waitFor(/^retry: 3000\n\n/);
      await createUser(box, 'Seen By Curl');
      const [, id] = await stream.waitFor(/id: (\d+)\nevent: user\.created\ndata: \{[^\n]*"Seen By Curl"/);
      await stream.stop();

      const missed = await createUser(box, 'Missed By Curl');
      const resumed = new Curl(['-H', `x-wirelab-sandbox: ${box}`, '-H', `Last-Event-ID: ${id}`, `${server.origin}/api/v1/events`]);
      try {
        const [, replayedId, data] = await resumed.waitFor(/id: (\d+)\nevent: user\.created\ndata: (\{[^\n]*)\n\n/);
        expect(Number(replayedId)).toBeGreaterThan(Number(id));
        expect(JSON.parse(data)).toMatchObject({ id: missed.id, name: 'Missed By Curl' });
        // The event seen before the drop is not sent again.
        expect(resumed.output).not.toContain('Seen By Curl');
      } finally {
        await resumed.stop();
      }
    } finally {
      await stream.stop();
    }
  });

  it('reads SSE over h2c with --http2-prior-knowledge', async () => {
    const box = sandbox('curl-h2');
    const stream = new Curl(['-i', '--http2-prior-knowledge', '-H', `x-wirelab-sandbox: ${box}`, `${server.origin}/api/v1/events`]);
    try {
      await stream.waitFor(/^HTTP\/2 200/);
      await stream.waitFor(/retry: 3000\n\n/);
      await createUser(box, 'Over H2c');
      await stream.waitFor(/event: user\.created\ndata: \{[^\n]*"Over H2c"/);
    } finally {
      await stream.stop();
    }
  });

  it('long-polls with curl: held until a change, then the event and the cursor', async () => {
    const box = sandbox('curl-poll');
    const since = server.app.domain.events.lastId;
    const held = new Curl(['-i', '-H', `x-wirelab-sandbox: ${box}`, `${server.origin}/api/v1/poll?since=${since}`]);
    try {
      await expect.poll(() => server.app.heldPolls(), { timeout: WAIT_MS }).toBe(1);
      const user = await createUser(box, 'Polled By Curl');
      const [, body] = await held.waitFor(/\r\n\r\n(\{.*\})$/s);
      expect(held.output).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(held.output).toMatch(/\r\nserver-timing: hold;dur=\d+/i);
      const answer = JSON.parse(body);
      expect(answer.events.map((e: { data: { id: number } }) => e.data.id)).toEqual([user.id]);
      expect(answer.cursor).toBe(answer.events[0].id);
    } finally {
      await held.stop();
    }
  });
});
