import { CaptureStore } from '../inspector/capture-store.ts';
import { describe, expect, it } from 'vitest';
import type { CheckOutcome, CheckResult } from '../../contracts/own-server/check-result.ts';
import {
  checkCommand,
  checkRows,
  exerciseVerdictView,
  goStarterCommand,
  inspectorSelection,
  portOf,
  readAnswer,
  runAnnouncement,
  starterCommand,
  summary,
  wirelabItself,
} from './report-view.ts';

function result(id: string, outcome: CheckOutcome, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    name: { en: `name ${id}`, ru: `имя ${id}` },
    outcome,
    sent: 'GET / HTTP/1.1\n',
    expected: { en: 'a 200', ru: 'ответ 200' },
    why: { clause: 'RFC 9110 §15.3.1', text: { en: 'because', ru: 'потому что' } },
    got: 'HTTP/1.1 200 OK\n',
    ...(outcome === 'pass' ? {} : { difference: { en: `differs ${id}`, ru: `отличие ${id}` } }),
    ...extra,
  };
}

describe('checkRows', () => {
  it('shows each outcome as itself: a not-offered check is never a pass', () => {
    const rows = checkRows([result('a', 'pass'), result('b', 'fail'), result('c', 'not-offered')], 'en');
    expect(rows.map((row) => [row.id, row.outcome, row.outcomeLabel])).toEqual([
      ['a', 'pass', 'Pass'],
      ['b', 'fail', 'Fail'],
      ['c', 'not-offered', 'Not offered'],
    ]);
    expect(rows.map((row) => row.difference)).toEqual([null, 'differs b', 'differs c']);
  });

  it('gives the failed request a line of its own, with the status it got, and its bytes apart when it is not the check’s first', () => {
    const later = 'GET /api/v1/users?page=2&limit=1 HTTP/1.1\nhost: x\n';
    const [first, second, passedRow, nothing] = checkRows(
      [
        result('a', 'fail', { sent: 'PUT /api/v1/users/7 HTTP/1.1\nif-match: "x"\n', failedStatus: 200 }),
        result('b', 'fail', { sent: `GET /api/v1/users?page=1&limit=1 HTTP/1.1\nhost: x\n\n${later}`, failedRequest: later, failedStatus: 404 }),
        result('c', 'pass'),
        result('d', 'fail', { sent: '' }),
      ],
      'en',
    );
    expect(first).toMatchObject({ failingRequest: 'PUT /api/v1/users/7 HTTP/1.1 → 200', failingRequestBytes: null });
    expect(second).toMatchObject({ failingRequest: 'GET /api/v1/users?page=2&limit=1 HTTP/1.1 → 404', failingRequestBytes: later });
    expect(passedRow.failingRequest).toBeNull();
    expect(nothing.failingRequest).toBeNull();
  });

  it("reads the reader's language, keeps the clause as cited, and says when nothing crossed", () => {
    const [row] = checkRows([result('b', 'fail', { sent: '', got: '' })], 'ru');
    expect(row).toMatchObject({
      outcomeLabel: 'Не пройдена',
      name: 'имя b',
      expected: 'ответ 200',
      clause: 'RFC 9110 §15.3.1',
      reason: 'потому что',
      difference: 'отличие b',
      sent: '(ничего не отправлено)',
      got: '(ничего не пришло)',
    });
  });

  it("puts a transcript's chunk notes in the reader's language, the bytes as they came", () => {
    const got = 'HTTP/1.1 200 OK\n\n┆ chunk of 2\u00a0bytes: its size line "2" is hexadecimal, CRLF ends its data\n2\nhi\n';
    const [russian] = checkRows([result('b', 'pass', { got })], 'ru');
    expect(russian.got).toBe('HTTP/1.1 200 OK\n\n┆ фрагмент в 2\u00a0байта: «2» — его размер в шестнадцатеричной записи, CRLF завершает данные\n2\nhi\n');
    expect(checkRows([result('b', 'pass', { got })], 'en')[0].got).toBe(got);
  });
});

describe('summary', () => {
  const many = (count: number, outcome: CheckOutcome) => Array.from({ length: count }, (_, i) => result(`${outcome}-${i}`, outcome));

  it('counts in English, naming not-offered checks only when there are some', () => {
    expect(summary(many(16, 'pass'), 'en')).toBe('16 checks: 16 passed, 0 failed');
    expect(summary([...many(7, 'pass'), ...many(3, 'not-offered')], 'en')).toBe('10 checks: 7 passed, 0 failed, 3 not offered');
    expect(summary(many(1, 'fail'), 'en')).toBe('1 check: 0 passed, 1 failed');
  });

  it('takes the Russian plural of «проверка»', () => {
    expect(summary(many(1, 'pass'), 'ru')).toBe('1 проверка — пройдено: 1, не пройдено: 0');
    expect(summary([...many(2, 'pass'), ...many(1, 'fail')], 'ru')).toBe('3 проверки — пройдено: 2, не пройдено: 1');
    expect(summary(many(16, 'pass'), 'ru')).toBe('16 проверок — пройдено: 16, не пройдено: 0');
    expect(summary([...many(20, 'pass'), ...many(1, 'not-offered')], 'ru')).toBe('21 проверка — пройдено: 20, не пройдено: 0, не предлагается: 1');
  });
});

describe('readAnswer', () => {
  it("takes a report, and a problem in the reader's language", () => {
    const report = { protocol: 'rest', target: '127.0.0.1:8000', reachable: false, reason: 'refused', refusal: { en: 'no', ru: 'нет' }, results: [] };
    expect(readAnswer(200, report, 'ru')).toEqual({ kind: 'report', report, exercise: null });
    const problem = { status: 429, detail: 'busy', localized: { en: 'A check is already running', ru: 'Проверка уже идёт' } };
    expect(readAnswer(429, problem, 'ru')).toEqual({ kind: 'refused', status: 429, message: 'Проверка уже идёт' });
  });

  it('says so when the answer is neither', () => {
    expect(readAnswer(502, null, 'en')).toEqual({
      kind: 'refused',
      status: 502,
      message: 'The server answered 502 with something that is not a check report.',
    });
    expect(readAnswer(200, { hello: 1 }, 'ru').kind).toBe('refused');
  });
});

describe("the server's verdict for the lesson's exercise", () => {
  const report = { protocol: 'rest', target: '127.0.0.1:8000', reachable: true, results: [result('a', 'pass'), result('b', 'pass')] };
  const exercise = {
    passed: true,
    fixed: ['b', 'gone'],
    note: { en: 'Fixed since an earlier run of your server: b.', ru: 'Исправлено после одного из прошлых запусков на вашем сервере: b.' },
  };

  it("reads the route's `exercise` beside its report, and none when it is absent or not a verdict", () => {
    expect(readAnswer(200, { ...report, exercise }, 'en')).toEqual({ kind: 'report', report: { ...report, exercise }, exercise });
    expect(readAnswer(200, report, 'en')).toMatchObject({ kind: 'report', exercise: null });
    for (const bad of [{ ...exercise, note: 'fixed' }, { ...exercise, fixed: [1] }, { ...exercise, passed: 'yes' }, null])
      expect(readAnswer(200, { ...report, exercise: bad }, 'en')).toMatchObject({ kind: 'report', exercise: null });
  });

  it("shows the server's note and what the run fixed, by the report's names, in either language", () => {
    expect(exerciseVerdictView(exercise, report.results, 'en')).toEqual({
      passed: true,
      label: 'The server’s verdict for the exercise:',
      note: 'Fixed since an earlier run of your server: b.',
      fixed: [
        { id: 'b', name: 'name b' },
        { id: 'gone', name: 'gone' },
      ],
      fixedLabel: 'Fixed by this run:',
    });
    expect(exerciseVerdictView(exercise, report.results, 'ru')).toEqual({
      passed: true,
      label: 'Вердикт сервера по упражнению:',
      note: 'Исправлено после одного из прошлых запусков на вашем сервере: b.',
      fixed: [
        { id: 'b', name: 'имя b' },
        { id: 'gone', name: 'gone' },
      ],
      fixedLabel: 'Исправлено этим запуском:',
    });
  });

  it('the status region says the run, then the report and the verdict, and nothing of what an alert says', () => {
    expect(runAnnouncement({ kind: 'idle' }, 'en')).toBe('');
    expect(runAnnouncement({ kind: 'running' }, 'ru')).toBe('Проверяем ваш сервер… (набор проверок занимает до минуты)');
    expect(runAnnouncement({ kind: 'cancelled' }, 'en')).toMatch(/^Cancelled:/);
    expect(runAnnouncement({ kind: 'network-error' }, 'en')).toBe('');
    expect(runAnnouncement({ kind: 'answered', status: 429, body: { localized: { en: 'busy', ru: 'занято' } } }, 'en')).toBe('');
    expect(runAnnouncement({ kind: 'answered', status: 200, body: { ...report, reachable: false, results: [] } }, 'en')).toBe('');
    expect(runAnnouncement({ kind: 'answered', status: 200, body: report }, 'en')).toBe('REST · 127.0.0.1:8000: 2 checks: 2 passed, 0 failed');
    expect(runAnnouncement({ kind: 'answered', status: 200, body: { ...report, exercise } }, 'ru')).toBe(
      'REST · 127.0.0.1:8000: 2 проверки — пройдено: 2, не пройдено: 0. Вердикт сервера по упражнению: Исправлено после одного из прошлых запусков на вашем сервере: b.',
    );
  });
});

describe('commands', () => {
  it('reads the port of host:port, IPv6 in brackets too', () => {
    expect(portOf('127.0.0.1:8000')).toBe(8000);
    expect(portOf(' [::1]:50051 ')).toBe(50051);
    expect(portOf('localhost')).toBeNull();
    expect(portOf('127.0.0.1:0')).toBeNull();
    expect(portOf('127.0.0.1:70000')).toBeNull();
  });

  it('gives the starter and the check-server command for the chosen protocol and port', () => {
    expect(starterCommand('rest', '127.0.0.1:8123')).toBe('python starters/python/rest_server.py --port 8123');
    expect(starterCommand('grpc', 'garbage')).toBe('python starters/python/generate_grpc_stubs.py\npython starters/python/grpc_server.py --port 8000');
    expect(starterCommand('mqtt', '127.0.0.1:1883')).toBe('mosquitto -p 1883');
    expect(checkCommand('sse', ' 127.0.0.1:8002 ')).toBe('npm run check-server -- sse 127.0.0.1:8002');
    expect(checkCommand('websocket', '')).toBe('npm run check-server -- websocket 127.0.0.1:8000');
    expect(starterCommand('graphql', '127.0.0.1:8004')).toBe('python starters/python/graphql_server.py --port 8004');
    // the skeletons students fill in (the zip has no complete/); the gateway runs in front of the student's gRPC server
    expect(starterCommand('long-polling', '127.0.0.1:8005')).toBe('python starters/python/long_polling_server.py --port 8005');
    expect(starterCommand('gateway', '127.0.0.1:8080')).toBe(
      'python starters/python/generate_grpc_stubs.py\npython starters/python/grpc_server.py --port 50051\npython starters/python/gateway_server.py --port 8080 --grpc 127.0.0.1:50051',
    );
    expect(checkCommand('graphql', '127.0.0.1:8004')).toBe('npm run check-server -- graphql 127.0.0.1:8004');
  });

  it('gives the Go starter where there is one: go run in the module, stubs first for gRPC, the gRPC server beside the gateway', () => {
    expect(goStarterCommand('long-polling', '127.0.0.1:8005')).toBe('cd starters/go\ngo mod tidy\ngo run ./long-polling -port 8005');
    expect(goStarterCommand('grpc', '127.0.0.1:50051')).toBe('cd starters/go\ngo generate ./stubs\ngo mod tidy\ngo run ./grpc -port 50051');
    expect(goStarterCommand('gateway', '127.0.0.1:8090')).toBe(
      'cd starters/go\ngo generate ./stubs\ngo mod tidy\ngo run ./grpc -port 50051\ngo run ./gateway -port 8090 -grpc 127.0.0.1:50051',
    );
    expect(goStarterCommand('grpc-websocket', '127.0.0.1:50061')).toBe('cd starters/go\ngo generate ./stubs\ngo mod tidy\ngo run ./grpc-websocket -port 50061');
    expect(goStarterCommand('graphql', '127.0.0.1:8004')).toBe('cd starters/go\ngo mod tidy\ngo run ./graphql -port 8004');
    expect(goStarterCommand('socket-io', '127.0.0.1:8006')).toBeNull();
    expect(goStarterCommand('mqtt', '127.0.0.1:1883')).toBeNull();
  });
});

describe('wirelabItself', () => {
  it("offers Wirelab's own address only on a loopback host, where it is the student's own machine", () => {
    expect(wirelabItself({ hostname: '127.0.0.1', port: '8080', protocol: 'http:' })).toBe('127.0.0.1:8080');
    expect(wirelabItself({ hostname: 'localhost', port: '', protocol: 'http:' })).toBe('localhost:80');
    expect(wirelabItself({ hostname: '[::1]', port: '8080', protocol: 'http:' })).toBe('[::1]:8080');
    expect(wirelabItself({ hostname: '192.168.1.10', port: '8080', protocol: 'http:' })).toBeNull();
    expect(wirelabItself({ hostname: 'wirelab.example.edu', port: '', protocol: 'https:' })).toBeNull();
  });
});

/** A capture store whose channel the test plays by `apply`. */
function storeWithoutChannel(): CaptureStore {
  return new CaptureStore({
    url: 'ws://unused',
    socketFactory: () => ({ send() {}, close() {}, onopen: null, onmessage: null, onclose: null, onerror: null }),
  });
}

describe("a check's bytes in the inspector", () => {
  it('keeps the connections a check names, and opens an exchange, or an MQTT connection at its first packet', () => {
    const connections = [
      { id: 'c7', transport: 'http/1.1' as const },
      { id: 'c8', transport: 'mqtt' as const },
    ];
    expect(checkRows([result('a', 'pass', { connections })], 'en')[0].connections).toEqual(connections);
    expect(checkRows([result('b', 'pass')], 'ru')[0].connections).toEqual([]);
    expect(inspectorSelection(connections[0])).toEqual({ conn: 'c7', index: 0 });
    expect(inspectorSelection({ id: 'c9', transport: 'h2c' })).toEqual({ conn: 'c9', index: 0 });
    expect(inspectorSelection(connections[1])).toEqual({ conn: 'c8', message: { layer: 'mqtt-packet', dir: 'in', start: 0 } });
  });

  it('names them by the capture store’s ids: after a server restart the new c7 is the store’s r1-c7, never the earlier c7', () => {
    const store = storeWithoutChannel();
    const hello = (instance: string) => store.apply({ type: 'hello', recording: true, instance, limits: { ringBytes: 1, ringChunks: 1 } });
    const connections = [{ id: 'c7', transport: 'http/1.1' as const }];
    hello('first');
    const keysBefore = store.connectionKeys();
    expect(checkRows([result('a', 'pass', { connections })], 'en', keysBefore)[0].connections).toEqual(connections);
    hello('restarted');
    const [row] = checkRows([result('a', 'pass', { connections })], 'en', store.connectionKeys());
    expect(row.connections).toEqual([{ id: 'r1-c7', transport: 'http/1.1' }]);
    expect(inspectorSelection(row.connections[0])).toEqual({ conn: 'r1-c7', index: 0 });
    // a report that came before the restart keeps naming the earlier connection
    expect(checkRows([result('a', 'pass', { connections })], 'en', keysBefore)[0].connections).toEqual(connections);
  });

  it('a report faster than the restarted server’s hello is keyed by the process it names, and the hello agrees', () => {
    const store = storeWithoutChannel();
    const connections = [{ id: 'c7', transport: 'http/1.1' as const }];
    store.apply({ type: 'hello', recording: true, instance: 'first', limits: { ringBytes: 1, ringChunks: 1 } });
    // the report names the restarted process; the store has not heard its hello yet
    const [row] = checkRows([result('a', 'pass', { connections })], 'en', store.connectionKeys('restarted'));
    expect(row.connections).toEqual([{ id: 'r1-c7', transport: 'http/1.1' }]);
    expect(checkRows([result('a', 'pass', { connections })], 'en', store.connectionKeys('first'))[0].connections).toEqual(connections);
    // the hello comes: the restarted process's c7 is r1-c7 in the store, where the link points
    store.apply({ type: 'hello', recording: true, instance: 'restarted', limits: { ringBytes: 1, ringChunks: 1 } });
    store.apply({ type: 'connection', conn: { id: 'c7', transport: 'http/1.1', remote: '127.0.0.1:5', local: '127.0.0.1:8080', openedAt: 1 } });
    expect(store.connections().map((view) => view.connection.id)).toEqual(['r1-c7']);
  });
});
