import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from '../../../tests/integration/redis-server.ts';
import { MAX_CLASSES, MAX_MEMBERS, MAX_RESULTS_PER_MEMBER } from './classroom-store.ts';
import { RedisClassroomStore } from './redis-classroom-store.ts';
import { serverChecksStoreCases } from './server-checks-store-cases.ts';

// Two stores on two connections stand for two instances sharing one Redis.
describe('RedisClassroomStore', () => {
  let redis: RunningRedis;
  const connections: Redis[] = [];
  let prefixes = 0;
  /** Two stores over one fresh prefix: what two instances of one deployment see. */
  const pair = (): [RedisClassroomStore, RedisClassroomStore] => {
    const prefix = `unit${(prefixes += 1)}:classroom:`;
    const open = () => {
      const connection = new Redis(redis.url);
      connections.push(connection);
      return new RedisClassroomStore(connection, prefix);
    };
    return [open(), open()];
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.quit()));
    await redis?.stop();
  });

  it('keeps one teacher key for every instance unless one is given', async () => {
    const [a, b] = pair();
    const key = await a.teacherKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await b.teacherKey()).toBe(key);
    expect(await b.teacherKey('from-env')).toBe('from-env');
  });

  it('lets a class made on one instance be joined on the other; the same name needs the rejoin code', async () => {
    const [a, b] = pair();
    const { code } = (await a.createClass('Seminar 3', 1000))!;
    expect(await b.classes()).toEqual([{ code, title: 'Seminar 3', createdMs: 1000 }]);
    const first = await b.join(code, 'Анна', null, 2000);
    expect(first.ok && !first.rejoined).toBe(true);
    if (!first.ok) return;
    expect(await a.join(code, 'анна', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
    expect(await a.join(code, 'Анна', 'WRONG1')).toEqual({ ok: false, error: 'NAME_TAKEN' });
    const again = await a.join(code, 'АННА', first.member.rejoinCode.toLowerCase(), 3000);
    expect(again).toMatchObject({
      ok: true,
      rejoined: true,
      member: { id: first.member.id, name: 'Анна', rejoinCode: first.member.rejoinCode, joinedMs: 2000, lastActiveMs: 3000 },
    });
    // the new browser's token works on both instances, the old one on neither
    if (again.ok) expect((await b.memberByToken(again.token))?.id).toBe(first.member.id);
    expect(await a.memberByToken(first.token)).toBeNull();
    expect(await b.memberByToken(first.token)).toBeNull();
    expect(await b.memberByToken(42)).toBeNull();
    expect(await a.join('XXXXXX', 'Bob', null)).toEqual({ ok: false, error: 'NO_SUCH_CLASS' });
    expect(await a.memberCount(code)).toBe(1);
  });

  it('gives a name claimed by two instances at once to one of them only', async () => {
    const [a, b] = pair();
    const { code } = (await a.createClass('Race'))!;
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 ? a : b).join(code, index % 3 ? 'Chen' : 'chen', null)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.error === 'NAME_TAKEN')).toHaveLength(19);
    expect(await b.members(code)).toHaveLength(1);
  });

  it('fills a class to its limit and no further, however the joins are spread over instances', async () => {
    const [a, b] = pair();
    const { code } = (await a.createClass('Lecture hall'))!;
    const outcomes = await Promise.all(Array.from({ length: MAX_MEMBERS + 5 }, (_, index) => (index % 2 ? a : b).join(code, `Student ${index}`, null)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(MAX_MEMBERS);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.error === 'CLASS_FULL')).toHaveLength(5);
    expect(await a.memberCount(code)).toBe(MAX_MEMBERS);
    const ids = (await b.members(code)).map((member) => member.id);
    expect(new Set(ids).size).toBe(MAX_MEMBERS);
  });

  it('makes no more classes than the limit across instances', async () => {
    const [a, b] = pair();
    const made = await Promise.all(Array.from({ length: MAX_CLASSES + 3 }, (_, index) => (index % 2 ? a : b).createClass(`Class ${index}`, index)));
    expect(made.filter(Boolean)).toHaveLength(MAX_CLASSES);
    const listed = await a.classes();
    expect(listed).toHaveLength(MAX_CLASSES);
    // by creation time
    expect(listed.map((info) => info.createdMs)).toEqual([...listed.map((info) => info.createdMs)].sort((x, y) => x - y));
  });

  it('counts attempts until the first pass and keeps the pass, whichever instance reports', async () => {
    const [a, b] = pair();
    const { code } = (await a.createClass('A'))!;
    const joined = await a.join(code, 'Bob', null, 500);
    if (!joined.ok) throw new Error('join failed');
    const id = joined.member.id;
    expect(await a.recordResult(id, '01-rest', 'get-user', false, 1000)).toEqual({
      ok: true,
      changed: true,
      result: { lesson: '01-rest', exercise: 'get-user', attempts: 1, passedMs: null, lastMs: 1000 },
    });
    await b.recordResult(id, '01-rest', 'get-user', false, 2000);
    const pass = await a.recordResult(id, '01-rest', 'get-user', true, 3000);
    expect(pass).toEqual({ ok: true, changed: true, result: { lesson: '01-rest', exercise: 'get-user', attempts: 3, passedMs: 3000, lastMs: 3000 } });
    const later = await b.recordResult(id, '01-rest', 'get-user', false, 4000);
    expect(later).toEqual({ ok: true, changed: false, result: { lesson: '01-rest', exercise: 'get-user', attempts: 3, passedMs: 3000, lastMs: 3000 } });
    await b.recordResult(id, '00-intro', 'z', true, 5000);
    expect((await a.results(id)).map((result) => `${result.lesson}/${result.exercise}`)).toEqual(['00-intro/z', '01-rest/get-user']);
    expect((await b.members(code))[0].lastActiveMs).toBe(5000);
    const byMember = await b.resultsOfClass(code);
    expect([...byMember.keys()]).toEqual([id]);
    expect(byMember.get(id)).toHaveLength(2);
  });

  it('binds a member\'s browser session and keeps their latest "check my server" run per protocol, on every instance', async () => {
    const [a, b] = pair();
    await serverChecksStoreCases(a, b);
  });

  it('stops new exercises at the per-member limit, atomically', async () => {
    const [a, b] = pair();
    const { code } = (await a.createClass('Busy'))!;
    const joined = await a.join(code, 'Dana', null);
    if (!joined.ok) throw new Error('join failed');
    const outcomes = await Promise.all(
      Array.from({ length: MAX_RESULTS_PER_MEMBER + 4 }, (_, index) => (index % 2 ? a : b).recordResult(joined.member.id, 'lesson', `e${index}`, true)),
    );
    expect(outcomes.filter((outcome) => !outcome.ok)).toHaveLength(4);
    expect(await a.results(joined.member.id)).toHaveLength(MAX_RESULTS_PER_MEMBER);
    // an exercise already counted still takes its attempts
    expect(await b.recordResult(joined.member.id, 'lesson', 'e0', false)).toMatchObject({ ok: true, changed: false });
  });

  it('refuses a look-alike name ("Вob" beside "Bob"), and moves the keys an older release kept to the skeleton once', async () => {
    const [a, b] = pair();
    const { code } = (await a.createClass('Keys'))!;
    const bob = await a.join(code, 'Bob', null);
    expect(await b.join(code, 'Вob', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
    const anna = await b.join(code, 'Анна', null);
    if (!bob.ok || !anna.ok) throw new Error('joins failed');
    // What the older release kept: lowercase keys, no version.
    const prefix = `unit${prefixes}:classroom:`;
    const raw = new Redis(redis.url);
    connections.push(raw);
    await raw.del(`${prefix}class:${code}:names`, `${prefix}settings:name-key-version`);
    await raw.hset(`${prefix}class:${code}:names`, 'bob', String(bob.member.id), 'анна', String(anna.member.id));
    expect(await a.join(code, 'Bоb', null)).toMatchObject({ ok: true, rejoined: false });
    await a.migrate();
    await b.migrate();
    expect((await a.members(code)).map((member) => member.name)).toEqual(['Bob', 'Анна', 'Bоb']);
    expect(await b.join(code, 'BOB', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
    expect(await b.join(code, 'АННА', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
    expect(await b.join(code, 'анна', anna.member.rejoinCode)).toMatchObject({ ok: true, rejoined: true, member: { id: anna.member.id } });
    expect(await a.memberCount(code)).toBe(3);
  });
});
