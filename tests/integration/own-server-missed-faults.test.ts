// Broken servers the suites once passed (issue 38, item 2): what a browser drops fails every
// check that needs the connection or the stream, and says that a browser would drop it.
import { describe, expect, it } from 'vitest';
import { checkAsLoopbackStudent, failingIds } from './own-server-starters.ts';
import { startWebSocketFixture, type WebSocketFault } from './own-server-fixtures/websocket-server.ts';
import { startSseFixture, type SseFault } from './own-server-fixtures/sse-server.ts';
import { startEmptyGrpcFixture, type GrpcFault } from './own-server-fixtures/grpc-empty-store.ts';
import { startGraphqlFixture, type GraphqlFault } from './own-server-fixtures/graphql-server.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { auditChecks } from '../../server/own-server/checks/graphql-audits.ts';
import { httpRuleChecks } from '../../server/own-server/checks/graphql-http-rules.ts';
import { formatReport, replayCommand } from '../../server/own-server/cli-report.ts';
import { restSuite } from '../../server/own-server/checks/rest.ts';
import { startRestFixture, type RestFault } from './own-server-fixtures/rest-server.ts';

async function websocketReport(fault: WebSocketFault) {
  const fixture = await startWebSocketFixture(fault);
  try {
    return await checkAsLoopbackStudent('websocket', fixture.port);
  } finally {
    await fixture.close();
  }
}

async function sseReport(fault: SseFault) {
  const fixture = await startSseFixture(fault);
  try {
    return await checkAsLoopbackStudent('sse', fixture.port);
  } finally {
    await fixture.close();
  }
}

async function restReport(fault?: RestFault) {
  const fixture = await startRestFixture({ fault });
  try {
    return await checkAsLoopbackStudent('rest', fixture.port);
  } finally {
    await fixture.close();
  }
}

describe('REST', () => {
  // one realistic mistake per family of the checks RFC 9110's conditional requests, method
  // semantics and content negotiation, RFC 9457 and lesson 2's paging brought (issue 38, item 6);
  // the fixture without a fault passes every check (own-server-false-failures.test.ts)
  it.each([
    ['strict-if-none-match', ['if-none-match-list-304', 'if-none-match-star-304', 'if-none-match-weak-304']],
    ['any-tag-304', ['if-none-match-stale-200']],
    ['bare-304', ['not-modified-etag']],
    ['frozen-etag', ['etag-changes-on-write']],
    ['if-match-put-only', ['if-match-stale-delete-412']],
    ['no-head', ['head-like-get']],
    ['wrong-allow', ['allow-lists-methods', 'options-allow']],
    ['spa-fallback', ['unknown-path-404']],
    ['member-post-creates', ['member-post-405']],
    ['accept-500', ['accept-unsatisfiable']],
    ['exact-content-type', ['json-with-charset-201']],
    ['empty-as-object', ['empty-json-body-400']],
    [
      'plain-errors',
      ['conflict-problem', 'empty-json-body-400', 'malformed-json-400', 'not-found-problem', 'unsupported-media-type-problem', 'validation-422-problem'],
    ],
    ['no-prev', ['pagination-last-page', 'pagination-prev-link']],
    ['next-repeats', ['pagination-last-page', 'pagination-next-page', 'pagination-prev-link']],
    ['no-location', ['create-201-location']],
    // issue 51: "*" and lists in the validators, paging at both ends
    ['if-none-match-star-as-tag', ['if-none-match-star-304']],
    ['if-match-star-as-tag', ['if-match-star-put']],
    ['if-match-first-tag', ['if-match-list-put']],
    ['prev-on-first', ['pagination-first-page']],
    ['first-zero-based', ['pagination-first-page']],
    ['next-always', ['pagination-last-page']],
    ['last-floor', ['pagination-last-page']],
  ] as const)('%s fails exactly %j', async (fault, expected) => {
    const report = await restReport(fault);
    expect(report.results).toHaveLength(restSuite.checks.length);
    expect(failingIds(report)).toEqual([...expected].sort());
  });
});

describe("REST: a failure names the request that failed, not the check's first (issue 51, item 5)", () => {
  it('no-prev: pagination-prev-link shows page 2, the request whose answer lacked rel="prev"', async () => {
    const report = { ...(await restReport('no-prev')), target: '127.0.0.1:1' };
    const result = report.results.find((each) => each.id === 'pagination-prev-link')!;
    expect(result.sent).toMatch(/^GET \/api\/v1\/users\?page=1&limit=1 HTTP\/1\.1/);
    expect(result.failedRequest).toMatch(/^GET \/api\/v1\/users\?page=2&limit=1 HTTP\/1\.1/);
    const lines = formatReport(report, 'en');
    const at = lines.findIndex((line) => line.includes('pagination-prev-link'));
    expect(lines[at + 1]).toMatch(/← GET \/api\/v1\/users\?page=2&limit=1 HTTP\/1\.1$/);
    expect(lines[at + 2]).toContain("'http://127.0.0.1:1/api/v1/users?page=2&limit=1'");
  });
});

describe("REST: a failure's replay reproduces it alone on a fresh server (issue 38, item 5)", () => {
  // the run's user is gone when the student replays: the command creates one, sends that user's
  // current ETag where the check sent the run's, and deletes the user after itself
  it.each([
    ['if-match-put-only', 'if-match-stale-delete-412', 'HTTP/1.1 204', 'HTTP/1.1 412'],
    ['strict-if-none-match', 'if-none-match-list-304', 'HTTP/1.1 200', 'HTTP/1.1 304'],
  ] as const)('%s: the replay of %s answers as the failure did (%s), and as a fixed server does (%s)', async (fault, id, broken, fixed) => {
    const result = (await restReport(fault)).results.find((each) => each.id === id)!;
    expect(result.outcome).toBe('fail');
    for (const [options, status] of [
      [{ fault }, broken],
      [{}, fixed],
    ] as const) {
      const fresh = await startRestFixture(options);
      try {
        const { stdout } = await promisify(execFile)('bash', ['-c', replayCommand(result, `127.0.0.1:${fresh.port}`, 'rest')!]);
        expect(stdout.split('\r\n')[0]).toMatch(new RegExp(`^${status} `));
        expect([...fresh.users.values()].map((user) => user.email)).toEqual(['ada@example.com']);
      } finally {
        await fresh.close();
      }
    }
  });
});

describe('WebSocket', () => {
  it('the fixture without a fault passes every check', async () => {
    expect(failingIds(await websocketReport(''))).toEqual([]);
  });

  it('a wrong Sec-WebSocket-Accept fails every check, saying a browser fails the connection (RFC 6455 §4.1)', async () => {
    const report = await websocketReport('wrong-accept');
    expect(report.counts).toEqual({ passed: 0, failed: 37, notOffered: 0 });
    for (const result of report.results) {
      expect(result.difference?.en).toContain('Sec-WebSocket-Accept');
      expect(result.difference?.ru).toContain('браузер');
    }
  });

  it('masked server frames fail every check that gets one, citing RFC 6455 §5.1', async () => {
    const report = await websocketReport('masked');
    const masked = [
      'binary-65535-bytes-16-bit-length',
      'binary-65536-bytes-64-bit-length',
      'binary-echo',
      'empty-text-echo',
      'fragmented-echo',
      'ping-125-bytes-pong',
      'ping-between-fragments',
      'ping-empty-pong',
      'ping-pong',
      'reserved-control-opcode-1002',
      'rsv2-after-echo-1002',
      'text-125-bytes',
      'text-126-bytes-16-bit-length',
      'text-echo',
      'unsolicited-pong-ignored',
      'utf8-in-one-byte-fragments',
      'utf8-noncharacter-echoed',
    ];
    expect(failingIds(report)).toEqual(masked);
    for (const result of report.results.filter((each) => masked.includes(each.id))) {
      expect(result.difference?.en).toContain('RFC 6455 §5.1');
      expect(result.got).toContain('(MASKED)');
    }
  });

  // one fault per family of the checks brought from Autobahn|Testsuite's categories (issue 38, item 6)
  it.each([
    ['echo-cut-at-64k', ['binary-65536-bytes-64-bit-length']],
    ['pong-empty', ['ping-125-bytes-pong', 'ping-between-fragments', 'ping-pong', 'unsolicited-pong-ignored']],
    ['rsv-ignored', ['reserved-bits-1002', 'rsv2-after-echo-1002']],
    ['reserved-opcode-as-binary', ['reserved-control-opcode-1002', 'reserved-opcode-1002']],
    ['fragments-lenient', ['fragmented-ping-1002', 'text-inside-fragmented-message-1002']],
    ['no-utf8-check', ['close-reason-invalid-utf8', 'invalid-utf8-1007', 'invalid-utf8-in-fragments-1007', 'utf8-overlong-1007', 'utf8-surrogate-1007']],
    ['close-not-answered', ['close-code-echoed', 'close-empty-answered', 'close-handshake', 'text-after-close-ignored']],
    ['too-big-cut', ['message-too-big-1009']],
  ] as const)('%s fails exactly %j', async (fault, expected) => {
    expect(failingIds(await websocketReport(fault))).toEqual([...expected].sort());
  });
});

describe('SSE', () => {
  it('the fixture without a fault passes every check', async () => {
    expect(failingIds(await sseReport(''))).toEqual([]);
  });

  it('text/plain fails every stream check, saying EventSource would fail the connection (HTML §9.2.3)', async () => {
    const report = await sseReport('text-plain');
    expect(report.counts).toEqual({ passed: 0, failed: 11, notOffered: 0 });
    for (const result of report.results.filter((each) => each.id !== 'stream-content-type')) {
      expect(result.difference?.en).toContain('EventSource');
      expect(result.difference?.ru).toContain('EventSource');
    }
  });

  it('a stream the server ends after its head fails as "the stream ended", in both languages (issue 51, item 5)', async () => {
    const result = (await sseReport('breaks-with-history')).results.find((each) => each.id === 'new-stream-after-events')!;
    expect(result.difference?.en).toMatch(/^the stream ended: .* after its head and \d+ bytes in all/);
    expect(result.difference?.ru).toMatch(/^поток закончился: /);
  });

  // one fault per family of the checks HTML §9.2's field rules and reconnection brought (issue 38, item 6)
  it.each([
    ['cp1251', ['charset-utf-8', 'utf8-data']],
    ['nul-id', ['id-without-nul', 'resume-from-latest-replays-nothing', 'resume-last-event-id']],
    ['bom-per-event', ['bom-only-at-start', 'event-with-id', 'id-without-nul', 'resume-from-latest-replays-nothing', 'resume-last-event-id']],
    ['replay-all', ['resume-from-latest-replays-nothing', 'resume-last-event-id']],
    ['breaks-with-history', ['new-stream-after-events']],
  ] as const)('%s fails exactly %j', async (fault, expected) => {
    expect(failingIds(await sseReport(fault))).toEqual([...expected].sort());
  });
});

describe('gRPC', () => {
  // one fault per family of the checks brought from gRPC's PROTOCOL-HTTP2.md, the four kinds of
  // call and statuscodes.md (issue 38, item 6); each fails exactly its check
  it.each([
    ['list-ignores-max', ['server-stream-list-users', 'deadline-in-seconds-ok']],
    ['create-users-miscount', ['client-stream-create-users']],
    ['chat-silent', ['bidi-stream-chat']],
    ['content-type-json', ['response-content-type-grpc']],
    ['status-in-headers', ['status-in-trailers']],
    ['timeout-in-ms', ['deadline-in-seconds-ok']],
    ['metadata-refused', ['custom-metadata-accepted']],
    // issue 51: every argument CreateUser documents, each on its own
    ['checks-name-only', ['create-user-bad-email-invalid']],
    ['checks-email-only', ['create-user-empty-name-invalid']],
    ['unknown-service-ok', ['unknown-service-unimplemented']],
  ] as const)('%s fails exactly %j', async (fault: GrpcFault, expected) => {
    const fixture = await startEmptyGrpcFixture(fault);
    try {
      expect(failingIds(await checkAsLoopbackStudent('grpc', fixture.port))).toEqual([...expected].sort());
    } finally {
      await fixture.close();
    }
  });
});

describe("GraphQL: graphql-http's MUST audits and GraphQL over HTTP's MUSTs", () => {
  // the fixture is a small graphql-js server (no subscriptions): only these checks are judged here
  const AUDITS = new Set([...auditChecks, ...httpRuleChecks].map((check) => check.id));
  it.each([
    ['', []],
    ['null-params-crash', ['null-extensions-0222', 'null-operation-name-0220', 'null-variables-0221']],
    ['charset-refused', ['utf8-request-BF61']],
    ['extensions-refused', ['map-extensions-1B7A', 'null-extensions-0222']],
    ['text-plain', ['accept-json-4655']],
    ['accept-required', ['post-no-accept-2C94']],
    ['empty-errors', ['string-query-13EE']],
    ['graphql-type-always-400', ['data-2xx-EE52']],
    ['validation-200', ['no-data-4xx-51FE']],
    ['get-query-only', ['get-extensions-json', 'get-operation-name', 'get-variables-json']],
    ['unknown-property-refused', ['unknown-property-ignored']],
  ] as const)('%s fails exactly %j of them', async (fault: GraphqlFault, expected) => {
    const fixture = await startGraphqlFixture(fault);
    try {
      const report = await checkAsLoopbackStudent('graphql', fixture.port);
      expect(failingIds(report).filter((id) => AUDITS.has(id))).toEqual([...expected].sort());
    } finally {
      await fixture.close();
    }
  });
});
