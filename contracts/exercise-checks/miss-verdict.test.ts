import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../wire/types.ts';
import type { Check } from './check-types.ts';
import { exchange, sketchTree as tree } from './exchange-sketch.ts';
import { judgeMiss } from './miss-verdict.ts';

// Which reported misses the server counts (issue 51): an attempt it captured that was wrong for the
// exercise's question, judged on what had crossed up to it.

const deleteTwice: Check = {
  type: 'sequence',
  steps: [
    { request: { method: 'DELETE', path: '^/api/v1/users/\\d+$' }, response: { status: 204 } },
    { request: { method: 'DELETE', path: '^/api/v1/users/\\d+$' }, response: { status: 404 } },
  ],
};
const clientClose: Check = {
  type: 'message-sequence',
  steps: [
    { layer: 'ws-frame', dir: 'in', fields: { opcode: 'close' } },
    { layer: 'ws-frame', dir: 'out', fields: { opcode: 'close' } },
  ],
};
const lastName: Check = {
  type: 'answer',
  exchange: { request: { method: 'GET', path: '^/api/v2/users/\\d+$' }, response: { status: 200 } },
  expect: { from: 'response-json', path: 'data.name.last' },
};

const frame = (index: number, at: number, dir: 'in' | 'out', fields: WireMessage['fields']): WireMessage => ({
  conn: 'ws',
  index,
  dir,
  layer: 'ws-frame',
  summary: '',
  at,
  range: { start: 0, end: 0 },
  tree,
  fields,
});

describe('judgeMiss', () => {
  it('counts nothing for a step the exercise requires done right: the first DELETE waits for the second', () => {
    const first = exchange({ conn: 'c1', at: 1, method: 'DELETE', target: '/api/v1/users/12', status: 204 });
    expect(judgeMiss(deleteTwice, { exchanges: [first], messages: [] }, undefined, null)).toEqual({ counted: false, why: 'unfinished' });
  });

  it('counts a wrong attempt once it is the miss itself, with what it was', () => {
    const wrong = exchange({ conn: 'c1', at: 1, method: 'DELETE', target: '/api/v1/users/999', status: 404 });
    expect(judgeMiss(deleteTwice, { exchanges: [wrong], messages: [] }, undefined, { conn: 'c1', index: 0 })).toEqual({
      counted: true,
      miss: { kind: 'response-differs', request: 'DELETE /api/v1/users/999', status: 404, differs: 'status' },
    });
  });

  it('judges an attempt on what came before it: an exchange that held a step is no miss, one the server never saw is not reached', () => {
    const first = exchange({ conn: 'c1', index: 0, at: 1, method: 'DELETE', target: '/api/v1/users/12', status: 204 });
    const traffic = { exchanges: [first], messages: [] };
    expect(judgeMiss(deleteTwice, traffic, undefined, { conn: 'c1', index: 0 })).toEqual({ counted: false, why: 'unfinished' });
    expect(judgeMiss(deleteTwice, traffic, undefined, { conn: 'c1', index: 7 })).toEqual({ counted: false, why: 'not-reached' });
    const again = exchange({ conn: 'c1', index: 1, at: 2, method: 'DELETE', target: '/api/v1/users/12', status: 404 });
    expect(judgeMiss(deleteTwice, { exchanges: [first, again], messages: [] }, undefined, { conn: 'c1', index: 0 })).toEqual({
      counted: false,
      why: 'passed',
    });
  });

  it('counts no close an earlier exchange left on a shared console: too few messages is no wrong one', () => {
    // the server closed 1009, the console answered: "client close" sees a client close answered by nothing after it
    const messages = [frame(0, 1, 'out', { opcode: 'close', closeCode: 1009 }), frame(1, 2, 'in', { opcode: 'close', closeCode: 1009 })];
    expect(judgeMiss(clientClose, { exchanges: [], messages }, undefined, null)).toEqual({ counted: false, why: 'unfinished' });
    expect(judgeMiss(clientClose, { exchanges: [], messages }, undefined, { conn: 'ws', index: 1, message: true })).toEqual({
      counted: false,
      why: 'unfinished',
    });
  });

  it('counts a typed answer only when typed and wrong for the exchange it is read from', () => {
    const read = exchange({ conn: 'c2', at: 1, method: 'GET', target: '/api/v2/users/1', status: 200, responseBody: '{"data":{"name":{"last":"Hopper"}}}' });
    const traffic = { exchanges: [read], messages: [] };
    expect(judgeMiss(lastName, traffic, undefined, { conn: 'c2', index: 0 })).toEqual({ counted: false, why: 'no-answer' });
    expect(judgeMiss(lastName, traffic, 'Lovelace', { conn: 'c2', index: 0 })).toEqual({
      counted: true,
      miss: { kind: 'wrong-answer', request: 'GET /api/v2/users/1', status: 200 },
    });
    expect(judgeMiss(lastName, traffic, 'Hopper', { conn: 'c2', index: 0 })).toEqual({ counted: false, why: 'passed' });
  });

  it('counts no exchange that is not what the check asks about (another cell’s request on the same connection)', () => {
    const other = exchange({ conn: 'c3', index: 0, at: 1, method: 'GET', target: '/api/v1/users', status: 200 });
    const read = exchange({ conn: 'c3', index: 1, at: 2, method: 'GET', target: '/api/v2/users/1', status: 404 });
    expect(judgeMiss(lastName, { exchanges: [other, read], messages: [] }, 'Hopper', { conn: 'c3', index: 0 })).toEqual({
      counted: false,
      why: 'unfinished',
    });
    expect(judgeMiss(lastName, { exchanges: [other, read], messages: [] }, 'Hopper', { conn: 'c3', index: 1 })).toMatchObject({
      counted: true,
      miss: { kind: 'response-differs', status: 404 },
    });
  });

  it('counts no run of "check my server" that has not fixed the student’s server yet: lesson 15 needs a failing run first', () => {
    const run = exchange({
      conn: 'c4',
      at: 1,
      method: 'POST',
      target: '/_wirelab/own-server/checks',
      requestBody: '{"protocol":"rest","target":"127.0.0.1:8000"}',
      status: 200,
      responseBody: '{"protocol":"rest","exercise":{"passed":false,"fixed":[]}}',
    });
    const fixed: Check = { type: 'own-server-fixed', protocol: 'rest' };
    expect(judgeMiss(fixed, { exchanges: [run], messages: [] }, undefined, { conn: 'c4', index: 0 })).toEqual({ counted: false, why: 'unfinished' });
  });

  it('counts a typed answer that differs from the message it is read from, named as a message', () => {
    const pingLength: Check = { type: 'message-answer', match: { layer: 'ws-frame', dir: 'in', fields: { opcode: 'text' } }, field: 'length' };
    const messages = [frame(0, 1, 'in', { opcode: 'text', length: 5 }), frame(1, 2, 'out', { opcode: 'text', length: 5 })];
    const named = { conn: 'ws', index: 0, message: true } as const;
    expect(judgeMiss(pingLength, { exchanges: [], messages }, '6', named)).toEqual({ counted: true, miss: { kind: 'wrong-message-answer' } });
    // the server's echo is not the frame the answer is read from
    expect(judgeMiss(pingLength, { exchanges: [], messages }, '6', { conn: 'ws', index: 1, message: true })).toEqual({
      counted: false,
      why: 'not-this-question',
    });
    expect(judgeMiss(pingLength, { exchanges: [], messages }, '6', { conn: 'ws', index: 0 })).toEqual({ counted: false, why: 'not-reached' });
  });
});
