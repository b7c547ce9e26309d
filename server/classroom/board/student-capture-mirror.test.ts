import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedis } from '../../../tests/integration/redis-server.ts';
import { CaptureHub, FLUSH_EVERY_MS } from '../../tap/capture-hub.ts';
import { TapSocket } from '../../tap/tap-socket.ts';
import { sessionKeyOf } from '../../scale/session-homes.ts';
import { ExerciseVerdicts } from './exercise-verdicts.ts';
import { DEFAULT_LESSONS_DIR, LessonCatalog } from '../names/lesson-catalog.ts';
import { RedisCaptureMirrorLog } from './redis-capture-mirror-log.ts';
import { MIRRORED_SESSION_BYTES, SqliteCaptureMirrorLog } from './sqlite-capture-mirror-log.ts';
import { FOLLOW_GRACE_MS, MIRROR_TTL_MS, StudentCaptureMirror } from './student-capture-mirror.ts';

// A pass captured by one process is judged by another (the survivor of a failover, the same
// instance's next process after a restart) from what the first mirrored: into Redis scaled out,
// into the domain's SQLite file in one process.

const SESSION = 'BBBBBBBBBBBBBBBBBBBBBB';
const quiet = { info() {}, warn() {} } as unknown as FastifyBaseLogger;
const lessons = LessonCatalog.read(DEFAULT_LESSONS_DIR);
let redis: RunningRedis;
const connections: Redis[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await redis?.stop();
});

function mirrorOf(hub: CaptureHub, prefix: string, now?: () => number): StudentCaptureMirror {
  const connection = new Redis(redis.url);
  connections.push(connection);
  return new StudentCaptureMirror(hub, new RedisCaptureMirrorLog(connection, (key) => `${prefix}captures:${key}`), quiet, now);
}

/**
 * A recording process whose mirror reads `clock.now`; `kept()` settles once every batch it has
 * written so far is in Redis (its connection answers commands in order: a PING after them).
 */
function recorderOnClock(prefix: string) {
  const clock = { now: 1_000_000 };
  const recorder = new CaptureHub({}, 'process-one');
  const recorderMirror = mirrorOf(recorder, prefix, () => clock.now);
  const itsConnection = connections.at(-1)!;
  return { clock, recorder, recorderMirror, mirrorRedis: itsConnection, kept: () => itsConnection.ping() };
}

/** One POST that created a user, recorded by `hub` for the session. */
async function createdAUser(hub: CaptureHub): Promise<void> {
  const network = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() }) as unknown as Socket;
  Object.assign(network, { remoteAddress: '127.0.0.1', remotePort: 5000, localAddress: '127.0.0.1', localPort: 8080 });
  const tapped = new TapSocket(network);
  hub.track(tapped, 'http/1.1');
  network.emit('data', Buffer.from('POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'));
  hub.claim(tapped, SESSION, { method: 'POST', url: '/api/v1/users' });
  tapped.write(Buffer.from('HTTP/1.1 201 Created\r\nLocation: /api/v1/users/7\r\nContent-Length: 0\r\n\r\n'));
  await new Promise((resolve) => setTimeout(resolve, FLUSH_EVERY_MS + 5));
}

describe('StudentCaptureMirror', () => {
  it('lets another process judge a pass its own captures do not hold, and only with the mirror', async () => {
    const prefix = `mirror-${Date.now()}:`;
    const recorder = new CaptureHub({}, 'process-one');
    const recorderMirror = mirrorOf(recorder, prefix);
    recorderMirror.follow([SESSION]);
    await createdAUser(recorder);

    const judge = new CaptureHub({}, 'process-two');
    const judgeMirror = mirrorOf(judge, prefix);
    const alone = new ExerciseVerdicts(judge, lessons);
    const withMirror = new ExerciseVerdicts(judge, lessons, null, (session) => judgeMirror.elsewhere(session));
    await expect.poll(async () => (await judgeMirror.elsewhere(SESSION)).chunks.length).toBe(2);
    const elsewhere = await judgeMirror.elsewhere(SESSION);
    expect(elsewhere.connections.map((connection) => connection.id)).toEqual(['process-one/c1']);
    expect(await alone.verdictAnywhere(SESSION, 'rest', 'create-201', undefined)).toEqual({ passed: false, why: 'no-captures' });
    expect(await withMirror.verdictAnywhere(SESSION, 'rest', 'create-201', undefined)).toEqual({ passed: true });
    // the recorder itself reads only the other processes' entries: its own are in its ring
    expect((await recorderMirror.elsewhere(SESSION)).chunks).toEqual([]);
    // a session it does not follow leaves nothing in Redis
    expect((await judgeMirror.elsewhere('CCCCCCCCCCCCCCCCCCCCCC')).chunks).toEqual([]);
    recorderMirror.stop();
    judgeMirror.stop();
  });

  it('keeps following a student whose page moved on (its channel closed) for the grace, then lets go', async () => {
    const prefix = `mirror-grace-${Date.now()}:`;
    const { clock, recorder, recorderMirror, kept } = recorderOnClock(prefix);
    const judgeMirror = mirrorOf(new CaptureHub({}, 'process-two'), prefix);
    recorderMirror.follow([SESSION]);
    // the page went to another lesson: its class channel closed, the next one not open yet
    clock.now += 1000;
    recorderMirror.follow([]);
    await createdAUser(recorder);
    await kept();
    expect((await judgeMirror.elsewhere(SESSION)).chunks.length).toBe(2);
    clock.now += FOLLOW_GRACE_MS + 1;
    recorderMirror.follow([]);
    await createdAUser(recorder);
    await kept();
    expect((await judgeMirror.elsewhere(SESSION)).chunks.length).toBe(2);
    recorderMirror.stop();
    judgeMirror.stop();
  });

  it('reads a ring replayed by a session followed again once: the pass still decodes', async () => {
    const prefix = `mirror-again-${Date.now()}:`;
    const { clock, recorder, recorderMirror, mirrorRedis, kept } = recorderOnClock(prefix);
    recorderMirror.follow([SESSION]);
    await createdAUser(recorder);
    clock.now += FOLLOW_GRACE_MS + 1;
    recorderMirror.follow([]);
    // followed again: its ring so far (the same two chunks) goes into the log a second time
    recorderMirror.follow([SESSION]);
    await kept();
    const judge = new CaptureHub({}, 'process-two');
    const judgeMirror = mirrorOf(judge, prefix);
    expect(await mirrorRedis.xlen(`${prefix}captures:${sessionKeyOf(SESSION)}`)).toBe(2);
    expect((await judgeMirror.elsewhere(SESSION)).chunks.map((chunk) => chunk.seq)).toEqual([1, 2]);
    const verdicts = new ExerciseVerdicts(judge, lessons, null, (session) => judgeMirror.elsewhere(session));
    expect(await verdicts.verdictAnywhere(SESSION, 'rest', 'create-201', undefined)).toEqual({ passed: true });
    recorderMirror.stop();
    judgeMirror.stop();
  });

  it('in one process, keeps the batches in the SQLite file for the next process after a restart', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wirelab-mirror-'));
    try {
      const file = join(folder, 'wirelab.sqlite');
      const recorder = new CaptureHub({}, 'before-restart');
      const recorderLog = new SqliteCaptureMirrorLog(file);
      const recorderMirror = new StudentCaptureMirror(recorder, recorderLog, quiet);
      recorderMirror.follow([SESSION]);
      await createdAUser(recorder);
      recorderMirror.stop();
      recorderLog.close();

      // the next process opens the same file
      const judge = new CaptureHub({}, 'after-restart');
      const judgeLog = new SqliteCaptureMirrorLog(file);
      const judgeMirror = new StudentCaptureMirror(judge, judgeLog, quiet);
      const alone = new ExerciseVerdicts(judge, lessons);
      const withMirror = new ExerciseVerdicts(judge, lessons, null, (session) => judgeMirror.elsewhere(session));
      expect((await judgeMirror.elsewhere(SESSION)).connections.map((connection) => connection.id)).toEqual(['before-restart/c1']);
      expect(await alone.verdictAnywhere(SESSION, 'rest', 'create-201', undefined)).toEqual({ passed: false, why: 'no-captures' });
      expect(await withMirror.verdictAnywhere(SESSION, 'rest', 'create-201', undefined)).toEqual({ passed: true });
      // a session silent for the mirror's lifetime is forgotten
      expect(judgeLog.forgetSilent(Date.now() + MIRROR_TTL_MS + 1)).toBeGreaterThan(0);
      expect((await judgeMirror.elsewhere(SESSION)).chunks).toEqual([]);
      judgeLog.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps at most MIRRORED_SESSION_BYTES of a session on disk, the newest', async () => {
    const log = new SqliteCaptureMirrorLog(':memory:');
    const batch = (index: number) => ({ process: 'p', connections: `[${index}]`, frame: new Uint8Array(256 * 1024), cleared: false });
    const total = (MIRRORED_SESSION_BYTES / (256 * 1024)) * 2;
    for (let index = 0; index < total; index++) await log.append('student', batch(index));
    await log.append('other', batch(0));
    const kept = await log.batches('student');
    const bytes = kept.reduce((sum, entry) => sum + entry.frame.length + entry.connections.length, 0);
    expect(bytes).toBeLessThanOrEqual(MIRRORED_SESSION_BYTES + 256 * 1024 * 4);
    expect(kept.length).toBeGreaterThan(MIRRORED_SESSION_BYTES / (256 * 1024) / 2);
    // the newest are the ones kept, in order
    expect(kept.at(-1)?.connections).toBe(`[${total - 1}]`);
    expect(kept.map((entry) => Number(entry.connections.slice(1, -1)))).toEqual(kept.map((_, at) => total - kept.length + at));
    // another session is not touched
    expect(await log.batches('other')).toHaveLength(1);
    log.close();
  });
});
