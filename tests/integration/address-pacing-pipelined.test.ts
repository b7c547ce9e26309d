// The pace acts per request, also on requests pipelined in one read, and a paused connection is
// still watched: its client closing it releases its address's count at once (server/limits/README.md).
// (A reset was noticed before too: a paused net.Socket still reads until its own buffer is full,
// and an error is emitted at once; its 'end' waits until what it has buffered is read.)
// A bucket that refills one request every 30 s: nothing is resumed while a test runs, so what is
// answered, held and released are counts, not timings.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

const PIPELINER = '127.0.0.11';
const CLOSES = '127.0.0.12';
const REQUESTS_PER_ADDRESS = 20;
/** more requests than the address may send, all in one write (and so one read) */
const PIPELINED = REQUESTS_PER_ADDRESS + 10;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    rateLimit: { max: 100_000, timeWindowMs: 10_000 },
    clientLimits: {
      rates: { rest: { perAddress: 100_000 } },
      pacing: {
        requestsPerAddress: REQUESTS_PER_ADDRESS,
        bytesPerAddress: 1024 * 1024,
        bytesBurstPerAddress: 1024 * 1024,
        connectionsPerAddress: 6,
        windowMs: 600_000,
      },
    },
  });
});

afterAll(async () => {
  await server.close();
});

const gate = () => server.app.onePort.gate!;
const GET_USER = 'GET /api/v1/users/1 HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: application/json\r\n\r\n';

/**
 * A POST whose body has not all come: its connection is inside a request, so Node's keep-alive
 * timeout (5 s) does not close it while paused — only the client closing it can.
 */
const UNFINISHED_POST = 'POST /api/v1/users HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"name":';

/**
 * A raw connection from `from` that has sent `requests` (PIPELINED GETs unless told) in one
 * write; `statuses` are the answers' status codes.
 */
async function pipelining(from: string, requests = GET_USER.repeat(PIPELINED)): Promise<{ socket: Socket; statuses: () => string[] }> {
  const socket = connect({ host: '127.0.0.1', port: server.port, localAddress: from });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  socket.write(requests);
  return { socket, statuses: () => [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]) };
}

describe('the pace, per request and watching paused connections', () => {
  it('answers pipelined requests up to the one that overspent; the ones after it wait unparsed', async () => {
    const { socket, statuses } = await pipelining(PIPELINER);
    // the bucket's 20, then the 21st (it overspent: its connection pauses after it), each a 200
    await vi.waitFor(() => expect(statuses()).toEqual(Array(REQUESTS_PER_ADDRESS + 1).fill('200')), { timeout: 10_000 });
    const held = (PIPELINED - REQUESTS_PER_ADDRESS - 1) * GET_USER.length;
    await vi.waitFor(() => expect(gate().pace(PIPELINER)).toMatchObject({ connections: 1, paused: 1, heldBytes: held, pausesSoFar: 1 }), {
      timeout: 10_000,
    });
    socket.destroy();
  });

  it('notices a paused connection its client closed (FIN) after sending more: released from the paused set and its address count', async () => {
    const { socket } = await pipelining(CLOSES, GET_USER.repeat(REQUESTS_PER_ADDRESS) + UNFINISHED_POST);
    await vi.waitFor(() => expect(gate().pace(CLOSES)).toMatchObject({ connections: 1, paused: 1 }), { timeout: 10_000 });
    // more of the body, sent while paused, and FIN
    socket.end('"Ada"');
    await vi.waitFor(() => expect(gate().pace(CLOSES)).toMatchObject({ connections: 0, paused: 0 }), { timeout: 10_000 });
  });
});
