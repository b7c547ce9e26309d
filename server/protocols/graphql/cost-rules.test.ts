import { describe, expect, it } from 'vitest';
import { graphql } from './graphql-runtime.ts';
import { aliasLimitRule, costLimitRule } from './cost-rules.ts';
import { SCHEMA } from './schema.ts';

const schema = graphql.buildSchema(SCHEMA);
const limits = { maxCost: 100, maxAliases: 3, firstMax: 100 };

function errorsOf(query: string) {
  return graphql.validate(schema, graphql.parse(query), [costLimitRule(limits), aliasLimitRule(limits)]);
}

function costOf(query: string): number {
  const [error] = graphql.validate(schema, graphql.parse(query), [costLimitRule({ ...limits, maxCost: -1 })]);
  return error.extensions.cost as number;
}

describe('operation cost', () => {
  it('counts every field once and a first: n selection n times', () => {
    expect(costOf('{ user(id: 1) { name email } }')).toBe(3);
    expect(costOf('{ users(first: 10) { nodes { name posts(first: 5) { title } } } }')).toBe(81);
    // The schema's default first: 10 applies when the argument is absent.
    expect(costOf('{ user(id: 1) { posts { title } } }')).toBe(1 + 1 + 10);
  });

  it('prices a variable at its default, or at the most it could carry', () => {
    expect(costOf('query($n: Int = 2) { user(id: 1) { posts(first: $n) { title } } }')).toBe(1 + 1 + 2);
    expect(costOf('query($n: Int) { user(id: 1) { posts(first: $n) { title } } }')).toBe(1 + 1 + 100);
  });

  it('prices fragments and inline fragments like the fields they stand for', () => {
    const inline = costOf('{ users(first: 2) { nodes { name posts(first: 3) { title } } } }');
    expect(costOf('{ users(first: 2) { nodes { ...U } } } fragment U on User { name posts(first: 3) { ...P } } fragment P on Post { title }')).toBe(inline);
    expect(costOf('{ users(first: 2) { nodes { ... on User { name posts(first: 3) { title } } } } }')).toBe(inline);
  });

  it('prices a fragment once however often it is spread, so pricing stays cheap', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on User { ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : 'name'} }`).join(' ');
    // 2^30 fields if expanded: refused, and computed without expanding.
    const [error] = errorsOf(`{ user(id: 1) { ...F0 } } ${fragments}`);
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 1 + 2 ** (levels - 1) });
  });

  it('refuses past the limit with the operation’s location', () => {
    const [error] = errorsOf('query Big { users(first: 100) { nodes { name } } }');
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 201, limit: 100 });
    expect(error.locations).toEqual([{ line: 1, column: 1 }]);
    expect((error.extensions.localized as { ru: string }).ru).toContain('201');
  });

  it('survives a fragment cycle (another rule reports it)', () => {
    const errors = graphql.validate(schema, graphql.parse('{ user(id: 1) { ...A } } fragment A on User { ...B } fragment B on User { ...A }'), [
      costLimitRule(limits),
    ]);
    expect(errors).toEqual([]);
  });
});

describe('aliases', () => {
  it('allows up to the limit and names the first alias past it', () => {
    expect(errorsOf('{ a: user(id: 1) { id } b: user(id: 2) { id } c: user(id: 3) { id } }')).toEqual([]);
    const query = '{ a: user(id: 1) { id } b: user(id: 2) { id } c: user(id: 3) { id } d: user(id: 4) { x: id } }';
    const errors = errorsOf(query);
    expect(errors).toHaveLength(1);
    expect(errors[0].extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', limit: 3 });
    expect(errors[0].locations).toEqual([{ line: 1, column: query.indexOf('d: user') + 1 }]);
  });
});
