import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { serverChecksStoreCases } from './server-checks-store-cases.ts';
import { SqliteClassroomStore } from './sqlite-classroom-store.ts';

const stores: SqliteClassroomStore[] = [];
const open = (file = ':memory:') => {
  const store = new SqliteClassroomStore(file);
  stores.push(store);
  return store;
};
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe('SqliteClassroomStore', () => {
  it('binds a member\'s browser session and keeps their latest "check my server" run per protocol', async () => {
    const store = open();
    await serverChecksStoreCases(store, store);
  });

  it('keeps one teacher key per database unless one is given', () => {
    const store = open();
    const key = store.teacherKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(store.teacherKey()).toBe(key);
    expect(store.teacherKey('from-env')).toBe('from-env');
  });

  it('gives a name to the first student; the same name needs the rejoin code', () => {
    const store = open();
    const { code } = store.createClass('Seminar 3')!;
    const first = store.join(code, 'Анна', null);
    expect(first.ok && !first.rejoined).toBe(true);
    if (!first.ok) return;
    expect(store.join(code, 'анна', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
    expect(store.join(code, 'Анна', 'WRONG1')).toEqual({ ok: false, error: 'NAME_TAKEN' });
    const again = store.join(code, 'АННА', first.member.rejoinCode.toLowerCase());
    expect(again.ok && again.rejoined && again.member.id === first.member.id).toBe(true);
    // the new browser's token works, the old one no longer does
    if (again.ok) expect(store.memberByToken(again.token)?.id).toBe(first.member.id);
    expect(store.memberByToken(first.token)).toBeNull();
    expect(store.join('XXXXXX', 'Bob', null)).toEqual({ ok: false, error: 'NO_SUCH_CLASS' });
  });

  it('counts attempts until the first pass and keeps the pass', () => {
    const store = open();
    const { code } = store.createClass('A')!;
    const joined = store.join(code, 'Bob', null);
    if (!joined.ok) throw new Error('join failed');
    const id = joined.member.id;
    store.recordResult(id, '01-rest', 'get-user', false, 1000);
    store.recordResult(id, '01-rest', 'get-user', false, 2000);
    const pass = store.recordResult(id, '01-rest', 'get-user', true, 3000);
    expect(pass).toEqual({ ok: true, changed: true, result: { lesson: '01-rest', exercise: 'get-user', attempts: 3, passedMs: 3000, lastMs: 3000 } });
    const later = store.recordResult(id, '01-rest', 'get-user', false, 4000);
    expect(later.ok && !later.changed && later.result.attempts === 3).toBe(true);
    expect(store.results(id)).toHaveLength(1);
  });

  it('keeps classes, members and results in the file across a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-class-'));
    try {
      const file = join(dir, 'wirelab.sqlite');
      const first = open(file);
      const key = first.teacherKey();
      const { code } = first.createClass('Evening')!;
      const joined = first.join(code, 'Chen', null);
      if (!joined.ok) throw new Error('join failed');
      first.recordResult(joined.member.id, '02-graphql', 'first-query', true, 5000);
      first.close();
      stores.splice(stores.indexOf(first), 1);
      const second = open(file);
      expect(second.teacherKey()).toBe(key);
      expect(second.classes().map((c) => c.code)).toEqual([code]);
      expect(second.memberByToken(joined.token)?.name).toBe('Chen');
      expect(second.results(joined.member.id)[0]?.passedMs).toBe(5000);
    } finally {
      for (const store of stores.splice(0)) store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a name that looks like a taken one ("Вob" with a Cyrillic В beside "Bob") without its rejoin code', () => {
    const store = open();
    const { code } = store.createClass('Seminar 4')!;
    const bob = store.join(code, 'Bob', null);
    expect(store.join(code, 'Вob', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
    if (bob.ok) expect(store.join(code, 'Вob', bob.member.rejoinCode)).toMatchObject({ ok: true, rejoined: true });
  });

  it('moves a file made before the skeleton to it on open: members keep working, look-alikes already in stay both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'classroom-keys-'));
    try {
      const file = join(dir, 'wirelab.db');
      const first = new SqliteClassroomStore(file);
      const { code } = first.createClass('Before')!;
      const bob = first.join(code, 'Bob', null);
      const anna = first.join(code, 'Анна', null);
      first.close();
      // What the older release kept: lowercase keys, and a look-alike it let in; no version.
      const raw = new Database(file);
      raw.prepare(`UPDATE classroom_members SET name_key = lower(name)`).run();
      raw.prepare(`UPDATE classroom_members SET name_key = 'анна' WHERE name = 'Анна'`).run();
      raw
        .prepare(
          `INSERT INTO classroom_members (class_code, name, name_key, rejoin_code, token_hash, joined_ms, last_active_ms) VALUES (?, 'Вob', 'вob', 'ABCDEF', 'x', 1, 1)`,
        )
        .run(code);
      raw.prepare(`DELETE FROM classroom_settings WHERE name = 'name_key_version'`).run();
      raw.close();

      const store = open(file);
      expect(
        store
          .members(code)
          .map((member) => member.name)
          .sort(),
      ).toEqual(['Bob', 'Вob', 'Анна'].sort());
      expect(store.join(code, 'BOB', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
      expect(store.join(code, 'АННА', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
      if (bob.ok && anna.ok) {
        expect(store.join(code, 'bob', bob.member.rejoinCode)).toMatchObject({ ok: true, rejoined: true, member: { id: bob.member.id } });
        expect(store.join(code, 'анна', anna.member.rejoinCode)).toMatchObject({ ok: true, rejoined: true, member: { id: anna.member.id } });
      }
      expect(store.join(code, 'Bоb', null)).toEqual({ ok: false, error: 'NAME_TAKEN' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
