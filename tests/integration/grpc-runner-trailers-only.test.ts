import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../server/protocols/grpc/registry.ts';
import { RunnerSession } from '../../server/protocols/grpc/runner/runner-session.ts';
import { applyRunnerMessage, emptyLog, type CallLog, type RunnerServerMessage } from '../../web/editors/grpc/call-log.ts';

// A Trailers-Only answer (gRPC over HTTP/2: one HEADERS frame with END_STREAM carrying both the
// response headers and the status) from a server nobody here wrote: gRPC C-core (Debian's
// python3-grpcio) with no service registered answers every call UNIMPLEMENTED that way. Our own
// server never does (Node's HTTP/2 layer always sends the headers in a frame of their own), so
// the runner is pointed at C-core directly.
const PYTHON = '/usr/bin/python3';
const SERVER_SCRIPT = `
import grpc, sys, threading
from concurrent import futures
server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
port = server.add_insecure_port('127.0.0.1:0')
server.start()
print(port, flush=True)
sys.stdin.read()
server.stop(0)
`;

let python: ChildProcess;
let target: string;

beforeAll(async () => {
  python = spawn(PYTHON, ['-c', SERVER_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    python.once('error', reject);
    python.once('exit', (code) => reject(new Error(`the python gRPC server exited (${code})`)));
    createInterface({ input: python.stdout! }).once('line', resolve);
  });
  target = `http://127.0.0.1:${port.trim()}`;
});
afterAll(() => {
  python?.stdin?.end();
  python?.kill();
});

const limits = { maxCalls: 8, maxMessageBytes: 256 * 1024, idleTimeoutMs: 60_000, maxTimeoutMs: 60_000, maxChannelsPerSession: 4 };

/** Every message the runner sends the page for one call, until its status. */
async function runnerMessages(method: string, messages: unknown[], to = target): Promise<RunnerServerMessage[]> {
  const sent: RunnerServerMessage[] = [];
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const runner = new RunnerSession({
    session: 'trailers-only',
    target: to,
    registry,
    limits,
    send: (message) => {
      sent.push(JSON.parse(JSON.stringify(message)) as RunnerServerMessage);
      if (message.type === 'status') finished();
    },
  });
  runner.handle({ type: 'start', call: 'c1', method, metadata: {}, messages, end: true });
  await done;
  runner.close();
  return sent;
}

describe('the gRPC runner and a Trailers-Only answer (gRPC C-core)', () => {
  it('reports the one HEADERS frame as what it is: content-type a response header, grpc-status a trailer', async () => {
    const sent = await runnerMessages('wirelab.users.v1.UserService/GetUser', [{ id: 1 }]);
    const headers = sent.find((message) => message.type === 'headers');
    const status = sent.find((message) => message.type === 'status');
    expect(status).toMatchObject({ name: 'UNIMPLEMENTED', trailersOnly: true });
    expect(headers).toMatchObject({ trailersOnly: true, headers: { 'content-type': expect.stringMatching(/^application\/grpc/) } });
    if (status?.type !== 'status') throw new Error('no status');
    expect(Object.keys(status.trailers)).toContain('grpc-status');
    expect(Object.keys(status.trailers)).not.toContain('content-type');

    // The cell's log: content-type under the response headers, the trailers without it.
    let log: CallLog = emptyLog();
    let startedAt: number | null = null;
    for (const message of sent) ({ log, startedAt } = applyRunnerMessage(log, message, startedAt));
    const shownHeaders = log.events.find((event) => event.kind === 'headers');
    const shownStatus = log.events.find((event) => event.kind === 'status');
    expect(shownHeaders).toMatchObject({ trailersOnly: true, headers: [['content-type', expect.stringMatching(/^application\/grpc/)]] });
    expect(shownStatus?.kind === 'status' && shownStatus.trailersOnly).toBe(true);
    expect(shownStatus?.kind === 'status' ? shownStatus.trailers.map(([name]) => name) : []).not.toContain('content-type');
  });

  it('reports an answer that is no gRPC one (HTTP 404) as response headers, with no trailers', async () => {
    // an HTTP/2 server that knows no gRPC: every request gets a plain 404
    const plain: Http2Server = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not here');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const sent = await runnerMessages('wirelab.users.v1.UserService/GetUser', [{ id: 1 }], `http://127.0.0.1:${(plain.address() as AddressInfo).port}`);
      expect(sent.find((message) => message.type === 'headers')).toMatchObject({ headers: { 'content-type': 'text/plain' } });
      const status = sent.find((message) => message.type === 'status');
      expect(status).toMatchObject({ name: 'UNIMPLEMENTED', trailers: {} });
      expect(status).not.toHaveProperty('trailersOnly');
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});
