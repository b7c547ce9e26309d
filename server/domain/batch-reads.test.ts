import { afterEach, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from './domain.ts';
import { ValidationError } from './errors.ts';

let domain: Domain;
afterEach(() => domain?.close());

/** The SQL statements one synchronous call executed. */
function statementsOf(action: () => unknown): number {
  const before = domain.statementsRun;
  action();
  return domain.statementsRun - before;
}

describe('batch reads', () => {
  it('reads many users in one statement, in id order, leaving out missing ids', () => {
    domain = createDomain({ file: ':memory:' });
    domain.ensureSandbox('shared');
    let users: ReturnType<Domain['users']['getMany']> = [];
    expect(statementsOf(() => (users = domain.users.getMany('shared', [3, 1, 999, 2])))).toBe(1);
    expect(users.map((u) => u.id)).toEqual([1, 2, 3]);
    expect(users[0]).toEqual(domain.users.get('shared', 1));
    expect(domain.users.getMany('shared', [])).toEqual([]);
  });

  it('reads many posts in one statement', () => {
    domain = createDomain({ file: ':memory:' });
    domain.ensureSandbox('shared');
    let ids: number[] = [];
    expect(statementsOf(() => (ids = domain.posts.getMany('shared', [7, 2, 404]).map((p) => p.id)))).toBe(1);
    expect(ids).toEqual([2, 7]);
  });

  it('reads the first posts of many authors in one statement, oldest first per author', () => {
    domain = createDomain({ file: ':memory:' });
    domain.ensureSandbox('shared');
    let posts: ReturnType<Domain['posts']['listByAuthors']> = [];
    expect(statementsOf(() => (posts = domain.posts.listByAuthors('shared', [2, 1, 9], 10)))).toBe(1);
    expect(posts.map((p) => [p.author_id, p.id])).toEqual([
      [1, 1],
      [1, 4],
      [1, 13],
      [2, 2],
      [2, 6],
      [2, 10],
      [2, 17],
    ]);
    expect(posts[0]).toEqual(domain.posts.get('shared', 1));
    expect(domain.posts.listByAuthors('shared', [1, 2], 2).map((p) => p.id)).toEqual([1, 4, 2, 6]);
    expect(() => domain.posts.listByAuthors('shared', [1], 0)).toThrow(ValidationError);
  });

  it('reads the first comments of many posts in one statement', () => {
    domain = createDomain({ file: ':memory:' });
    domain.ensureSandbox('shared');
    const byPost = (postId: number) => domain.comments.listByPost('shared', postId).map((c) => c.id);
    let ids: number[] = [];
    expect(statementsOf(() => (ids = domain.comments.listByPosts('shared', [5, 1, 4], 100).map((c) => c.id)))).toBe(1);
    expect(ids).toEqual([...byPost(1), ...byPost(5)]);
    expect(domain.comments.listByPosts('shared', [1], 1).map((c) => c.id)).toEqual(byPost(1).slice(0, 1));
  });

  it('keeps other sandboxes out of a batch', () => {
    domain = createDomain({ file: ':memory:' });
    domain.posts.create('other', { author_id: 1, title: 'Only in other', content: 'x' });
    expect(domain.posts.listByAuthors('shared', [1], 100).map((p) => p.title)).not.toContain('Only in other');
    expect(domain.posts.listByAuthors('other', [1], 100).map((p) => p.title)).toContain('Only in other');
  });
});

describe('statementsRun', () => {
  it('counts the statements a call executes and leaves sandbox bookkeeping out', () => {
    domain = createDomain({ file: ':memory:' });
    // The first use seeds the sandbox: dozens of inserts, none of them the caller's query.
    expect(statementsOf(() => domain.users.get('fresh', 1))).toBe(1);
    expect(statementsOf(() => domain.posts.listByCursor('fresh', { filter: { author_id: 1 }, limit: 10 }))).toBe(1);
    // A page with a total: COUNT(*) and the page itself.
    expect(statementsOf(() => domain.users.list('fresh', { limit: 5 }))).toBe(2);
    expect(statementsOf(() => domain.users.getMany('fresh', [1, 2, 3]))).toBe(1);
  });
});
