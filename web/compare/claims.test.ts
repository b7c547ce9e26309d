import { describe, expect, it } from 'vitest';
import { claimVerdicts } from './claims.ts';
import type { JobKind, Protocol, ProtocolResult } from './lab-types.ts';
import type { RunMeasure } from './measure.ts';

const measure: RunMeasure = {
  window: { from: 0, to: 1 },
  conns: ['c1'],
  opened: 0,
  bytesUp: 0,
  bytesDown: 0,
  payloadUp: 0,
  payloadDown: 0,
  roundTrips: 1,
  versions: ['HTTP/1.1'],
  ttfbMs: 1,
  totalMs: 1,
  focus: null,
};

function row(protocol: Protocol, job: JobKind, values: Partial<ProtocolResult>, items = 1, sqlStatements?: number): ProtocolResult {
  return {
    protocol,
    job,
    size: 1,
    runs: [{ measure, items, sqlStatements }],
    bytesUp: 0,
    bytesDown: 0,
    payloadUp: 0,
    payloadDown: 0,
    opened: 0,
    roundTrips: 1,
    versions: ['HTTP/1.1'],
    ttfb: null,
    total: null,
    latency: null,
    idleBytesPerMinute: null,
    ...values,
  };
}

const find = (verdicts: ReturnType<typeof claimVerdicts>, id: string) => verdicts.find((verdict) => verdict.id === id)!;

describe('claimVerdicts', () => {
  it('says "not measured" for every claim until the rows exist, in both languages', () => {
    for (const lang of ['en', 'ru'] as const) {
      const verdicts = claimVerdicts([], lang);
      expect(verdicts.map((verdict) => verdict.id)).toEqual([
        'protobuf-smaller',
        'grpc-faster',
        'rest-cant-stream',
        'graphql-round-trips',
        'long-polling-requests',
        'websocket-cheaper',
      ]);
      expect(verdicts.every((verdict) => verdict.measured === null)).toBe(true);
    }
  });

  it('puts the measured sizes into the protobuf claim, and says when headers swallow the difference', () => {
    const rows = [
      row('connect-binary', 'list', { size: 1, payloadDown: 152, bytesUp: 712, bytesDown: 374, gzipPayloadDown: 164 }),
      row('connect-json', 'list', { size: 1, payloadDown: 340, bytesUp: 724, bytesDown: 562, gzipPayloadDown: 265 }),
    ];
    const text = find(claimVerdicts(rows, 'en'), 'protobuf-smaller').measured!;
    expect(text).toContain('152 bytes in protobuf vs 340 in JSON (45%)');
    expect(text).toContain('1086 vs 1286 bytes (84%)');
    expect(text).toContain('headers nearly swallow');
    expect(find(claimVerdicts(rows, 'ru'), 'protobuf-smaller').measured).toContain('152 байт в protobuf против 340 в JSON');
  });

  it('calls "gRPC is faster" wrong when gRPC was slower, and undecided when the ranges overlap', () => {
    const slower = [
      row('grpc-native', 'list', { total: { median: 300, min: 250, max: 600, count: 3 } }),
      row('rest', 'list', { total: { median: 8, min: 2, max: 40, count: 3 } }),
    ];
    expect(find(claimVerdicts(slower, 'en'), 'grpc-faster').measured).toContain('the claim does not hold');
    const overlapping = [
      row('grpc-native', 'list', { total: { median: 5, min: 2, max: 9, count: 3 } }),
      row('rest', 'list', { total: { median: 6, min: 3, max: 12, count: 3 } }),
    ];
    expect(find(claimVerdicts(overlapping, 'en'), 'grpc-faster').measured).toContain('neither is faster');
  });

  it('counts long polling requests against events, and GraphQL round trips with its SQL statements', () => {
    const rows = [
      row('long-polling', 'events', { roundTrips: 5, bytesDown: 2000, idleBytesPerMinute: 900 }, 3),
      row('rest', 'read', { roundTrips: 2 }),
      row('graphql-post', 'read', { roundTrips: 1 }, 4, 2),
    ];
    expect(find(claimVerdicts(rows, 'en'), 'long-polling-requests').measured).toMatch(/^3 events cost 5 HTTP requests.*True/);
    expect(find(claimVerdicts(rows, 'en'), 'graphql-round-trips').measured).toContain('ran 2 SQL statements');
    // Russian numbers agree with their nouns: 3 события, 5 запросов, 2 обмена, 1 обмен, 2 SQL-запроса
    expect(find(claimVerdicts(rows, 'ru'), 'long-polling-requests').measured).toMatch(/^На 3 события ушло 5 HTTP-запросов/);
    expect(find(claimVerdicts(rows, 'ru'), 'graphql-round-trips').measured).toContain(
      'REST — 2 обмена, 0 байт; GraphQL — 1 обмен, 0 байт. Цена для сервера: резолверы GraphQL выполнили 2 SQL-запроса',
    );
  });

  it('says what GraphQL batching changed in the by-id job: round trips and bytes, and the SQL statements measured', () => {
    const byId = (batching: boolean, values: Partial<ProtocolResult>, sql: number) =>
      row('graphql-post', 'by-id', { byIdCount: 3, graphqlBatching: batching, ...values }, 9, sql);
    const off = byId(false, { roundTrips: 3, bytesUp: 1500, bytesDown: 4500 }, 6);
    const on = byId(true, { roundTrips: 1, bytesUp: 700, bytesDown: 3600 }, 4);
    const read = [row('rest', 'read', { roundTrips: 2 }), row('graphql-post', 'read', { roundTrips: 1 }, 4, 2)];
    const en = find(claimVerdicts([...read, off, on], 'en'), 'graphql-round-trips').measured!;
    expect(en).toContain(
      'Batching, 3 users, one operation each: one by one 3 round trips, 6000 bytes; in one POST 1 round trip, 4300 bytes (less by the headers of the extra requests).',
    );
    expect(en).toContain('ran 6 SQL statements one by one and 4 batched: fewer, because a batch’s operations share one loader');
    expect(en).toContain('not the server’s work');
    const ru = find(claimVerdicts([...read, off, on], 'ru'), 'graphql-round-trips').measured!;
    expect(ru).toContain('Пакетная отправка, 3 пользователя, по операции на каждого: по одному — 3 обмена, 6000 байт; одним POST — 1 обмен, 4300 байт');
    expect(ru).toContain('SQL-запросов сервер выполнил 6 по одному и 4 пакетом: меньше');
    // The same work when the batch merged nothing; measured on its own, without the read job.
    const same = find(claimVerdicts([off, byId(true, { roundTrips: 1 }, 6)], 'en'), 'graphql-round-trips').measured!;
    expect(same).toContain('6 SQL statements one by one and 6 batched: the same.');
    // Rows of another size are not compared; without both, the read job's verdict says what to run.
    const otherSize = byId(true, { byIdCount: 5, roundTrips: 1 }, 6);
    expect(find(claimVerdicts([...read, off, otherSize], 'en'), 'graphql-round-trips').measured).toContain(
      'run the job "users with posts, one operation each" with GraphQL batching off, then on',
    );
    expect(find(claimVerdicts([on], 'en'), 'graphql-round-trips').measured).toBeNull();
  });

  it('names the cheapest protocol per event, even when it is not WebSocket', () => {
    const rows = [
      row('websocket', 'events', { bytesDown: 900 }, 3),
      row('sse', 'events', { bytesDown: 600 }, 3),
      row('long-polling', 'events', { bytesDown: 3000 }, 3),
    ];
    const text = find(claimVerdicts(rows, 'en'), 'websocket-cheaper').measured!;
    expect(text).toContain('websocket: 300, sse: 200, long-polling: 1000');
    expect(text).toContain('Cheapest: sse, not WebSocket');
    expect(text).toContain('Long polling costs more');
  });

  it('adds the client burst to the WebSocket claim: bytes from the client per message', () => {
    const rows = [row('ws-burst', 'burst', { bytesUp: 900 }, 10), row('http-one-by-one', 'burst', { bytesUp: 7000 }, 10)];
    expect(find(claimVerdicts(rows, 'en'), 'websocket-cheaper').measured).toContain(
      'WebSocket 90 client bytes per message (handshake included), HTTP one request per message 700.',
    );
    const dearer = [row('ws-burst', 'burst', { bytesUp: 900 }, 1), row('http-one-by-one', 'burst', { bytesUp: 700 }, 1)];
    expect(find(claimVerdicts(dearer, 'ru'), 'websocket-cheaper').measured).toContain('здесь WebSocket не дешевле');
  });
});
