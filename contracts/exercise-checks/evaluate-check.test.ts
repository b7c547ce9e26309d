import { describe, expect, it } from 'vitest';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { containsJson, evaluateCheck, type Check } from './evaluate-check.ts';
import { exchange, sketchTree as tree, type Sketch } from './exchange-sketch.ts';

const createUser: Check = {
  type: 'exchange',
  request: { method: 'POST', path: '^/api/v1/users$' },
  response: { status: 201 },
};

describe('exchange checks', () => {
  it('passes when some exchange matches request and response', () => {
    const traffic = [
      exchange({ at: 1, method: 'GET', target: '/api/v1/users', status: 200 }),
      exchange({ at: 2, method: 'POST', target: '/api/v1/users', status: 201 }),
    ];
    expect(evaluateCheck(createUser, traffic)).toMatchObject({ passed: true, exchanges: [traffic[1]] });
  });

  it('says nothing was sent when no request matches', () => {
    const result = evaluateCheck(createUser, [exchange({ at: 1, method: 'POST', target: '/api/v1/posts', status: 201 })]);
    expect(result).toEqual({ passed: false, miss: { kind: 'no-request', expected: createUser.request, step: undefined } });
  });

  it('names the status the newest matching request got', () => {
    const older = exchange({ at: 1, method: 'POST', target: '/api/v1/users', status: 400 });
    const newer = exchange({ at: 2, method: 'POST', target: '/api/v1/users', status: 422 });
    const result = evaluateCheck(createUser, [newer, older]);
    expect(result).toMatchObject({
      passed: false,
      miss: { kind: 'response-differs', exchange: newer, difference: { what: 'status', got: 422, expected: [201] } },
    });
  });

  it('waits for a response that has not arrived', () => {
    const result = evaluateCheck(createUser, [exchange({ at: 1, method: 'POST', target: '/api/v1/users' })]);
    expect(result).toMatchObject({ passed: false, miss: { kind: 'response-differs', difference: { what: 'no-response' } } });
  });

  it('matches the path as a regular expression over the path without the query', () => {
    const check: Check = { type: 'exchange', request: { method: 'GET', path: '^/api/v1/users$', query: { cursor: true } } };
    expect(evaluateCheck(check, [exchange({ at: 1, method: 'GET', target: '/api/v1/users?limit=2', status: 200 })]).passed).toBe(false);
    expect(evaluateCheck(check, [exchange({ at: 1, method: 'GET', target: '/api/v1/users?cursor=abc', status: 200 })]).passed).toBe(true);
  });

  it('matches query values and request headers by regular expression, header names in any case', () => {
    const check: Check = {
      type: 'exchange',
      request: { query: { limit: '^[0-9]+$' }, headers: { 'if-none-match': '^"' } },
    };
    const withHeader = exchange({ at: 1, method: 'GET', target: '/x?limit=5', requestHeaders: [['If-None-Match', '"v1"']], status: 304 });
    const badQuery = exchange({ at: 1, method: 'GET', target: '/x?limit=five', requestHeaders: [['If-None-Match', '"v1"']], status: 304 });
    expect(evaluateCheck(check, [withHeader]).passed).toBe(true);
    expect(evaluateCheck(check, [badQuery]).passed).toBe(false);
  });

  it('checks response headers and reports the one missing', () => {
    const check: Check = { type: 'exchange', request: { method: 'GET' }, response: { status: 200, headers: { etag: true } } };
    const result = evaluateCheck(check, [exchange({ at: 1, method: 'GET', target: '/a', status: 200 })]);
    expect(result).toMatchObject({ passed: false, miss: { kind: 'response-differs', difference: { what: 'header', name: 'etag', got: null } } });
  });

  it('matches a subset of the JSON bodies', () => {
    const check: Check = {
      type: 'exchange',
      request: { method: 'POST', bodyJson: { name: 'Ada' } },
      response: { status: [400, 422], bodyJson: { errors: [{ field: 'email' }] } },
    };
    const good = exchange({
      at: 1,
      method: 'POST',
      target: '/api/v1/users',
      requestBody: '{"name":"Ada","email":"nope"}',
      status: 422,
      responseBody: '{"title":"Invalid","errors":[{"field":"email","message":"bad"}]}',
    });
    const otherField = exchange({ ...sketchOf(good), responseBody: '{"errors":[{"field":"name"}]}' });
    expect(evaluateCheck(check, [good]).passed).toBe(true);
    expect(evaluateCheck(check, [otherField])).toMatchObject({ passed: false, miss: { difference: { what: 'body' } } });
  });
});

function sketchOf(e: HttpExchange): Sketch {
  return {
    at: e.request.firstByteAt,
    method: e.request.method,
    target: e.request.target,
    requestBody: new TextDecoder().decode(e.request.body),
    status: e.response?.status,
  };
}

describe('sequence checks', () => {
  const conditional: Check = {
    type: 'sequence',
    steps: [
      { request: { method: 'GET', path: '^/api/v1/users/1$' }, response: { status: 200, headers: { etag: true } } },
      { request: { method: 'GET', path: '^/api/v1/users/1$', headers: { 'if-none-match': true } }, response: { status: 304 } },
    ],
  };
  const withEtag = (at: number) => exchange({ at, method: 'GET', target: '/api/v1/users/1', status: 200, responseHeaders: [['etag', '"v1"']] });
  const revalidated = (at: number) => exchange({ at, method: 'GET', target: '/api/v1/users/1', requestHeaders: [['if-none-match', '"v1"']], status: 304 });

  it('passes when the steps happened in order', () => {
    expect(evaluateCheck(conditional, [revalidated(2), withEtag(1)]).passed).toBe(true);
  });

  it('fails when the steps happened in the wrong order, naming the missing step', () => {
    expect(evaluateCheck(conditional, [revalidated(1), withEtag(2)])).toMatchObject({ passed: false, miss: { kind: 'no-request', step: 1 } });
  });
});

describe('answer checks', () => {
  const bodyOffset: Check = {
    type: 'answer',
    exchange: { request: { method: 'POST', path: '^/api/v1/users$' } },
    expect: { from: 'request-body-offset' },
  };
  const post = (start = 0) =>
    exchange({
      at: 1,
      start,
      method: 'POST',
      target: '/api/v1/users',
      requestHeaders: [['content-type', 'application/json']],
      requestBody: '{}',
      status: 201,
      responseHeaders: [['etag', '"abc"']],
      responseBody: '{"errors":[{"field":"email"}],"id":7}',
    });
  // "POST /api/v1/users HTTP/1.1\r\n" (29) + "content-type: application/json\r\n" (32) + "\r\n" (2)
  const expectedOffset = 29 + 32 + 2;

  it('reads the body offset counting from the request line, not from the connection start', () => {
    expect(evaluateCheck(bodyOffset, [post(500)], String(expectedOffset)).passed).toBe(true);
    expect(evaluateCheck(bodyOffset, [post(500)], ` ${expectedOffset} `).passed).toBe(true);
    expect(evaluateCheck(bodyOffset, [post(500)], String(expectedOffset + 500))).toMatchObject({ passed: false, miss: { kind: 'wrong-answer' } });
  });

  it('asks for an answer when none was typed, and for the request when none was sent', () => {
    expect(evaluateCheck(bodyOffset, [post()], '')).toMatchObject({ passed: false, miss: { kind: 'no-answer' } });
    expect(evaluateCheck(bodyOffset, [], '63')).toMatchObject({ passed: false, miss: { kind: 'no-request' } });
  });

  it('reads JSON values, headers (quotes optional) and the connection index', () => {
    const json: Check = { type: 'answer', exchange: {}, expect: { from: 'response-json', path: 'errors.0.field' } };
    const header: Check = { type: 'answer', exchange: {}, expect: { from: 'response-header', name: 'ETag' } };
    const index: Check = { type: 'answer', exchange: {}, expect: { from: 'connection-index' } };
    const missing: Check = { type: 'answer', exchange: {}, expect: { from: 'response-json', path: 'errors.3.field' } };
    expect(evaluateCheck(json, [post()], 'email').passed).toBe(true);
    expect(evaluateCheck(header, [post()], '"abc"').passed).toBe(true);
    expect(evaluateCheck(header, [post()], 'abc').passed).toBe(true);
    expect(evaluateCheck(index, [{ ...post(), index: 0 }], '0').passed).toBe(true);
    expect(evaluateCheck(missing, [post()], 'email')).toMatchObject({ passed: false, miss: { kind: 'no-value' } });
  });

  it('uses the newest matching exchange', () => {
    const first = { ...post(), index: 0 };
    const second = { ...post(), index: 1, request: { ...post().request, firstByteAt: 9 } };
    const index: Check = { type: 'answer', exchange: {}, expect: { from: 'connection-index' } };
    expect(evaluateCheck(index, [second, first], '1').passed).toBe(true);
    expect(evaluateCheck(index, [second, first], '0').passed).toBe(false);
  });
});

describe('connection-index answers count the requests the student sees', () => {
  const check: Check = { type: 'answer', exchange: { request: { method: 'GET', path: '^/api/v1/users/\\d+$' } }, expect: { from: 'connection-index' } };
  // lesson 1's keep-alive exercise: the page's own requests (the session, the capture channel)
  // rode the same connection; the timeline hides them and the hint says to count what is shown
  const keptAlive = [
    exchange({ conn: 'k', index: 0, at: 1, method: 'GET', target: '/_wirelab/session', status: 200 }),
    exchange({ conn: 'k', index: 1, at: 2, method: 'GET', target: '/api/v1/users/1', status: 200 }),
    exchange({ conn: 'k', index: 2, at: 3, method: 'GET', target: '/assets/index.js', status: 200 }),
    exchange({ conn: 'k', index: 3, at: 4, method: 'GET', target: '/api/v1/users/1', status: 200 }),
    exchange({ conn: 'other', index: 0, at: 5, method: 'GET', target: '/api/v1/users/2', status: 200 }),
    exchange({ conn: 'k', index: 4, at: 6, method: 'GET', target: '/api/v1/users/1', status: 200 }),
  ];

  it('leaves out the app traffic the timeline hides and other connections', () => {
    expect(evaluateCheck(check, keptAlive, '2').passed).toBe(true);
    expect(evaluateCheck(check, keptAlive, '4')).toMatchObject({ passed: false, miss: { kind: 'wrong-answer' } });
  });
});

describe('message-answer checks read the answer from a decoded message', () => {
  const message = (index: number, at: number, fields: WireMessage['fields']): WireMessage => ({
    conn: 'g',
    index,
    dir: 'out',
    layer: 'grpc-message',
    summary: '',
    at,
    range: { start: 0, end: 0 },
    tree,
    fields,
  });
  const check: Check = { type: 'message-answer', match: { layer: 'grpc-message', fields: { protocol: 'grpc-web', dir: 'response' } }, field: 'length' };
  const messages = [
    message(0, 10, { protocol: 'grpc-web', dir: 'response', length: 61 }),
    message(1, 20, { protocol: 'grpc-web', dir: 'request', length: 2 }),
    message(2, 30, { protocol: 'grpc-web', dir: 'response', length: 64 }),
  ];

  it('takes the newest matching message, not a fixed number', () => {
    expect(evaluateCheck(check, [], '64', messages)).toMatchObject({ passed: true, messages: [{ index: 2 }] });
    expect(evaluateCheck(check, [], '61', messages)).toMatchObject({ passed: false, miss: { kind: 'wrong-message-answer' } });
    expect(evaluateCheck(check, [], '61', messages.slice(0, 2)).passed).toBe(true);
  });

  it('wants the message first, then the answer', () => {
    expect(evaluateCheck(check, [], '64', [])).toMatchObject({ passed: false, miss: { kind: 'no-message', found: 0 } });
    expect(evaluateCheck(check, [], ' ', messages)).toMatchObject({ passed: false, miss: { kind: 'no-answer' } });
  });
});

describe('containsJson', () => {
  it('compares objects by key, arrays by position, values exactly', () => {
    expect(containsJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [1] } })).toBe(true);
    expect(containsJson({ a: 1 }, { a: '1' })).toBe(false);
    expect(containsJson([1], [1, 2])).toBe(false);
    expect(containsJson({ a: null }, { a: null })).toBe(true);
    expect(containsJson({}, { a: undefined })).toBe(false);
  });
});

describe('message checks', () => {
  const frame = (index: number, at: number, dir: 'in' | 'out', fields: WireMessage['fields']): WireMessage => ({
    conn: 'c1',
    index,
    dir,
    layer: 'ws-frame',
    summary: '',
    at,
    range: { start: index * 10, end: index * 10 + 10 },
    tree,
    fields,
  });
  const frames = [
    frame(0, 10, 'in', { opcode: 'text', masked: true, length: 5 }),
    frame(1, 20, 'out', { opcode: 'text', masked: false, length: 5 }),
    frame(2, 30, 'in', { opcode: 'binary', masked: true, length: 3 }),
    frame(3, 40, 'out', { opcode: 'close', closeCode: 1009 }),
  ];

  it('passes when a message of the layer has every field', () => {
    const check: Check = { type: 'message', match: { layer: 'ws-frame', dir: 'in', fields: { opcode: 'binary', masked: true } } };
    const result = evaluateCheck(check, [], undefined, frames);
    expect(result).toMatchObject({ passed: true, messages: [{ index: 2 }] });
  });

  it('does not pass on the wrong direction, layer or value', () => {
    expect(evaluateCheck({ type: 'message', match: { layer: 'ws-frame', dir: 'out', fields: { opcode: 'binary' } } }, [], undefined, frames).passed).toBe(
      false,
    );
    expect(evaluateCheck({ type: 'message', match: { layer: 'h2-frame', fields: { opcode: 'binary' } } }, [], undefined, frames).passed).toBe(false);
    const miss = evaluateCheck({ type: 'message', match: { layer: 'ws-frame', fields: { closeCode: 1000 } } }, [], undefined, frames);
    expect(miss).toEqual({
      passed: false,
      miss: { kind: 'no-message', expected: { layer: 'ws-frame', fields: { closeCode: 1000 } }, found: 0, needed: 1, step: undefined },
    });
  });

  it('reads /…/ as a regular expression and counts', () => {
    expect(
      evaluateCheck({ type: 'message', match: { layer: 'ws-frame', fields: { opcode: '/^(text|binary)$/' } }, count: 3 }, [], undefined, frames).passed,
    ).toBe(true);
    const short = evaluateCheck({ type: 'message', match: { layer: 'ws-frame', dir: 'in' }, count: 3 }, [], undefined, frames);
    expect(short).toMatchObject({ passed: false, miss: { kind: 'no-message', found: 2, needed: 3 } });
  });

  it('wants a sequence in order', () => {
    const inOrder: Check = {
      type: 'message-sequence',
      steps: [
        { layer: 'ws-frame', dir: 'in', fields: { opcode: 'binary' } },
        { layer: 'ws-frame', fields: { closeCode: 1009 } },
      ],
    };
    expect(evaluateCheck(inOrder, [], undefined, frames).passed).toBe(true);
    const reversed: Check = {
      type: 'message-sequence',
      steps: [
        { layer: 'ws-frame', fields: { closeCode: 1009 } },
        { layer: 'ws-frame', fields: { opcode: 'binary' } },
      ],
    };
    expect(evaluateCheck(reversed, [], undefined, frames)).toMatchObject({ passed: false, miss: { kind: 'no-message', step: 1 } });
  });
});

describe('message sequences that refer to earlier steps (sameAs, sameConnectionAs)', () => {
  let at = 0;
  const packet = (conn: string, dir: 'in' | 'out', fields: WireMessage['fields']): WireMessage => ({
    conn,
    index: at,
    dir,
    layer: 'mqtt-packet',
    summary: '',
    at: ++at,
    range: { start: 0, end: 1 },
    tree,
    fields,
  });
  const qos2Handshake: Check = {
    type: 'message-sequence',
    steps: [
      { layer: 'mqtt-packet', dir: 'in', fields: { type: 'PUBLISH', qos: 2 } },
      { layer: 'mqtt-packet', dir: 'out', fields: { type: 'PUBREC' }, sameAs: { packetId: '0.packetId' }, sameConnectionAs: 0 },
      { layer: 'mqtt-packet', dir: 'in', fields: { type: 'PUBREL' }, sameAs: { packetId: '0.packetId' }, sameConnectionAs: 0 },
      { layer: 'mqtt-packet', dir: 'out', fields: { type: 'PUBCOMP' }, sameAs: { packetId: '0.packetId' }, sameConnectionAs: 0 },
    ],
  };

  it('passes on the four packets of one QoS 2 PUBLISH, even when an earlier PUBLISH was never completed', () => {
    const traffic = [
      packet('a', 'in', { type: 'PUBLISH', qos: 2, packetId: 1 }),
      packet('a', 'out', { type: 'PUBREC', packetId: 1 }),
      // the client went away before PUBREL: id 1 never completes
      packet('b', 'in', { type: 'PUBLISH', qos: 2, packetId: 7 }),
      packet('b', 'out', { type: 'PUBREC', packetId: 7 }),
      packet('b', 'in', { type: 'PUBREL', packetId: 7 }),
      packet('b', 'out', { type: 'PUBCOMP', packetId: 7 }),
    ];
    const result = evaluateCheck(qos2Handshake, [], undefined, traffic);
    expect(result.passed).toBe(true);
    expect(result.passed && result.messages?.map((message) => message.fields?.packetId)).toEqual([7, 7, 7, 7]);
  });

  it('fails when the acknowledgements belong to another packet id or another connection', () => {
    const otherId = [
      packet('a', 'in', { type: 'PUBLISH', qos: 2, packetId: 1 }),
      packet('a', 'out', { type: 'PUBREC', packetId: 2 }),
      packet('a', 'in', { type: 'PUBREL', packetId: 2 }),
      packet('a', 'out', { type: 'PUBCOMP', packetId: 2 }),
    ];
    expect(evaluateCheck(qos2Handshake, [], undefined, otherId)).toMatchObject({ passed: false, miss: { kind: 'no-message', step: 1, found: 1 } });
    const otherConnection = [
      packet('a', 'in', { type: 'PUBLISH', qos: 2, packetId: 1 }),
      packet('b', 'out', { type: 'PUBREC', packetId: 1 }),
      packet('b', 'in', { type: 'PUBREL', packetId: 1 }),
      packet('b', 'out', { type: 'PUBCOMP', packetId: 1 }),
    ];
    expect(evaluateCheck(qos2Handshake, [], undefined, otherConnection)).toMatchObject({ passed: false, miss: { step: 1 } });
  });

  it('compares a field with a differently named field of an earlier step (the will topic)', () => {
    const willFired: Check = {
      type: 'message-sequence',
      steps: [
        { layer: 'mqtt-packet', dir: 'in', fields: { type: 'CONNECT', will: true } },
        { layer: 'mqtt-packet', dir: 'out', fields: { type: 'PUBLISH' }, sameAs: { topic: '0.willTopic' } },
      ],
    };
    const connect = packet('a', 'in', { type: 'CONNECT', will: true, willTopic: 'status/a' });
    expect(evaluateCheck(willFired, [], undefined, [connect, packet('b', 'out', { type: 'PUBLISH', topic: 'status/b' })]).passed).toBe(false);
    expect(evaluateCheck(willFired, [], undefined, [connect, packet('b', 'out', { type: 'PUBLISH', topic: 'status/a' })]).passed).toBe(true);
    // a step cannot refer to a field the earlier message lacks
    const noWill = packet('c', 'in', { type: 'CONNECT', will: true });
    expect(evaluateCheck(willFired, [], undefined, [noWill, packet('b', 'out', { type: 'PUBLISH', topic: 'status/a' })]).passed).toBe(false);
  });

  it('refuses a step when an excluded message lies between it and the step before (without)', () => {
    const willFired: Check = {
      type: 'message-sequence',
      steps: [
        { layer: 'mqtt-packet', dir: 'in', fields: { type: 'CONNECT', will: true } },
        {
          layer: 'mqtt-packet',
          dir: 'out',
          fields: { type: 'PUBLISH' },
          sameAs: { topic: '0.willTopic', payload: '0.willMessage' },
          without: [{ layer: 'mqtt-packet', dir: 'in', fields: { type: 'PUBLISH' }, sameAs: { topic: '0.willTopic', payload: '0.willMessage' } }],
        },
      ],
    };
    const connect = packet('a', 'in', { type: 'CONNECT', will: true, willTopic: 'status/a', willMessage: 'offline' });
    // published by hand: the same topic and payload, but a client sent it
    const byHand = [
      connect,
      packet('b', 'in', { type: 'PUBLISH', topic: 'status/a', payload: 'offline' }),
      packet('b', 'out', { type: 'PUBLISH', topic: 'status/a', payload: 'offline' }),
    ];
    expect(evaluateCheck(willFired, [], undefined, byHand)).toMatchObject({ passed: false, miss: { kind: 'no-message', step: 1 } });
    // another payload by hand ("online") does not hide the will that came afterwards
    const online = [
      packet('a', 'in', { type: 'PUBLISH', topic: 'status/a', payload: 'online' }),
      packet('b', 'out', { type: 'PUBLISH', topic: 'status/a', payload: 'online' }),
    ];
    const will = packet('b', 'out', { type: 'PUBLISH', topic: 'status/a', payload: 'offline' });
    expect(evaluateCheck(willFired, [], undefined, [connect, ...online, will]).passed).toBe(true);
  });
});
