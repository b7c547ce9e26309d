// Each exercise checks the skill its prompt names (issue 39 item 5): for the exercises a review
// found passing without it, the shortcut's traffic fails the lesson's own check and the honest
// traffic passes. The checks are read from lesson.json and run by the evaluator the page and the
// server share (contracts/exercise-checks/).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../contracts/exercise-checks/evaluate-check.ts';
import type { Check } from '../contracts/exercise-checks/check-types.ts';
import { exchange, sketchTree, type Sketch } from '../contracts/exercise-checks/exchange-sketch.ts';
import { computeWebSocketAccept } from '../wire/websocket/websocket-handshake.ts';
import { sha1 } from '../wire/websocket/sha1.ts';
import type { HttpExchange, WireMessage } from '../wire/types.ts';

const LESSONS_ROOT = dirname(fileURLToPath(import.meta.url));

function checkOf(lesson: string, id: string): Check {
  const json = JSON.parse(readFileSync(join(LESSONS_ROOT, lesson, 'lesson.json'), 'utf8')) as { exercises: Record<string, { check: Check }> };
  return json.exercises[id].check;
}

const passes = (check: Check, traffic: HttpExchange[], answer?: string) => evaluateCheck(check, traffic, answer).passed;
const json = (value: unknown) => JSON.stringify(value);
const jsonHeaders: Sketch['requestHeaders'] = [['content-type', 'application/json']];

describe('exercises that passed without the skill their prompt names', () => {
  it('compute-accept: copying the Accept the inspector shows fails; the SHA-1 of key + GUID passes', () => {
    const check = checkOf('06-websockets', 'compute-accept');
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    const accept = computeWebSocketAccept(key);
    const handshake = exchange({
      at: 1,
      method: 'GET',
      target: '/ws/echo',
      requestHeaders: [
        ['upgrade', 'websocket'],
        ['sec-websocket-key', key],
      ],
      status: 101,
      responseHeaders: [['sec-websocket-accept', accept]],
    });
    const hex = [...sha1(new TextEncoder().encode(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(passes(check, [handshake], accept)).toBe(false);
    expect(passes(check, [handshake], hex)).toBe(true);
    expect(passes(check, [handshake], hex.toUpperCase())).toBe(true);
  });

  it('count-connection-requests: 0 from one run fails; a reused connection passes', () => {
    const check = checkOf('01-how-a-request-travels', 'count-connection-requests');
    const first = exchange({ at: 1, index: 0, method: 'GET', target: '/api/v1/users/1', status: 200 });
    expect(passes(check, [first], '0')).toBe(false);
    const second = exchange({ at: 2, index: 1, method: 'GET', target: '/api/v1/users/1', status: 200 });
    expect(passes(check, [first, second], '1')).toBe(true);
  });

  it('patch-only-status: a PATCH that sends more than the status fails', () => {
    const check = checkOf('02-rest', 'patch-only-status');
    const patch = (body: unknown) =>
      exchange({
        at: 1,
        method: 'PATCH',
        target: '/api/v1/users/3',
        requestHeaders: jsonHeaders,
        requestBody: json(body),
        status: 200,
        responseBody: json({ id: 3, status: 'inactive' }),
      });
    expect(passes(check, [patch({ name: 'Grace Hopper', email: 'grace@example.com', status: 'inactive' })])).toBe(false);
    expect(passes(check, [patch({ status: 'inactive' })])).toBe(true);
  });

  it('version-by-accept: v2 asked by Api-Version beside the Accept fails; Accept alone passes', () => {
    const check = checkOf('02-rest', 'version-by-accept');
    const get = (headers: Array<[string, string]>) =>
      exchange({
        at: 1,
        method: 'GET',
        target: '/api/users/1',
        requestHeaders: headers,
        status: 200,
        responseHeaders: [
          ['content-type', 'application/vnd.wirelab.v2+json'],
          ['api-version', '2'],
          ['vary', 'Accept, Api-Version'],
        ],
      });
    expect(
      passes(check, [
        get([
          ['accept', 'application/vnd.wirelab.v2+json'],
          ['api-version', '2'],
        ]),
      ]),
    ).toBe(false);
    expect(passes(check, [get([['accept', 'application/vnd.wirelab.v2+json']])])).toBe(true);
  });

  it('generated-enum-json: banning another user, or over binary, fails; user 3 over Connect JSON passes', () => {
    const check = checkOf('03-protocol-buffers', 'generated-enum-json');
    const ban = (id: number, contentType = 'application/json') =>
      exchange({
        at: 1,
        method: 'POST',
        target: '/wirelab.users.v1.UserService/UpdateUser',
        requestHeaders: [['content-type', contentType]],
        requestBody: json({ id, status: 'BANNED' }),
        status: 200,
        responseBody: json({ user: { id, status: 'USER_STATUS_BANNED' } }),
      });
    expect(passes(check, [ban(5)])).toBe(false);
    expect(passes(check, [ban(3, 'application/proto')])).toBe(false);
    expect(passes(check, [ban(3)])).toBe(true);
  });

  it('enum-by-name: the JSON call alone, or without the reviewer role, fails; binary first, then JSON, passes', () => {
    const check = checkOf('03-protocol-buffers', 'enum-by-name');
    const create = (at: number, contentType: string, roles: string[]) =>
      exchange({
        at,
        index: at,
        method: 'POST',
        target: '/wirelab.users.v1.UserService/CreateUser',
        requestHeaders: [['content-type', contentType]],
        requestBody: contentType === 'application/json' ? json({ name: 'Frances Allen', email: `f${at}@example.com`, roles }) : '\u0008',
        status: 200,
        responseBody: contentType === 'application/json' ? json({ user: { id: 9, status: 'USER_STATUS_ACTIVE' } }) : '',
      });
    expect(passes(check, [create(2, 'application/json', ['ROLE_REVIEWER'])], 'USER_STATUS_ACTIVE')).toBe(false);
    expect(passes(check, [create(1, 'application/proto', []), create(2, 'application/json', ['ROLE_ADMIN'])], 'USER_STATUS_ACTIVE')).toBe(false);
    expect(passes(check, [create(1, 'application/proto', []), create(2, 'application/json', ['ROLE_REVIEWER'])], 'USER_STATUS_ACTIVE')).toBe(true);
  });

  it('direct-call-waits: a call to a worker that was not slowed down fails; one that waited seconds passes', () => {
    const check = checkOf('13-message-queues', 'direct-call-waits');
    const call = (waitedMs: number) =>
      exchange({ at: 1, method: 'POST', target: '/api/v1/pipeline/notifications', status: 201, responseBody: json({ notification: {}, waitedMs }) });
    expect(passes(check, [call(12)], '12')).toBe(false);
    expect(passes(check, [call(2004)], '2004')).toBe(true);
  });

  it('resume: a resumed stream without the missed event fails (an event caused after resuming does not count); the replayed one passes', () => {
    const check = checkOf('08-server-sent-events', 'resume');
    const stream = (at: number, conn: string, lastEventId?: string) =>
      exchange({ at, conn, method: 'GET', target: '/api/v1/events', requestHeaders: lastEventId ? [['last-event-id', lastEventId]] : [], status: 200 });
    const create = (at: number) => exchange({ at, conn: `post${at}`, method: 'POST', target: '/api/v1/users', status: 201 });
    const event = (conn: string, at: number): WireMessage => ({
      conn,
      index: at,
      dir: 'out',
      layer: 'sse-event',
      summary: 'user.created',
      at,
      range: { start: 0, end: 1 },
      tree: sketchTree,
      group: 'exchange 0',
      fields: { event: 'user.created', id: String(at) },
    });
    // saw the event live, reconnected, then created another user: the resumed stream replayed nothing
    const shortcut = [stream(1, 's1'), create(2), stream(4, 's2', '2'), create(5)];
    expect(evaluateCheck(check, shortcut, undefined, [event('s1', 3), event('s2', 6)]).passed).toBe(false);
    // broke the stream, created a user while away, resumed: the first event of the new stream is the missed one
    const honest = [stream(1, 's1'), create(2), stream(4, 's2', '1')];
    expect(evaluateCheck(check, honest, undefined, [event('s2', 4.5)]).passed).toBe(true);
  });

  it('watch-not-serving: a watch cancelled before the switches fails; one open through both (its third message) passes', () => {
    const check = checkOf('04-grpc', 'watch-not-serving');
    const call = (at: number, path: string, body?: unknown) =>
      exchange({ at, conn: `c${at}`, method: 'POST', target: path, requestHeaders: jsonHeaders, requestBody: body ? json(body) : '{}', status: 200 });
    const switchTo = (at: number, status: string) =>
      call(at, '/wirelab.lab.v1.LifecycleService/SetServingStatus', { service: 'wirelab.users.v1.UserService', status });
    const watchMessage = (index: number): WireMessage => ({
      conn: 'c1',
      index,
      dir: 'out',
      layer: 'grpc-message',
      summary: 'response HealthCheckResponse',
      at: 1 + index,
      range: { start: 0, end: 1 },
      tree: sketchTree,
      group: 'exchange 0',
      fields: { protocol: 'connect', dir: 'response', index, codec: 'json' },
    });
    const traffic = [call(1, '/grpc.health.v1.Health/Watch', { service: 'wirelab.users.v1.UserService' }), switchTo(2, 'NOT_SERVING'), switchTo(3, 'SERVING')];
    expect(evaluateCheck(check, traffic, undefined, [watchMessage(0)]).passed).toBe(false);
    expect(evaluateCheck(check, traffic, undefined, [watchMessage(0), watchMessage(1), watchMessage(2)]).passed).toBe(true);
  });
});
