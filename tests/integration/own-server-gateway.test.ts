// The gateway suite: REST over the gRPC UserService as users.proto's google.api.http annotations
// map it. The Python gateway starter in front of the Python gRPC starter passes every check it
// can (UpdateUser is UNIMPLEMENTED there: "not offered"), and its untouched skeleton in front of
// the same gRPC server fails every check its TODOs name; a hand-written gateway with one mistake
// at a time (own-server-fixtures/gateway-server.ts) fails exactly the checks that should catch it.
// The Go gateway starter (built as its module offline, grpc-gateway's runtime from Debian's .deb,
// unpacked by .ci/fetch-grpc-gateway.sh into a folder of its own, never installed) does the same.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAsLoopbackStudent,
  expectSkeletonFailsItsTodos,
  failingIds,
  idsWith,
  PYTHON,
  STARTERS,
  startStarterProcess,
  type RunningStarter,
} from './own-server-starters.ts';
import { startGatewayFixture, type GatewayFault } from './own-server-fixtures/gateway-server.ts';
import { GRPC_GATEWAY_GOPATH } from './go-offline-workspace.ts';
import { buildGoSkeletonAndComplete, GO_STARTERS } from './own-server-go-starters.ts';
import { REPO_ROOT } from './as-code-runners.ts';

/** The complete gRPC starter the gateway calls: starters/python/complete/ once the starters moved there. */
const GRPC_STARTER = ['complete/grpc_server.py', 'grpc_server.py'].map((file) => `${STARTERS}${file}`).find((path) => existsSync(path))!;
const GATEWAY_STARTER = `${STARTERS}complete/gateway_server.py`;
const GATEWAY_SKELETON = `${STARTERS}gateway_server.py`;

const stubs = mkdtempSync(join(tmpdir(), 'wirelab-gateway-stubs-'));
beforeAll(async () => {
  await promisify(execFile)(PYTHON, [`${STARTERS}generate_grpc_stubs.py`, stubs]);
});
afterAll(() => rmSync(stubs, { recursive: true, force: true }));

const ALL_CHECKS = [
  'post-body-star',
  'proto3-json-names',
  'invalid-argument-400',
  'already-exists-409',
  'malformed-json-400',
  'get-path-variable',
  'not-found-404',
  'list-query-stream',
  'patch-partial-update',
  'delete-empty-200',
];
const ERROR_CHECKS = ['already-exists-409', 'delete-empty-200', 'invalid-argument-400', 'malformed-json-400', 'not-found-404'];

describe('starters/python/complete/gateway_server.py in front of the Python gRPC starter', () => {
  const env = { GRPC_STUBS: stubs };
  let grpc: RunningStarter;
  beforeAll(async () => {
    grpc = await startStarterProcess(PYTHON, [GRPC_STARTER, '--port', '0'], 'grpc_server.py', env);
  });
  afterAll(() => grpc?.stop());

  it('passes every check; PATCH is not offered (the gRPC starter answers UpdateUser UNIMPLEMENTED → 501)', async () => {
    const gateway = await startStarterProcess(PYTHON, [GATEWAY_STARTER, '--port', '0', '--grpc', `127.0.0.1:${grpc.port}`], 'gateway_server.py', env);
    try {
      const report = await checkAsLoopbackStudent('gateway', gateway.port);
      expect(report.results.map((result) => result.id)).toEqual(ALL_CHECKS);
      expect(report.results.filter((result) => result.outcome === 'fail').map((result) => [result.id, result.difference?.en])).toEqual([]);
      expect(idsWith(report, 'not-offered')).toEqual(['patch-partial-update']);
    } finally {
      await gateway.stop();
    }
  });

  it('its untouched skeleton (starters/python/gateway_server.py) listens and fails every check its TODOs name', async () => {
    const skeleton = await startStarterProcess(PYTHON, [GATEWAY_SKELETON, '--port', '0', '--grpc', `127.0.0.1:${grpc.port}`], 'gateway_server.py', env);
    try {
      const report = await expectSkeletonFailsItsTodos('gateway', GATEWAY_SKELETON, skeleton.port);
      // what the skeleton gives as examples works: the body: "*" mapping of POST
      expect(idsWith(report, 'pass')).toEqual(['post-body-star']);
    } finally {
      await skeleton.stop();
    }
  });

  describe('the Go gateway starter (starters/go/complete/gateway and starters/go/gateway)', () => {
    let built: { skeleton: string; complete: string };
    beforeAll(async () => {
      await promisify(execFile)('sh', [join(REPO_ROOT, '.ci', 'fetch-grpc-gateway.sh'), GRPC_GATEWAY_GOPATH]);
      built = await buildGoSkeletonAndComplete('gateway', stubs);
    }, 240_000); // grpc-go compiled cold on a busy 2-core CI machine: a ceiling, not a measurement

    it('the complete version passes every check; PATCH is not offered', async () => {
      const gateway = await startStarterProcess(built.complete, ['-port', '0', '-grpc', `127.0.0.1:${grpc.port}`], 'go gateway');
      try {
        const report = await checkAsLoopbackStudent('gateway', gateway.port);
        expect(report.results.filter((result) => result.outcome === 'fail').map((result) => [result.id, result.difference?.en])).toEqual([]);
        expect(idsWith(report, 'not-offered')).toEqual(['patch-partial-update']);
      } finally {
        await gateway.stop();
      }
    });

    it('its untouched skeleton fails every check its TODOs name', async () => {
      const skeleton = await startStarterProcess(built.skeleton, ['-port', '0', '-grpc', `127.0.0.1:${grpc.port}`], 'go gateway skeleton');
      try {
        const report = await expectSkeletonFailsItsTodos('gateway', join(GO_STARTERS, 'gateway', 'main.go'), skeleton.port);
        expect(idsWith(report, 'pass')).toEqual(['post-body-star']);
      } finally {
        await skeleton.stop();
      }
    });
  });
});

describe('a hand-written gateway with one mistake', () => {
  it.each<[GatewayFault, string[]]>([
    ['', []],
    ['proto-names', ['proto3-json-names']],
    ['errors-500', ERROR_CHECKS],
    ['error-text', ERROR_CHECKS],
    ['query-proto-name-only', ['list-query-stream']],
    ['rest-statuses', ['delete-empty-200', 'post-body-star']],
  ])('with fault "%s" fails exactly %j', async (fault, failing) => {
    const fixture = await startGatewayFixture(fault);
    try {
      const report = await checkAsLoopbackStudent('gateway', fixture.port);
      expect(report.results).toHaveLength(ALL_CHECKS.length);
      expect(failingIds(report)).toEqual(failing);
      expect(idsWith(report, 'not-offered')).toEqual([]);
    } finally {
      await fixture.close();
    }
  });
});
