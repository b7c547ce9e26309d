// Correct servers the suites once failed (issue 38, item 1): each test runs a suite against a
// server that does what the cited clause allows, and asserts that nothing fails because of it.
import { afterEach, describe, expect, it } from 'vitest';
import { checkAsLoopbackStudent, failingIds, idsWith } from './own-server-starters.ts';
import { startEmptyGrpcFixture } from './own-server-fixtures/grpc-empty-store.ts';
import { startGraphqlFixture } from './own-server-fixtures/graphql-server.ts';
import { startRestFixture, type RestFixtureOptions } from './own-server-fixtures/rest-server.ts';
import { startSseFixture } from './own-server-fixtures/sse-server.ts';

describe('REST: what RFC 9110 allows passes', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function run(options: RestFixtureOptions) {
    const fixture = await startRestFixture(options);
    close = fixture.close;
    const report = await checkAsLoopbackStudent('rest', fixture.port);
    return { report, fixture };
  }

  it('a plain correct server passes every check (the fixture itself is right)', async () => {
    const { report } = await run({});
    expect(failingIds(report)).toEqual([]);
  });

  it('PUT answered 204 No Content (§9.3.4)', async () => {
    const { report } = await run({ putAnswer: 204 });
    expect(failingIds(report)).toEqual([]);
  });

  it('DELETE answered 200 with a body (§9.3.5)', async () => {
    const { report } = await run({ deleteAnswer: 200 });
    expect(failingIds(report)).toEqual([]);
  });

  it('weak ETags, with If-Match compared strongly (§13.1.1): a weak tag refused with 412 is right', async () => {
    const { report } = await run({ etags: 'weak' });
    expect(failingIds(report)).toEqual([]);
    const ifMatch = report.results.find((result) => result.id === 'if-match-current-200');
    expect(ifMatch?.sent).toContain('if-match: *');
  });

  it('Link targets as relative references (<?page=2&limit=1>), resolved against the request URL (RFC 8288 §3.1, RFC 3986 §5)', async () => {
    const { report } = await run({ links: 'relative' });
    expect(failingIds(report)).toEqual([]);
    expect(report.results.find((result) => result.id === 'pagination-next-page')?.sent).toContain('GET /api/v1/users?page=2&limit=1 HTTP/1.1');
  });

  it('406 for an Accept it cannot give (§12.5.1), OPTIONS left out: 405 with Allow (§9.3.7)', async () => {
    const { report } = await run({ negotiation: 'strict' });
    expect(failingIds(report)).toEqual([]);
    const byId = new Map(report.results.map((result) => [result.id, result]));
    expect(byId.get('accept-unsatisfiable')?.got).toMatch(/^HTTP\/1\.1 406 /);
    expect(byId.get('options-allow')?.got).toMatch(/^HTTP\/1\.1 405 /);
  });

  it('a run leaves no junk that changes the next run: twice against a server that saves before it validates (issue 38, item 5)', async () => {
    const { report, fixture } = await run({ fault: 'saves-before-validating' });
    const reasons = (each: typeof report) => each.results.filter((result) => result.outcome !== 'pass').map((result) => [result.id, result.difference]);
    // it fails mid-way (no 415: it reads any body as JSON), and keeps the user its 422 refused
    expect(failingIds(report)).toEqual(['unsupported-media-type-415', 'unsupported-media-type-problem']);
    expect([...fixture.users.values()].map((user) => user.email)).toEqual(['ada@example.com']);
    const again = await checkAsLoopbackStudent('rest', fixture.port);
    expect(reasons(again)).toEqual(reasons(report));
    expect([...fixture.users.values()].map((user) => user.email)).toEqual(['ada@example.com']);
  });

  it('string ids (UUIDs), duplicate-409 included, and nothing of the suite left behind', async () => {
    const { report, fixture } = await run({ ids: 'uuid' });
    expect(failingIds(report)).toEqual([]);
    expect([...fixture.users.values()].map((user) => user.email)).toEqual(['ada@example.com']);
  });
});

describe('gRPC: the deadline check makes its own data', () => {
  it('a correct server with an empty store passes deadline-exceeded, and keeps no user of the suite', async () => {
    const fixture = await startEmptyGrpcFixture();
    try {
      const report = await checkAsLoopbackStudent('grpc', fixture.port);
      expect(report.results.find((result) => result.id === 'deadline-exceeded')?.outcome).toBe('pass');
      expect(failingIds(report)).toEqual([]);
      // all four kinds of call offered; reflection left out is not offered, never failed
      expect(idsWith(report, 'not-offered')).toEqual([
        'connect-offered',
        'grpc-web-offered',
        'reflection-file-containing-symbol',
        'reflection-offered',
        'reflection-v1alpha-offered',
      ]);
      expect(fixture.users.size).toBe(0);
    } finally {
      await fixture.close();
    }
  });
});

describe('GraphQL: a depth refusal with "data": null is a refusal', () => {
  it('depth-limit passes a server that answers a too-deep query with "data": null and an error', async () => {
    const fixture = await startGraphqlFixture();
    try {
      const report = await checkAsLoopbackStudent('graphql', fixture.port);
      const depth = report.results.find((result) => result.id === 'depth-limit');
      expect(depth?.difference?.en).toBeUndefined();
      expect(depth?.outcome).toBe('pass');
    } finally {
      await fixture.close();
    }
  });
});

describe('SSE: what HTML §9.2.5 allows passes', () => {
  it('a leading BOM, CRLF after fields and lone CRs after comments pass every check', async () => {
    const fixture = await startSseFixture('crlf-bom');
    try {
      expect(failingIds(await checkAsLoopbackStudent('sse', fixture.port))).toEqual([]);
    } finally {
      await fixture.close();
    }
  });
});

describe("SSE: a second run finds the first run's events and still passes (issue 51)", () => {
  it('two runs against one server: the second opens its streams once events exist', async () => {
    const fixture = await startSseFixture();
    try {
      expect(failingIds(await checkAsLoopbackStudent('sse', fixture.port))).toEqual([]);
      expect(failingIds(await checkAsLoopbackStudent('sse', fixture.port))).toEqual([]);
    } finally {
      await fixture.close();
    }
  }, 60_000);
});
