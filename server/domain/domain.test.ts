import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from './domain.ts';
import { ConflictError, InvalidCursorError, NotFoundError, ValidationError } from './errors.ts';
import type { DomainEvent } from './event-bus.ts';

let domain: Domain;
afterEach(() => domain?.close());

function fresh(now?: () => Date): Domain {
  domain = createDomain({ file: ':memory:', now });
  return domain;
}

function fieldsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('seed', () => {
  it('gives every sandbox the documented starting data', () => {
    const d = fresh();
    const ada = d.users.get('shared', 1);
    expect(ada).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      status: 'active',
      roles: ['admin', 'author'],
      metadata: { team: 'engines' },
      phone: '+44 20 7946 0001',
      version: 1,
    });
    expect(d.users.get('shared', 2).name).toBe('Alan Turing');
    expect(d.users.get('shared', 3).email).toBe('grace@example.com');
    expect(d.users.list('shared').total).toBe(12);
    expect(d.posts.list('shared').total).toBe(20);
    expect(d.posts.list('shared', { filter: { author_id: 1 } }).total).toBe(3);
    expect(d.posts.list('shared', { filter: { author_id: 2 } }).total).toBe(4);
    expect(d.users.list('shared', { filter: { status: 'inactive' } }).total).toBeGreaterThanOrEqual(2);
    expect(d.users.list('shared', { filter: { status: 'banned' } }).total).toBe(1);
  });

  it('keeps sandboxes apart', () => {
    const d = fresh();
    d.users.patch('a', 1, { name: 'Ada King' });
    expect(d.users.get('a', 1).name).toBe('Ada King');
    expect(d.users.get('b', 1).name).toBe('Ada Lovelace');
  });

  it('survives a restart when the database is a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-domain-'));
    try {
      const file = join(dir, 'data.sqlite');
      const first = createDomain({ file });
      const created = first.users.create('s1', { name: 'Kathleen Booth', email: 'kathleen@example.com' });
      first.close();
      domain = createDomain({ file });
      expect(domain.users.get('s1', created.id).name).toBe('Kathleen Booth');
      expect(domain.users.create('s1', { name: 'Next', email: 'next@example.com' }).id).toBe(created.id + 1);
    } finally {
      domain.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('users', () => {
  it('creates with defaults and bumps the version on every change', () => {
    const d = fresh();
    const user = d.users.create('s', { name: ' Kathleen Booth ', email: 'kathleen@example.com' });
    expect(user).toMatchObject({ id: 13, name: 'Kathleen Booth', status: 'active', roles: ['reader'], metadata: {}, phone: null, version: 1 });
    expect(d.users.patch('s', 13, { status: 'inactive' }).version).toBe(2);
    expect(
      d.users.replace('s', 13, { name: 'K. Booth', email: 'kb@example.com', status: 'active', roles: ['author'], metadata: {}, phone: null }).version,
    ).toBe(3);
  });

  it('never reuses the id of a deleted user', () => {
    const d = fresh();
    const first = d.users.create('s', { name: 'One', email: 'one@example.com' });
    d.users.delete('s', first.id);
    expect(d.users.create('s', { name: 'Two', email: 'two@example.com' }).id).toBe(first.id + 1);
  });

  it('refuses a duplicate email regardless of case', () => {
    const d = fresh();
    expect(() => d.users.create('s', { name: 'Ada 2', email: 'ADA@example.com' })).toThrow(ConflictError);
    expect(() => d.users.patch('s', 2, { email: 'Ada@Example.com' })).toThrow(ConflictError);
    // keeping one's own email is no conflict
    expect(d.users.patch('s', 1, { email: 'ADA@example.com' }).email).toBe('ADA@example.com');
  });

  it('validates every field and reports all problems at once', () => {
    const d = fresh();
    expect(fieldsOf(() => d.users.create('s', { name: '', email: 'nope', status: 'gone', roles: ['king'], phone: '12' }))).toEqual([
      'name',
      'email',
      'status',
      'roles/0',
      'phone',
    ]);
    expect(fieldsOf(() => d.users.replace('s', 1, { name: 'Ada' }))).toEqual(['email', 'status', 'roles', 'metadata', 'phone']);
    const tooMuch = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    expect(fieldsOf(() => d.users.create('s', { name: 'M', email: 'm@example.com', metadata: tooMuch }))).toEqual(['metadata']);
    expect(fieldsOf(() => d.users.create('s', { name: 'x'.repeat(101), email: 'x@example.com' }))).toEqual(['name']);
    expect(fieldsOf(() => d.users.patch('s', 1, { name: null }))).toEqual(['name']);
  });

  it('merges metadata in a patch and removes keys set to null', () => {
    const d = fresh();
    const user = d.users.patch('s', 4, { metadata: { city: null, lab: 'ВЦ СО АН' }, phone: null });
    expect(user.metadata).toEqual({ team: 'compilers', lab: 'ВЦ СО АН' });
    expect(user.phone).toBeNull();
  });

  it('throws NotFoundError for a missing user', () => {
    const d = fresh();
    expect(() => d.users.get('s', 999)).toThrow(NotFoundError);
    expect(() => d.users.delete('s', 999)).toThrow(NotFoundError);
  });

  it('deleting a user deletes their posts and comments', () => {
    const d = fresh();
    d.users.delete('s', 1);
    expect(d.posts.list('s', { filter: { author_id: 1 } }).total).toBe(0);
    expect(d.comments.listByPost('s', 2).some((c) => c.author_id === 1)).toBe(false);
  });
});

describe('listing', () => {
  it('filters by status, role and a case-insensitive search that folds Cyrillic', () => {
    const d = fresh();
    expect(d.users.list('s', { filter: { q: 'ЕРШОВ' } }).items.map((u) => u.id)).toEqual([4]);
    expect(d.users.list('s', { filter: { q: 'LOVELACE' } }).items.map((u) => u.id)).toEqual([1]);
    expect(d.users.list('s', { filter: { q: 'EXAMPLE.COM' } }).total).toBe(12);
    expect(d.users.list('s', { filter: { role: 'admin' } }).items.map((u) => u.id)).toEqual([1, 5]);
    expect(
      d.users.list('s', { filter: { status: 'active', role: 'reviewer' } }).items.every((u) => u.status === 'active' && u.roles.includes('reviewer')),
    ).toBe(true);
  });

  it('pages with a total and sorts with id as the tiebreaker', () => {
    const d = fresh();
    const page2 = d.users.list('s', { page: 2, limit: 5 });
    expect(page2).toMatchObject({ page: 2, limit: 5, total: 12 });
    expect(page2.items.map((u) => u.id)).toEqual([6, 7, 8, 9, 10]);
    const byNameDesc = d.users.list('s', { sort: [{ field: 'name', direction: 'desc' }], limit: 100 }).items.map((u) => u.name);
    expect(byNameDesc).toEqual([...byNameDesc].sort().reverse());
    expect(() => d.users.list('s', { limit: 101 })).toThrow(ValidationError);
    expect(() => d.users.list('s', { sort: [{ field: 'phone' as never, direction: 'asc' }] })).toThrow(ValidationError);
  });

  it('walks every row exactly once with cursors, in any order', () => {
    const d = fresh();
    for (const sort of [undefined, [{ field: 'created_at' as const, direction: 'desc' as const }], [{ field: 'name' as const, direction: 'asc' as const }]]) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = d.users.listByCursor('s', { sort, limit: 5, cursor });
        seen.push(...page.items.map((u) => u.id));
        cursor = page.next_cursor;
      } while (cursor);
      const expected = d.users.list('s', { sort, limit: 100 }).items.map((u) => u.id);
      expect(seen).toEqual(expected);
    }
  });

  it('does not skip a row when an earlier one is deleted between pages', () => {
    const d = fresh();
    const first = d.users.listByCursor('s', { limit: 5 });
    d.users.delete('s', 2);
    const second = d.users.listByCursor('s', { limit: 5, cursor: first.next_cursor });
    expect(second.items.map((u) => u.id)).toEqual([6, 7, 8, 9, 10]);
  });

  it('rejects a forged cursor and a cursor of another order', () => {
    const d = fresh();
    expect(() => d.users.listByCursor('s', { cursor: 'garbage' })).toThrow(InvalidCursorError);
    const cursor = d.users.listByCursor('s', { limit: 2 }).next_cursor;
    expect(() => d.users.listByCursor('s', { cursor, sort: [{ field: 'name', direction: 'asc' }] })).toThrow(InvalidCursorError);
  });
});

describe('posts and comments', () => {
  it('checks that the author exists', () => {
    const d = fresh();
    expect(fieldsOf(() => d.posts.create('s', { author_id: 99, title: 'T', content: 'C' }))).toEqual(['author_id']);
    const post = d.posts.create('s', { author_id: 3, title: 'COBOL', content: 'English-like' });
    expect(post).toMatchObject({ id: 21, author_id: 3, version: 1 });
    expect(d.posts.patch('s', 21, { title: 'FLOW-MATIC' })).toMatchObject({ title: 'FLOW-MATIC', content: 'English-like', version: 2 });
  });

  it('lists and adds comments of a post', () => {
    const d = fresh();
    expect(d.comments.listByPost('s', 1).map((c) => c.id)).toEqual([1, 2]);
    const comment = d.comments.create('s', 1, { author_id: 4, content: 'Браво!' });
    expect(comment).toMatchObject({ id: 16, post_id: 1 });
    expect(() => d.comments.create('s', 999, { author_id: 4, content: 'x' })).toThrow(NotFoundError);
    expect(fieldsOf(() => d.comments.create('s', 1, { content: '' }))).toEqual(['author_id', 'content']);
  });
});

describe('sandboxes and events', () => {
  it('emits one event per change, filtered by sandbox, and replays recent ones', () => {
    const d = fresh();
    const all: DomainEvent[] = [];
    const mine: DomainEvent[] = [];
    const stopAll = d.events.subscribe((e) => all.push(e));
    d.events.subscribe((e) => mine.push(e), { sandboxId: 'a' });
    const user = d.users.create('a', { name: 'Kathleen Booth', email: 'kathleen@example.com' });
    d.users.patch('b', 1, { status: 'inactive' });
    d.users.delete('a', user.id);
    d.resetSandbox('a');
    stopAll();
    d.posts.create('a', { author_id: 1, title: 'T', content: 'C' });
    expect(all.map((e) => `${e.type}@${e.sandboxId}`)).toEqual(['user.created@a', 'user.updated@b', 'user.deleted@a', 'sandbox.reset@a']);
    expect(mine.map((e) => e.type)).toEqual(['user.created', 'user.deleted', 'sandbox.reset', 'post.created']);
    expect(all[0].data).toMatchObject({ id: 13, name: 'Kathleen Booth' });
    expect(all[2].data).toEqual({ id: 13 });
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(d.events.since(all[1].id, 'a').map((e) => e.type)).toEqual(['user.deleted', 'sandbox.reset', 'post.created']);
  });

  it('a failing listener does not break the change', () => {
    const d = fresh();
    d.events.subscribe(() => {
      throw new Error('socket gone');
    });
    expect(d.users.patch('s', 1, { name: 'Ada' }).name).toBe('Ada');
  });

  it('reset brings back the seed', () => {
    const d = fresh();
    d.users.delete('s', 1);
    d.users.create('s', { name: 'New', email: 'new@example.com' });
    d.resetSandbox('s');
    expect(d.users.get('s', 1).name).toBe('Ada Lovelace');
    expect(d.users.list('s').total).toBe(12);
    expect(d.users.create('s', { name: 'New', email: 'new@example.com' }).id).toBe(13);
  });

  it('prunes idle sandboxes and the least recently used beyond the maximum, never shared', () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const d = fresh(() => new Date(clock));
    d.ensureSandbox('shared');
    d.ensureSandbox('old');
    clock += 2 * 3_600_000;
    d.ensureSandbox('mid');
    clock += 120_000;
    d.ensureSandbox('new');
    clock += 120_000;
    expect(d.pruneSandboxes({ idleMs: 3_600_000, max: 1 }).sort()).toEqual(['mid', 'old']);
    expect(d.pruneSandboxes({ idleMs: 0, max: 10 })).toEqual(['new']);
    // a pruned sandbox comes back seeded when used again
    expect(d.users.get('old', 1).name).toBe('Ada Lovelace');
    expect(d.users.get('shared', 1).name).toBe('Ada Lovelace');
  });

  it('prunes sandboxes never used after their first minute sooner, and beyond the maximum before a student’s', () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const d = fresh(() => new Date(clock));
    d.ensureSandbox('student');
    clock += 5 * 60_000;
    d.users.get('student', 1); // used again after its first minute
    for (let i = 0; i < 5; i++) {
      clock += 60_000;
      d.ensureSandbox(`script-${i}`);
    }
    expect(d.sandboxExists('script-0')).toBe(true);
    expect(d.sandboxExists('never-made')).toBe(false);
    // Beyond a maximum of 3: the one-shot sandboxes go first, newest or not.
    expect(d.pruneSandboxes({ idleMs: 7 * 24 * 3_600_000, max: 3 }).sort()).toEqual(['script-0', 'script-1', 'script-2']);
    clock += 2 * 3_600_000;
    // Idle for 2 h: the one-shot ones go after 1 h, the student's sandbox stays.
    expect(d.pruneSandboxes({ idleMs: 7 * 24 * 3_600_000, oneShotIdleMs: 3_600_000, max: 100 }).sort()).toEqual(['script-3', 'script-4']);
    expect(d.sandboxExists('student')).toBe(true);
    expect(d.sandboxExists('script-3')).toBe(false);
  });

  it('rejects an invalid sandbox id', () => {
    const d = fresh();
    expect(() => d.ensureSandbox('../etc')).toThrow(ValidationError);
    expect(() => d.ensureSandbox('x'.repeat(65))).toThrow(ValidationError);
  });
});
