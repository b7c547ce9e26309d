// Issue 51: TEACHER_KEY=0427 fell to 432 keep-alive GETs in one second. Wrong keys are now
// limited per client address (10 a minute): past them every try, over HTTP and over the class
// channel, is refused unheard — 429 problem+json in both languages with Retry-After, close 4429
// — and the server's log tells the burst once.
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLASS_CLOSE, retryAfterOfLimitedClose } from '../../contracts/class-channel/messages.ts';
import { collectLogLines, startServer, type RunningServer } from './start-server.ts';

const KEY = 'a-teacher-key-of-24-char';
let server: RunningServer;
const log = collectLogLines('warn');

beforeAll(async () => {
  server = await startServer({ classroom: { teacherKey: KEY }, logger: log.logger });
});
afterAll(() => server?.close());

/** One keep-alive connection, as the guesser of the issue used. */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
afterAll(() => keepAlive.destroy());

async function classes(key: string): Promise<{ status: number; retryAfter: string | null; type: string | null; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${server.origin}/_wirelab/class/classes`, { agent: keepAlive, headers: { 'x-wirelab-teacher-key': key } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk));
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
          type: response.headers['content-type'] ?? null,
          body: JSON.parse(text) as Record<string, unknown>,
        }),
      );
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

async function teacherHello(key: string): Promise<{ code: number; reason: string }> {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/_wirelab/class/channel`);
  socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key })));
  const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
  return { code, reason: reason.toString() };
}

describe('a client guessing the teacher key', () => {
  it('gets 403 for ten wrong keys, then 429 with Retry-After for every try — the right key too — over HTTP and the channel', async () => {
    for (let guess = 0; guess < 10; guess++) expect((await classes(`guess-${String(guess).padStart(4, '0')}`)).status).toBe(403);
    for (let guess = 10; guess < 40; guess++) {
      const limited = await classes(`guess-${String(guess).padStart(4, '0')}`);
      expect(limited.status).toBe(429);
      expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    const right = await classes(KEY);
    expect(right.status).toBe(429);
    expect(right.type).toMatch(/^application\/problem\+json/);
    expect(right.body).toMatchObject({ status: 429, error: 'TEACHER_KEY_LIMITED' });
    expect((right.body.localized as { en: string; ru: string }).en).toMatch(/Too many wrong teacher keys/);
    expect((right.body.localized as { en: string; ru: string }).ru).toMatch(/слишком много неверных ключей преподавателя/);
    const closed = await teacherHello(KEY);
    expect(closed).toMatchObject({ code: CLASS_CLOSE.teacherKeyLimited, reason: expect.stringMatching(/retry after \d+ s/) });
    // the teacher's page reads the seconds from the reason, says so in both languages and waits that long (web/classroom/teacher-class.ts)
    expect(retryAfterOfLimitedClose(closed.reason)).toBeGreaterThanOrEqual(1);
  });

  it('is told in the log once for the burst, not once per try', () => {
    const told = log.lines.filter((line) => String(line.msg).includes('wrong teacher keys'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ address: '127.0.0.1', wrongKeys: 10, windowS: 60 });
  });
});
