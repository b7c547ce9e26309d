// The Python gRPC starter (grpcio, stubs from Debian's protoc and grpc_python_plugin) passes every
// gRPC check and is reported "not offered" — never passed — for gRPC-Web, Connect and reflection,
// which it does not speak; each deliberate fault fails exactly the check that should catch it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
  startPythonSkeleton,
  startPythonStarter,
} from './own-server-starters.ts';

const stubs = mkdtempSync(join(tmpdir(), 'wirelab-grpc-stubs-'));
beforeAll(async () => {
  await promisify(execFile)(PYTHON, [`${STARTERS}generate_grpc_stubs.py`, stubs]);
});
afterAll(() => rmSync(stubs, { recursive: true, force: true }));

describe('starters/python/complete/grpc_server.py', () => {
  it.each([
    ['', []],
    ['no-health', ['health-serving']],
    ['unknown-status', ['not-found-status']],
  ])('with fault "%s" fails exactly %j', async (fault, expected) => {
    const starter = await startPythonStarter('grpc_server.py', fault, { GRPC_STUBS: stubs });
    try {
      const report = await checkAsLoopbackStudent('grpc', starter.port);
      expect(report.results).toHaveLength(22);
      expect(failingIds(report)).toEqual(expected);
      expect(idsWith(report, 'not-offered')).toEqual([
        'connect-offered',
        'grpc-web-offered',
        'reflection-file-containing-symbol',
        'reflection-offered',
        'reflection-v1alpha-offered',
      ]);
    } finally {
      await starter.stop();
    }
  });

  it('its untouched skeleton (starters/python/grpc_server.py) listens and fails every check its TODOs name', async () => {
    const skeleton = await startPythonSkeleton('grpc_server.py', { GRPC_STUBS: stubs });
    try {
      await expectSkeletonFailsItsTodos('grpc', `${STARTERS}grpc_server.py`, skeleton.port);
    } finally {
      await skeleton.stop();
    }
  });
});
