import { randomBytes } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_CLOSE } from '../../contracts/capture-channel/messages.ts';
import { CLASS_CLOSE } from '../../contracts/class-channel/messages.ts';
import { startRedisServer, type RunningRedis } from './redis-server.ts';
import { startServer, type RunningServer } from './start-server.ts';

// server/scale/session-homes.ts: a session's channels follow its new connections. Two instances
// on one Redis; the capture channel and the class channel of a session open on B; the session's
// next *new* connection reaches A (as HAProxy sends it after B's failover or A's return): B closes
// both channels with 4307, so the page opens them again through the load balancer, on A. A request
// on a keep-alive connection opened earlier says nothing of where the load balancer sends the
// session now, and moves nothing.

const KEY_PREFIX = `scale-session-homes-${randomBytes(3).toString('hex')}:`;

let redis: RunningRedis;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  redis = await startRedisServer();
  a = await startServer({ scale: { redisUrl: redis.url, keyPrefix: KEY_PREFIX, instanceId: 'a' } });
  b = await startServer({ scale: { redisUrl: redis.url, keyPrefix: KEY_PREFIX, instanceId: 'b' } });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
});

async function newCookie(): Promise<string> {
  const response = await fetch(`${b.origin}/_wirelab/session`);
  return `wirelab_session=${/wirelab_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]}`;
}

/** A WebSocket open on `server` with the cookie; resolves once open, with its close code to come. */
async function openChannel(server: RunningServer, path: string, cookie: string): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}${path}`, { headers: { cookie, origin: server.origin } });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, closed };
}

/**
 * Returns once B has heard everything A announced before: another session's new connection to A
 * is announced on the same Redis connection, after them, and moves that session's channel on B.
 */
async function heardOnB(): Promise<void> {
  const marker = await newCookie();
  const channel = await openChannel(b, '/_wirelab/tap', marker);
  expect(await get(a, marker, new Agent({ keepAlive: false }))).toBe('a');
  expect(await channel.closed).toBe(CAPTURE_CLOSE.moved);
}

/** One GET on `agent`'s connection (keep-alive), its x-wirelab-instance. */
function get(server: RunningServer, cookie: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.origin}/_wirelab/session`, { agent, headers: { cookie } }, (response) => {
      response.resume();
      response.once('end', () => resolve(`${response.headers['x-wirelab-instance']}${req.reusedSocket ? ' (kept alive)' : ''}`));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('a session’s channels follow its new connections to another instance', () => {
  it('closes the capture channel and the class channel on B with 4307 when a new connection of the session reaches A', async () => {
    const cookie = await newCookie();
    const other = await newCookie();
    const capture = await openChannel(b, '/_wirelab/tap', cookie);
    const classChannel = await openChannel(b, '/_wirelab/class/channel', cookie);
    const bystander = await openChannel(b, '/_wirelab/tap', other);

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(a, cookie, agent)).toBe('a');
    expect(await capture.closed).toBe(CAPTURE_CLOSE.moved);
    expect(await classChannel.closed).toBe(CLASS_CLOSE.moved);
    // another session's channel stays
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
    bystander.socket.close();
    agent.destroy();
  });

  it('moves nothing for a request on a keep-alive connection opened before the channel', async () => {
    const cookie = await newCookie();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(a, cookie, agent)).toBe('a');
    // B has heard that new connection's announcement before the channel opens there
    await heardOnB();
    const capture = await openChannel(b, '/_wirelab/tap', cookie);
    let closedWith: number | null = null;
    void capture.closed.then((code) => (closedWith = code));
    // past the once-a-second limit on announcing one session, so only the connection's age keeps it quiet
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // the same connection to A again: its first request was seen already
    expect(await get(a, cookie, agent)).toBe('a (kept alive)');
    await heardOnB();
    expect(closedWith).toBeNull();
    expect(capture.socket.readyState).toBe(WebSocket.OPEN);
    capture.socket.close();
    agent.destroy();
  });
});
