import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../wire/types.ts';
import type { Check } from '../../contracts/exercise-checks/check-types.ts';
import { evaluateCheck } from '../../contracts/exercise-checks/evaluate-check.ts';
import { messageOwner, trafficOfCell, withOwner, type CellOwners } from './cell-traffic.ts';
import { exchange, sketchTree } from '../../contracts/exercise-checks/exchange-sketch.ts';

// lessons/10-graphql: "create-post"
const createPost: Check = {
  type: 'exchange',
  request: { method: 'POST', path: '^/graphql$' },
  response: { status: 200, bodyJson: { data: { createPost: {} } } },
};
// the GraphQL editors' schema introspection: the page's own POST /graphql, on the same keep-alive connection
const introspection = exchange({
  conn: 'c1',
  index: 0,
  at: 1,
  method: 'POST',
  target: '/graphql',
  requestBody: '{"query":"query IntrospectionQuery { __schema { types { name } } }"}',
  status: 200,
  responseBody: '{"data":{"__schema":{"types":[]}}}',
});
const created = exchange({
  conn: 'c1',
  index: 1,
  at: 2,
  method: 'POST',
  target: '/graphql',
  requestBody: '{"query":"mutation { createPost(title: \\"x\\") { id } }"}',
  status: 200,
  responseBody: '{"data":{"createPost":{"id":"7"}}}',
});
const wrongMutation = exchange({
  conn: 'c1',
  index: 2,
  at: 3,
  method: 'POST',
  target: '/graphql',
  requestBody: '{"query":"{ posts { id } }"}',
  status: 200,
  responseBody: '{"data":{"posts":[]}}',
});

const message = (conn: string, group: string | undefined): WireMessage => ({
  conn,
  index: 0,
  dir: 'out',
  layer: 'ws-frame',
  summary: '',
  at: 1,
  range: { start: 0, end: 0 },
  tree: sketchTree,
  ...(group ? { group } : {}),
});

describe('cell traffic', () => {
  it('gives an exercise no miss for the page’s own request (the old code evaluated every capture: a miss)', () => {
    const owners: CellOwners = new Map();
    // what the card used to evaluate: everything captured since the lesson opened
    expect(evaluateCheck(createPost, [introspection]).passed).toBe(false);
    const own = trafficOfCell(owners, 'create-post', [introspection], []);
    expect(own.exchanges).toEqual([]);
    const result = evaluateCheck(createPost, own.exchanges, undefined, own.messages);
    expect(result.passed ? null : result.miss.kind).toBe('no-request');
  });

  it('gives an exercise the misses of its own cell only, not of another exercise’s cell', () => {
    let owners: CellOwners = new Map();
    owners = withOwner(owners, wrongMutation, 'first-query');
    const all = [introspection, wrongMutation];
    expect(evaluateCheck(createPost, trafficOfCell(owners, 'create-post', all, []).exchanges).passed).toBe(false);
    expect(trafficOfCell(owners, 'create-post', all, []).exchanges).toEqual([]);
    owners = withOwner(owners, created, 'create-post');
    const own = trafficOfCell(owners, 'create-post', [...all, created], []);
    expect(own.exchanges).toEqual([created]);
    expect(evaluateCheck(createPost, own.exchanges).passed).toBe(true);
  });

  it('gives a message the cell of the exchange it came in or upgraded from, or of a connection one cell alone used', () => {
    let owners: CellOwners = new Map();
    owners = withOwner(owners, { conn: 'ws', index: 0 }, 'echo');
    owners = withOwner(owners, { conn: 'h2', index: 0 }, 'get-user');
    owners = withOwner(owners, { conn: 'h2', index: 1 }, 'get-user');
    owners = withOwner(owners, { conn: 'shared', index: 0 }, 'a');
    owners = withOwner(owners, { conn: 'shared', index: 1 }, 'b');
    expect(messageOwner(owners, message('ws', 'websocket 0'))).toBe('echo');
    expect(messageOwner(owners, message('ws', 'exchange 1'))).toBeUndefined();
    expect(messageOwner(owners, message('h2', 'stream 3'))).toBe('get-user');
    expect(messageOwner(owners, message('shared', 'stream 1'))).toBeUndefined();
    expect(messageOwner(owners, message('elsewhere', undefined))).toBeUndefined();
    expect(trafficOfCell(owners, undefined, [], [message('ws', 'websocket 0')]).messages).toEqual([]);
  });
});
