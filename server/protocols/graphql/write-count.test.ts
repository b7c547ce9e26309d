import { describe, expect, it } from 'vitest';
import { mutationFieldCount } from './write-count.ts';

describe('mutationFieldCount', () => {
  it('counts every top-level mutation field, aliases and batches included', () => {
    const create = (alias: string) => `${alias}: createUser(input: { name: "A", email: "a@example.com" }) { id }`;
    expect(mutationFieldCount([{ query: `mutation { ${create('a')} ${create('b')} ${create('c')} }` }])).toBe(3);
    expect(mutationFieldCount([{ query: `mutation { ${create('a')} }` }, { query: `mutation { ${create('b')} }` }])).toBe(2);
  });

  it('counts the operation that runs, and nothing for queries or garbage', () => {
    const document = 'query Read { user(id: 1) { id } } mutation Write { deleteUser(id: 1) }';
    expect(mutationFieldCount([{ query: document, operationName: 'Read' }])).toBe(0);
    expect(mutationFieldCount([{ query: document, operationName: 'Write' }])).toBe(1);
    expect(mutationFieldCount([{ query: '{ user(id: 1) { id } }' }, { query: 'mutation {' }, null, { query: 42 }])).toBe(0);
  });
});
