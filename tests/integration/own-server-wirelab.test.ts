// Wirelab's own server passes every "check my server" check: the suites hold student servers to
// the contract this server implements. And the guard refuses what it must, before any check runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKED_PROTOCOLS } from '../../contracts/own-server/check-result.ts';
import { createAddressGuard } from '../../server/own-server/address-guard.ts';
import { createOwnServerChecker, runChecks } from '../../server/own-server/runner.ts';
import { ownServerStrings } from '../../web/own-server/strings.ts';
import { checkAsLoopbackStudent } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("Wirelab checked as if it were a student's server", () => {
  // the seminar's grpc-websocket task is the student's to write: Wirelab serves no /events WebSocket
  it.each(CHECKED_PROTOCOLS.filter((protocol) => protocol !== 'grpc-websocket'))('passes every %s check', async (protocol) => {
    const report = await checkAsLoopbackStudent(protocol, server.port);
    expect(report.reachable).toBe(true);
    expect(report.results.length).toBeGreaterThanOrEqual(5);
    // the page's list of suites types no count, in either language: the report gives it (issue 55)
    expect(ownServerStrings.en.protocolPaths[protocol]).not.toMatch(/\d+ checks?\b/);
    expect(ownServerStrings.ru.protocolPaths[protocol]).not.toMatch(/\d+ провер/);
    expect(report.results.filter((result) => result.outcome !== 'pass').map((result) => [result.id, result.difference?.en, result.got])).toEqual([]);
    for (const result of report.results) {
      // every check says what it sent and what came back, and why, in both languages
      expect(result.sent.length, result.id).toBeGreaterThan(0);
      expect(result.got.length, result.id).toBeGreaterThan(0);
      expect(result.name.ru && result.expected.ru && result.why.text.ru, result.id).toMatch(/[а-яё]/i);
      expect(result.why.clause, result.id).toMatch(
        /^(RFC \d+ §|HTML §|gRPC|users\.proto|Connect|GraphQL (spec|over HTTP)|graphql-ws|Wirelab's contract|MQTT 3\.1\.1 §)/,
      );
    }
  });

  it("runs the grpc-websocket suite, the seminar's task, and fails it: no WebSocket at /events", async () => {
    const report = await checkAsLoopbackStudent('grpc-websocket', server.port);
    expect(report.reachable).toBe(true);
    expect(report.results.length).toBeGreaterThanOrEqual(5);
    expect(report.results.find((result) => result.id === 'events-handshake')?.outcome).toBe('fail');
  });

  it('sends what it says it sent: the REST create check reports the real request bytes', async () => {
    const report = await checkAsLoopbackStudent('rest', server.port);
    const create = report.results.find((result) => result.id === 'create-201-location')!;
    expect(create.sent).toMatch(/^POST \/api\/v1\/users HTTP\/1\.1\n/);
    expect(create.got).toMatch(/^HTTP\/1\.1 201 Created\n/);
    expect(create.got).toMatch(/\nlocation: \/api\/v1\/users\/\d+\n/i);
  });
  it('checks GraphQL over HTTP and over graphql-transport-ws, and deletes every user it made', async () => {
    const report = await checkAsLoopbackStudent('graphql', server.port);
    expect(report.results.map((result) => result.id)).toEqual([
      'post-query-200',
      'get-query-200',
      'mutation-create-user',
      'variables',
      'operation-name',
      'syntax-error-400',
      'validation-error-200',
      'depth-limit',
      'get-mutation-405',
      // graphql-http's MUST audits (checks/graphql-audits.ts)
      'accept-json-4655',
      'utf8-response-82A3',
      'utf8-request-BF61',
      'utf8-assumed-78D5',
      'string-operation-name-B8B3',
      'null-operation-name-0220',
      'null-variables-0221',
      'null-extensions-0222',
      'map-variables-28B9',
      'map-extensions-1B7A',
      // more of GraphQL over HTTP's MUSTs (checks/graphql-http-rules.ts)
      'post-no-accept-2C94',
      'string-query-13EE',
      'unknown-property-ignored',
      'data-2xx-EE52',
      'no-data-4xx-51FE',
      'get-variables-json',
      'get-extensions-json',
      'get-operation-name',
      'ws-init-ack',
      'ws-subscribe-next',
      'ws-complete-stops',
      'ws-ping-pong',
      'ws-subscribe-before-init-4401',
      'ws-second-init-4429',
      'ws-invalid-message-4400',
      'ws-duplicate-id-4409',
    ]);
    const byId = new Map(report.results.map((result) => [result.id, result]));
    expect(byId.get('syntax-error-400')!.got).toMatch(
      /^HTTP\/1\.1 400 Bad Request\n[\s\S]*content-type: application\/graphql-response\+json[\s\S]*"locations"/i,
    );
    expect(byId.get('get-query-200')!.sent).toMatch(/^GET \/graphql\?query=/);
    const subscribed = byId.get('ws-subscribe-next')!;
    expect(subscribed.sent).toMatch(/Sec-WebSocket-Protocol: graphql-transport-ws/);
    // a frame over 125 bytes names its length and shows its start: "← text (163 B, 16-bit length): "{\"type\":\"next\",\"id\":\"wirelab-nex"…
    expect(subscribed.got).toMatch(/← text(?: \([^)]*\))?: "\{\\"type\\":\\"next\\",\\"id\\":\\"wirelab-ne/);
    expect(subscribed.got).toContain('(over HTTP)');
    expect(byId.get('ws-duplicate-id-4409')!.got).toMatch(/← close: code 4409/);
    // the suite's users (wirelab-graphql-…@example.com) are gone again
    const left = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ users(filter: { search: "wirelab-graphql" }, first: 100) { nodes { email } } }' }),
    }).then((response) => response.json());
    expect(left.data.users.nodes).toEqual([]);
  });
});

describe('the guard, before any check', () => {
  it("refuses a student on the LAN who aims at the server's own loopback, in both languages", async () => {
    const guard = createAddressGuard({ studentAddress: '192.168.1.5', enabled: true });
    const report = await runChecks('rest', `127.0.0.1:${server.port}`, { guard });
    expect(report.reachable).toBe(false);
    expect(report.results).toEqual([]);
    expect(report.refusal?.en).toMatch(/only your own machine/);
    expect(report.refusal?.ru).toMatch(/только вашу собственную машину/);
  });

  it('refuses a name that resolves elsewhere, through an injected resolver', async () => {
    const guard = createAddressGuard({ studentAddress: '127.0.0.1', enabled: true });
    const report = await runChecks('websocket', `my-server.example:${server.port}`, {
      guard,
      resolver: (_name, callback) => callback(null, [{ address: '203.0.113.9', family: 4 }]),
    });
    expect(report.reachable).toBe(false);
    expect(report.refusal?.en).toMatch(/203\.0\.113\.9 is not the address/);
  });

  it('reaches localhost by name', async () => {
    const guard = createAddressGuard({ studentAddress: '::1', enabled: true });
    const report = await runChecks('sse', `localhost:${server.port}`, {
      guard,
      resolver: (_name, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]),
    });
    expect(report.reachable).toBe(true);
    expect(report.results.every((result) => result.outcome === 'pass')).toBe(true);
  });

  it('runs one suite at a time per student, and students apart from each other', async () => {
    const check = createOwnServerChecker({ enabled: true });
    const target = `127.0.0.1:${server.port}`;
    const first = check('sse', target, '::ffff:127.0.0.1');
    const second = await check('rest', target, '127.0.0.1');
    expect(second.reachable).toBe(false);
    expect(second.refusal?.ru).toMatch(/уже идёт/);
    const lanStudent = await check('rest', target, '192.168.1.5');
    expect(lanStudent.refusal?.en).toMatch(/only your own machine/);
    expect((await first).results.every((result) => result.outcome === 'pass')).toBe(true);
    expect((await check('websocket', target, '127.0.0.1')).reachable).toBe(true);
  });

  it('refuses everything with OWN_SERVERS=off', async () => {
    const guard = createAddressGuard({ studentAddress: '127.0.0.1', enabled: false });
    const report = await runChecks('rest', `127.0.0.1:${server.port}`, { guard });
    expect(report.reachable).toBe(false);
    expect(report.refusal?.ru).toMatch(/OWN_SERVERS=off/);
  });
});
