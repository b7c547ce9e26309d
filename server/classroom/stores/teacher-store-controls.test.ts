import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from '../../../tests/integration/redis-server.ts';
import { MAX_CLASSES, type ClassroomStore } from './classroom-store.ts';
import { RedisClassroomStore } from './redis-classroom-store.ts';
import { SqliteClassroomStore } from './sqlite-classroom-store.ts';

// The teacher's controls (rename, remove, delete a class) follow the same rules in both stores.

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
      return new RedisClassroomStore(connection, `controls${(prefixes += 1)}:classroom:`);
    },
  ],
];

describe.each(stores)('the teacher’s controls on %s', (_name, open) => {
  async function classWith(store: ClassroomStore, ...names: string[]) {
    const { code } = (await store.createClass('Seminar'))!;
    const members = [];
    for (const name of names) {
      const outcome = await store.join(code, name, null);
      if (!outcome.ok) throw new Error(outcome.error);
      members.push(outcome);
    }
    return { code, members };
  }

  it('renames a member: the results, rejoin code and token stay; the new name is claimed and the old one free', async () => {
    const store = open();
    const { code, members } = await classWith(store, 'Anna', 'Boris');
    const [anna, boris] = members;
    await store.recordResult(anna.member.id, 'rest', 'create-201', true, 5000);

    const renamed = await store.renameMember(code, anna.member.id, 'Анна К.');
    expect(renamed).toMatchObject({ ok: true, member: { id: anna.member.id, name: 'Анна К.', rejoinCode: anna.member.rejoinCode } });
    expect((await store.memberByToken(anna.token))?.name).toBe('Анна К.');
    expect((await store.results(anna.member.id)).map((result) => result.exercise)).toEqual(['create-201']);
    // the new name is hers: joining with it needs her rejoin code; the old one is free again
    expect(await store.join(code, 'анна к.', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
    expect(await store.join(code, 'Анна К.', anna.member.rejoinCode)).toMatchObject({ ok: true, rejoined: true, member: { id: anna.member.id } });
    expect(await store.join(code, 'Anna', null)).toMatchObject({ ok: true, rejoined: false });

    // another member's name is taken; a name of one's own in other letters is not
    expect(await store.renameMember(code, boris.member.id, 'АННА К.')).toEqual({ ok: false, error: 'NAME_TAKEN' });
    expect(await store.renameMember(code, boris.member.id, 'BORIS')).toMatchObject({ ok: true, member: { name: 'BORIS' } });
    expect(await store.memberCount(code)).toBe(3);
  });

  it('renames and removes only a member of the class named', async () => {
    const store = open();
    const { members } = await classWith(store, 'Anna');
    const other = await classWith(store, 'Zoe');
    expect(await store.renameMember(other.code, members[0].member.id, 'Mallory')).toEqual({ ok: false, error: 'NO_SUCH_MEMBER' });
    expect(await store.removeMember(other.code, members[0].member.id)).toBe(false);
    expect(await store.renameMember(other.code, 987654, 'Mallory')).toEqual({ ok: false, error: 'NO_SUCH_MEMBER' });
    expect((await store.memberByToken(members[0].token))?.name).toBe('Anna');
  });

  it('removes a member with the results and the token; the name can join again as somebody new', async () => {
    const store = open();
    const { code, members } = await classWith(store, 'Anna', 'Boris');
    const [anna, boris] = members;
    await store.recordResult(anna.member.id, 'rest', 'create-201', false);

    expect(await store.removeMember(code, anna.member.id)).toBe(true);
    expect(await store.removeMember(code, anna.member.id)).toBe(false);
    expect(await store.memberByToken(anna.token)).toBeNull();
    expect((await store.members(code)).map((member) => member.name)).toEqual(['Boris']);
    expect(await store.memberCount(code)).toBe(1);
    expect((await store.resultsOfClass(code)).has(anna.member.id)).toBe(false);
    expect(await store.results(anna.member.id)).toEqual([]);
    const again = await store.join(code, 'Anna', null);
    expect(again).toMatchObject({ ok: true, rejoined: false });
    if (again.ok) expect(again.member.id).not.toBe(anna.member.id);
    expect((await store.memberByToken(boris.token))?.name).toBe('Boris');
  });

  it('deletes a class with its members and results, and frees its place under the limit', async () => {
    const store = open();
    const { code, members } = await classWith(store, 'Anna', 'Boris');
    const kept = await classWith(store, 'Zoe');
    await store.recordResult(members[0].member.id, 'rest', 'create-201', true);

    expect((await store.deleteClass(code))?.sort()).toEqual(members.map(({ member }) => member.id).sort());
    expect(await store.deleteClass(code)).toBeNull();
    expect(await store.classByCode(code)).toBeNull();
    expect((await store.classes()).map((info) => info.code)).toEqual([kept.code]);
    expect(await store.members(code)).toEqual([]);
    for (const { token, member } of members) {
      expect(await store.memberByToken(token)).toBeNull();
      expect(await store.results(member.id)).toEqual([]);
    }
    expect(await store.join(code, 'Anna', null)).toEqual({ ok: false, error: 'NO_SUCH_CLASS' });
    expect((await store.memberByToken(kept.members[0].token))?.name).toBe('Zoe');
    expect(await store.deleteClass('NOSUCH')).toBeNull();

    // a full server makes room by deleting
    while ((await store.classes()).length < MAX_CLASSES) await store.createClass('Filler');
    expect(await store.createClass('One too many')).toBeNull();
    await store.deleteClass(kept.code);
    expect(await store.createClass('Fits again')).not.toBeNull();
  });
});
