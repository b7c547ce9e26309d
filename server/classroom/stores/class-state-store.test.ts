import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from '../../../tests/integration/redis-server.ts';
import { MAX_ATTEMPTS_KEPT, MAX_CLASS_ACTIONS_KEPT, OPEN_CLASS_STATUS, type ClassroomStore } from './classroom-store.ts';
import { RedisClassroomStore } from './redis-classroom-store.ts';
import { SqliteClassroomStore } from './sqlite-classroom-store.ts';

// One student's attempts and a class's state (ended, the teacher's message, the timer) follow the
// same rules in both stores.

let redis: RunningRedis;
const connections: Redis[] = [];
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit()));
  await redis?.stop();
});

const stores: Array<[string, () => ClassroomStore]> = [
  ['SQLite', () => new SqliteClassroomStore(':memory:')],
  [
    'Redis',
    () => {
      const connection = new Redis(redis.url);
      connections.push(connection);
      return new RedisClassroomStore(connection, `state${(prefixes += 1)}:classroom:`);
    },
  ],
];

describe.each(stores)('attempts and class state on %s', (_name, open) => {
  async function classWith(store: ClassroomStore, name: string) {
    const { code } = (await store.createClass('Seminar'))!;
    const joined = await store.join(code, name, null);
    if (!joined.ok) throw new Error(joined.error);
    return { code, member: joined.member, token: joined.token };
  }

  it('keeps each counted attempt, newest first, with what the miss was; nothing after the first pass', async () => {
    const store = open();
    const { member } = await classWith(store, 'Anna');
    const miss = { kind: 'response-differs' as const, request: 'POST /api/v1/users', status: 400, differs: 'status' as const };
    await store.recordResult(member.id, 'rest', 'create-201', false, 1000, miss);
    await store.recordResult(member.id, 'rest', 'list-users', false, 2000);
    await store.recordResult(member.id, 'rest', 'create-201', true, 3000, { kind: 'no-request' });
    await store.recordResult(member.id, 'rest', 'create-201', false, 4000, miss);

    expect(await store.attempts(member.id)).toEqual([
      { lesson: 'rest', exercise: 'create-201', passed: true, ms: 3000, miss: null },
      { lesson: 'rest', exercise: 'list-users', passed: false, ms: 2000, miss: null },
      { lesson: 'rest', exercise: 'create-201', passed: false, ms: 1000, miss },
    ]);
    // the board's counts are the log's
    expect((await store.results(member.id)).find((result) => result.exercise === 'create-201')).toMatchObject({ attempts: 2, passedMs: 3000 });
    // and the board says what each miss with details was, oldest first, beside its exercise
    const second = { kind: 'wrong-answer' as const, request: 'GET /api/v2/users/1', status: 200 };
    await store.recordResult(member.id, 'rest', 'v2-last-name', false, 5000, second);
    await store.recordResult(member.id, 'rest', 'v2-last-name', false, 6000, miss);
    const onBoard = (await store.resultsOfClass(member.classCode)).get(member.id)!;
    expect(onBoard.map((result) => [result.exercise, result.misses])).toEqual([
      ['create-201', [miss]],
      ['list-users', []],
      ['v2-last-name', [second, miss]],
    ]);
  });

  it(`keeps the last ${MAX_ATTEMPTS_KEPT} attempts of a student, and forgets them with the student or the class`, async () => {
    const store = open();
    const { code, member } = await classWith(store, 'Anna');
    for (let n = 1; n <= MAX_ATTEMPTS_KEPT + 5; n += 1) await store.recordResult(member.id, 'rest', 'create-201', false, n);
    const kept = await store.attempts(member.id);
    expect(kept).toHaveLength(MAX_ATTEMPTS_KEPT);
    expect(kept[0].ms).toBe(MAX_ATTEMPTS_KEPT + 5);
    expect(kept.at(-1)!.ms).toBe(6);

    expect(await store.removeMember(code, member.id)).toBe(true);
    expect(await store.attempts(member.id)).toEqual([]);
    const other = await classWith(store, 'Boris');
    await store.recordResult(other.member.id, 'rest', 'create-201', false);
    await store.deleteClass(other.code);
    expect(await store.attempts(other.member.id)).toEqual([]);
  });

  it('ends a class: joins and results refused, the board’s data kept; reopening lets them in again', async () => {
    const store = open();
    const { code, member, token } = await classWith(store, 'Anna');
    await store.recordResult(member.id, 'rest', 'create-201', false, 1000);
    expect(await store.classStatus(code)).toEqual(OPEN_CLASS_STATUS);

    expect(await store.updateClassStatus(code, { endedMs: 5000 })).toEqual({ ...OPEN_CLASS_STATUS, endedMs: 5000 });
    expect(await store.join(code, 'Boris', null)).toEqual({ ok: false, error: 'CLASS_ENDED' });
    expect(await store.join(code, 'Anna', member.rejoinCode)).toEqual({ ok: false, error: 'CLASS_ENDED' });
    expect(await store.recordResult(member.id, 'rest', 'create-201', true, 6000)).toEqual({ ok: false, error: 'CLASS_ENDED' });
    expect((await store.results(member.id))[0]).toMatchObject({ attempts: 1, passedMs: null });
    expect(await store.attempts(member.id)).toHaveLength(1);
    expect((await store.memberByToken(token))?.id).toBe(member.id);
    expect((await store.classes()).map((info) => info.code)).toContain(code);

    expect(await store.updateClassStatus(code, { endedMs: null })).toEqual(OPEN_CLASS_STATUS);
    expect(await store.recordResult(member.id, 'rest', 'create-201', true, 7000)).toMatchObject({ ok: true, changed: true });
    expect(await store.join(code, 'Boris', null)).toMatchObject({ ok: true });
    expect(await store.updateClassStatus('NOSUCH', { endedMs: 1 })).toBeNull();
    expect(await store.classStatus('NOSUCH')).toBeNull();
  });

  it('keeps the teacher’s message and timer until replaced or taken down; a change leaves the other fields', async () => {
    const store = open();
    const { code } = await classWith(store, 'Anna');
    const notice = { text: 'Пауза 5 минут <b>не HTML</b>', sentMs: 1000 };
    const timer = { startedMs: 2000, endsMs: 2000 + 10 * 60_000 };
    await store.updateClassStatus(code, { notice });
    expect(await store.updateClassStatus(code, { timer })).toEqual({ ...OPEN_CLASS_STATUS, notice, timer });
    const replaced = { text: 'Exercise 3 now', sentMs: 3000 };
    expect(await store.updateClassStatus(code, { notice: replaced })).toEqual({ ...OPEN_CLASS_STATUS, notice: replaced, timer });
    expect(await store.updateClassStatus(code, { timer: null, notice: null })).toEqual(OPEN_CLASS_STATUS);
  });

  it('keeps the assigned exercise with the other fields until cleared', async () => {
    const store = open();
    const { code } = await classWith(store, 'Anna');
    const assignment = { lesson: 'rest', exercise: 'create-201', sentMs: 1000 };
    const notice = { text: 'Упражнение 3', sentMs: 900 };
    await store.updateClassStatus(code, { notice });
    expect(await store.updateClassStatus(code, { assignment })).toEqual({ ...OPEN_CLASS_STATUS, notice, assignment });
    expect(await store.classStatus(code)).toEqual({ ...OPEN_CLASS_STATUS, notice, assignment });
    expect(await store.updateClassStatus(code, { assignment: null, notice: null })).toEqual(OPEN_CLASS_STATUS);
  });

  it('keeps the board’s history per class, newest first, the last MAX_CLASS_ACTIONS_KEPT; it goes with the class', async () => {
    const store = open();
    const { code } = await classWith(store, 'Anna');
    const other = (await store.createClass('Other'))!.code;
    await store.recordAction(code, { ms: 1, kind: 'notice', text: 'Пауза' });
    await store.recordAction(other, { ms: 2, kind: 'ended' });
    await store.recordAction(code, { ms: 3, kind: 'renamed', from: 'Anna', text: 'Anna K.' });
    expect(await store.actions(code)).toEqual([
      { ms: 3, kind: 'renamed', from: 'Anna', text: 'Anna K.' },
      { ms: 1, kind: 'notice', text: 'Пауза' },
    ]);
    for (let ms = 10; ms < 10 + MAX_CLASS_ACTIONS_KEPT + 5; ms += 1) await store.recordAction(code, { ms, kind: 'timer', minutes: 1 });
    const kept = await store.actions(code);
    expect(kept).toHaveLength(MAX_CLASS_ACTIONS_KEPT);
    expect(kept[0].ms).toBe(10 + MAX_CLASS_ACTIONS_KEPT + 4);
    await store.recordAction('NOSUCH', { ms: 1, kind: 'ended' });
    expect(await store.actions('NOSUCH')).toEqual([]);
    await store.deleteClass(code);
    expect(await store.actions(code)).toEqual([]);
    expect(await store.actions(other)).toEqual([{ ms: 2, kind: 'ended' }]);
  });
});

describe('SQLite: a database made before classes could end', () => {
  it('gets the new columns when opened, and its classes stay open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-classroom-'));
    const file = join(dir, 'old.sqlite');
    try {
      const old = new Database(file);
      old.exec(`CREATE TABLE classroom_classes (code TEXT PRIMARY KEY, title TEXT NOT NULL, created_ms INTEGER NOT NULL);
        INSERT INTO classroom_classes VALUES ('ABCDEF', 'Old', 1);`);
      old.close();
      const store = new SqliteClassroomStore(file);
      expect(store.classStatus('ABCDEF')).toEqual(OPEN_CLASS_STATUS);
      expect(store.updateClassStatus('ABCDEF', { endedMs: 2 })?.endedMs).toBe(2);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
