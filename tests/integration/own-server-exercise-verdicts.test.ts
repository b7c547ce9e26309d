// Lesson 15's exercises judge the student's own work (issue 37, item 2): "<protocol>-passes" counts
// a run of "check my server" in which checks that the student's own server failed in an earlier
// run pass and none fails, as the server judged it from the runs it made for the page's session
// (server/own-server/fixed-checks.ts, run-history.ts). For each protocol, against real servers:
// the fixed server alone first — no pass; broken — no pass; Wirelab itself after that failure — no
// pass; fixed after the failure — the pass, on the class board. A forged progress report, a pass
// forged through the HTTP relay (which the old exchange check took), and runs asked with a curl token
// alone count for nothing. One Wirelab for the file; the students are sessions of one class, each
// on a loopback address of its own (127.0.0.x, as each student's machine in a classroom has one),
// so their runs go side by side: Wirelab runs one suite at a time per address, and most of a run
// is waiting (a skeleton's unanswered checks wait out their time), not work. Side by side each
// test takes about as long as the file: two minutes each (a whole-project run at load ~30 on two
// cores took them past one).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../contracts/class-channel/messages.ts';
import type { CheckedProtocol, CheckReport } from '../../contracts/own-server/check-result.ts';
import type { OwnServerExerciseVerdict } from '../../contracts/exercise-checks/own-server-fixed.ts';
import { evaluateCheck, type Check } from '../../contracts/exercise-checks/evaluate-check.ts';
import { trafficOfCaptures } from '../../contracts/exercise-checks/captured-traffic.ts';
import { post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { startRestFixture } from './own-server-fixtures/rest-server.ts';
import { startWebSocketFixture } from './own-server-fixtures/websocket-server.ts';
import { startSseFixture } from './own-server-fixtures/sse-server.ts';
import { startEmptyGrpcFixture } from './own-server-fixtures/grpc-empty-store.ts';
import { startGraphqlFixture } from './own-server-fixtures/graphql-server.ts';
import { startGatewayFixture } from './own-server-fixtures/gateway-server.ts';
import { startLongPollingFixture } from './own-server-fixtures/long-polling-server.ts';
import { startSocketIoFixture } from './own-server-fixtures/socket-io-server.ts';
import { startGrpcWebSocketFixture } from './own-server-fixtures/grpc-websocket-server.ts';
import { startMosquitto, started } from './mosquitto.ts';
import { failingIds, requestOnFreshConnection, startStarterProcess, STARTERS, PYTHON } from './own-server-starters.ts';

const KEY = 'exercise-verdicts-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
const LESSON = 'build-your-own-server';

type Judged = CheckReport & { exercise?: OwnServerExerciseVerdict };
interface Student {
  /** the loopback address the student's requests come from */
  address: string;
  cookie: string;
  member: Record<string, string>;
}
interface Running {
  port: number;
  close(): Promise<unknown>;
}

/** Each protocol's server with one realistic mistake, the same server right, and what the mistake fails. */
const SERVERS: Record<CheckedProtocol, { broken(): Promise<Running>; right(): Promise<Running>; fails: string[] }> = {
  rest: { broken: () => startRestFixture({ fault: 'no-location' }), right: () => startRestFixture(), fails: ['create-201-location'] },
  websocket: { broken: () => startWebSocketFixture('masked'), right: () => startWebSocketFixture(), fails: ['text-echo', 'ping-pong'] },
  sse: { broken: () => startSseFixture('text-plain'), right: () => startSseFixture(), fails: ['stream-content-type', 'retry-field'] },
  grpc: { broken: () => startEmptyGrpcFixture('no-health'), right: () => startEmptyGrpcFixture(), fails: ['health-serving'] },
  graphql: { broken: () => startGraphqlFixture('mutation-over-get'), right: () => startGraphqlFixture(), fails: ['get-mutation-405'] },
  // mosquitto 2 with a configuration file refuses anonymous clients unless it says allow_anonymous true
  mqtt: {
    broken: () => startMosquitto(['allow_anonymous false']).then((broker) => ({ port: broker.port, close: () => broker.stop() })),
    right: () => startMosquitto().then((broker) => ({ port: broker.port, close: () => broker.stop() })),
    fails: ['connect-connack-0', 'qos1-puback-delivered'],
  },
  gateway: { broken: () => startGatewayFixture('errors-500'), right: () => startGatewayFixture(''), fails: ['not-found-404'] },
  'long-polling': { broken: () => startLongPollingFixture('no-hold'), right: () => startLongPollingFixture(''), fails: ['held-until-event'] },
  'socket-io': { broken: () => startSocketIoFixture('no-ack'), right: () => startSocketIoFixture(''), fails: ['join-ack'] },
  'grpc-websocket': { broken: () => startGrpcWebSocketFixture('proto-names'), right: () => startGrpcWebSocketFixture(), fails: ['event-proto3-json'] },
};

let server: RunningServer;
let code = '';

beforeAll(async () => {
  server = await startServer({ classroom: { teacherKey: KEY } });
  code = ((await (await post(server.origin, '/_wirelab/class/classes', { title: 'Свой сервер' }, teacher)).json()) as { code: string }).code;
});
afterAll(async () => {
  await Promise.all([server?.close(), ...started.map((broker) => broker.stop())]);
});

/** The next student's loopback address: 127.0.0.2, 127.0.0.3… (127.0.0.1 is the teacher's). */
let students = 0;
const nextStudentAddress = (): string => `127.0.0.${2 + students++}`;

/** A JSON POST from the student's address. */
function postFrom(student: Pick<Student, 'address'>, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return requestOnFreshConnection(`${server.origin}${path}`, { method: 'POST', body: JSON.stringify(body), headers, localAddress: student.address });
}

/** A browser session that joined the class, from an address of its own. */
async function newStudent(name: string): Promise<Student> {
  const address = nextStudentAddress();
  const session = await requestOnFreshConnection(`${server.origin}/_wirelab/session`, { localAddress: address });
  const cookie = session.headers.getSetCookie()[0].split(';')[0];
  const joined = await postFrom({ address }, '/_wirelab/class/join', { code, name }, { 'content-type': 'application/json', cookie });
  expect(joined.status).toBe(200);
  const { memberToken } = (await joined.json()) as { memberToken: string };
  return { address, cookie, member: { 'content-type': 'application/json', 'x-wirelab-member': memberToken, cookie } };
}

/** "Check my server" as the student's page asks it: with the session's cookie, or (`headers`) otherwise. */
async function checkMyServer(student: Student, headers: Record<string, string>, protocol: CheckedProtocol, port: number): Promise<Judged> {
  const answer = await postFrom(
    student,
    '/_wirelab/own-server/checks',
    { protocol, target: `127.0.0.1:${port}` },
    { 'content-type': 'application/json', ...headers },
  );
  expect(answer.status).toBe(200);
  const report = (await answer.json()) as Judged;
  expect(report.reachable).toBe(true);
  return report;
}

/** The page reports the exercise passed; the server answers its own verdict. */
async function verdictOf(student: Student, protocol: CheckedProtocol): Promise<unknown> {
  const answer = await postFrom(student, '/_wirelab/class/progress', { lesson: LESSON, exercise: `${protocol}-passes`, passed: true }, student.member);
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { verdict: unknown }).verdict;
}

async function passedOnBoard(): Promise<string[]> {
  const board = (await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json()) as Board;
  return board.members.flatMap((row) => row.results.filter((result) => result.passedMs !== null).map((result) => `${row.name}: ${result.exercise}`));
}

describe.concurrent('lesson 15 counts what the student fixed in their own server', () => {
  it.each(Object.keys(SERVERS) as CheckedProtocol[])(
    '%s: the right server alone, broken, Wirelab itself: no pass; right after the failure: the pass',
    async (protocol) => {
      const student = await newStudent(`Студент ${protocol}`);
      const { broken, right, fails } = SERVERS[protocol];
      const [brokenServer, rightServer] = await Promise.all([broken(), right()]);
      try {
        const alone = await checkMyServer(student, { cookie: student.cookie }, protocol, rightServer.port);
        expect(failingIds(alone)).toEqual([]);
        expect(alone.exercise).toMatchObject({ passed: false, fixed: [] });
        expect(alone.exercise!.note.en).toMatch(/first run of your server/);
        // the page may say "passed": the server's verdict stands
        expect(await verdictOf(student, protocol)).toEqual({ passed: false, why: 'not-seen' });

        const failing = await checkMyServer(student, { cookie: student.cookie }, protocol, brokenServer.port);
        expect(failingIds(failing)).toEqual(expect.arrayContaining(fails));
        expect(failing.exercise).toMatchObject({ passed: false, fixed: [] });

        const itself = await checkMyServer(student, { cookie: student.cookie }, protocol, server.port);
        expect(itself.targetIsWirelab).toBe(true);
        expect(itself.exercise).toMatchObject({ passed: false, fixed: [] });
        expect(itself.exercise!.note.ru).toMatch(/сам Wirelab/);
        expect(await verdictOf(student, protocol)).toEqual({ passed: false, why: 'not-seen' });

        const repaired = await checkMyServer(student, { cookie: student.cookie }, protocol, rightServer.port);
        expect(failingIds(repaired)).toEqual([]);
        expect(repaired.exercise).toMatchObject({ passed: true, fixed: expect.arrayContaining(fails) });
        expect(await verdictOf(student, protocol)).toEqual({ passed: true });
        expect(await passedOnBoard()).toContain(`Студент ${protocol}: ${protocol}-passes`);
      } finally {
        await Promise.all([brokenServer.close(), rightServer.close()]);
      }
    },
    120_000,
  );
});

describe.concurrent('what a student cannot pass it with', () => {
  it('a pass forged through the HTTP relay: a server of theirs answering the route’s path as the old check wanted', async () => {
    const student = await newStudent('Подделка');
    const forger: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ protocol: 'rest', reachable: true, targetIsWirelab: false, counts: { passed: 16, failed: 0 }, exercise: { passed: true } }),
      );
    }).listen(0, '127.0.0.1');
    await once(forger, 'listening');
    try {
      const relayed = await postFrom(
        student,
        '/_wirelab/own-server/http',
        {
          target: `127.0.0.1:${(forger.address() as AddressInfo).port}`,
          method: 'POST',
          path: '/_wirelab/own-server/checks',
          headers: [['content-type', 'application/json']],
          body: '{"protocol":"rest"}',
        },
        { 'content-type': 'application/json', cookie: student.cookie },
      );
      expect(relayed.status).toBe(200);
      // the session's captures hold an exchange the exercise's old check (an exchange check) took for a pass
      const oldCheck: Check = {
        type: 'exchange',
        request: { method: 'POST', path: '^/_wirelab/own-server/checks$', bodyJson: { protocol: 'rest' } },
        response: { status: 200, bodyJson: { protocol: 'rest', reachable: true, targetIsWirelab: false, counts: { failed: 0 } } },
      };
      const { connections, chunks } = server.app.captures!.capturedOf(student.cookie.split('=')[1])!.read();
      expect(evaluateCheck(oldCheck, trafficOfCaptures(connections, chunks).exchanges).passed).toBe(true);
      expect(await verdictOf(student, 'rest')).toEqual({ passed: false, why: 'not-seen' });
    } finally {
      forger.close();
    }
  });

  it('runs asked with a curl token alone: not the page’s, never kept, so neither a failure before nor a fix', async () => {
    const student = await newStudent('Токен');
    const { curlToken } = (await (await fetch(`${server.origin}/_wirelab/session`, { headers: { cookie: student.cookie } })).json()) as { curlToken: string };
    const [brokenServer, rightServer] = await Promise.all([SERVERS.rest.broken(), SERVERS.rest.right()]);
    try {
      const token = { 'x-wirelab-sandbox': curlToken };
      expect(failingIds(await checkMyServer(student, token, 'rest', brokenServer.port))).toEqual(['create-201-location']);
      const fixedByToken = await checkMyServer(student, token, 'rest', rightServer.port);
      expect(failingIds(fixedByToken)).toEqual([]);
      expect(fixedByToken.exercise).toBeUndefined();
      expect(await verdictOf(student, 'rest')).toEqual({ passed: false, why: 'not-seen' });
      // the token's failure was not the page's: the page's first run of the right server fixes nothing
      expect((await checkMyServer(student, { cookie: student.cookie }, 'rest', rightServer.port)).exercise).toMatchObject({ passed: false, fixed: [] });
      expect(await verdictOf(student, 'rest')).toEqual({ passed: false, why: 'not-seen' });
    } finally {
      await Promise.all([brokenServer.close(), rightServer.close()]);
    }
    // beside the file's other runs it takes about as long as the file, as they do
  }, 120_000);
});

// ---- The untouched skeletons (issue 37, item 1) ------------------------------------------------
// Every Python skeleton the students get (starters/python/*.py; the complete versions are in
// complete/), untouched, after a failing run of the student's: lesson 15's exercise stays open.
const SKELETONS_DIR = STARTERS;
const SKELETONS: Partial<Record<CheckedProtocol, string>> = {
  rest: 'rest_server.py',
  websocket: 'websocket_server.py',
  sse: 'sse_server.py',
  grpc: 'grpc_server.py',
  graphql: 'graphql_server.py',
  'grpc-websocket': 'grpc_websocket_server.py',
  gateway: 'gateway_server.py',
  'long-polling': 'long_polling_server.py',
  'socket-io': 'socket_io_server.py',
};

describe.concurrent('an untouched skeleton never passes', () => {
  // the gRPC starter's stubs, made as its test makes them (GRPC_STUBS)
  let stubs = '';
  beforeAll(async () => {
    stubs = mkdtempSync(join(tmpdir(), 'wirelab-grpc-stubs-'));
    await promisify(execFile)(PYTHON, [`${STARTERS}generate_grpc_stubs.py`, stubs]);
  });
  afterAll(() => rmSync(stubs, { recursive: true, force: true }));

  it.each(Object.entries(SKELETONS) as Array<[CheckedProtocol, string]>)(
    '%s (%s), run after a failing server of the student’s: it fails, so it fixes nothing',
    async (protocol, file) => {
      const student = await newStudent(`Заготовка ${protocol}`);
      const brokenServer = await SERVERS[protocol].broken();
      // the gateway's skeleton stands in front of a gRPC service: the complete gRPC starter's
      const backend =
        protocol === 'gateway'
          ? await startStarterProcess(PYTHON, [join(STARTERS, 'complete', 'grpc_server.py'), '--port', '0'], 'grpc_server.py', { GRPC_STUBS: stubs })
          : undefined;
      const args = backend ? ['--grpc', `127.0.0.1:${backend.port}`] : [];
      const skeleton = await startStarterProcess(PYTHON, [join(SKELETONS_DIR, file), '--port', '0', ...args], file, { GRPC_STUBS: stubs });
      try {
        expect(failingIds(await checkMyServer(student, { cookie: student.cookie }, protocol, brokenServer.port))).not.toEqual([]);
        const untouched = await checkMyServer(student, { cookie: student.cookie }, protocol, skeleton.port);
        expect(failingIds(untouched)).not.toEqual([]);
        expect(untouched.exercise).toMatchObject({ passed: false, fixed: [] });
        expect(await verdictOf(student, protocol)).toEqual({ passed: false, why: 'not-seen' });
      } finally {
        await Promise.all([brokenServer.close(), skeleton.stop(), backend?.stop()]);
      }
    },
    120_000,
  );
});
