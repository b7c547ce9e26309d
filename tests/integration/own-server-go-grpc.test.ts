// The Go gRPC starter (Debian's Go 1.19 and grpc-go 1.33, built offline, stubs made by the
// starter's own generate_stubs.sh) passes every gRPC check it offers: plain gRPC, health and
// reflection v1 (written in the starter: grpc-go 1.33 has only v1alpha); gRPC-Web and Connect are
// not offered. Each fault fails exactly the check that should catch it; no-reflection turns
// reflection into "not offered", never a failure.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoStarter, GO_STARTERS, startGoStarter } from './own-server-go-starters.ts';
import { checkAsLoopbackStudent, failingIds, idsWith } from './own-server-starters.ts';

const work = mkdtempSync(join(tmpdir(), 'wirelab-go-grpc-'));
const binary = join(work, 'grpc-server');
const gopath = join(work, 'gopath');

beforeAll(async () => {
  await promisify(execFile)(join(GO_STARTERS, 'grpc', 'generate_stubs.sh'), [gopath]);
  await buildGoStarter('grpc', binary, [gopath]);
}, 240_000); // grpc-go compiled cold on a busy 2-core CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PLAIN_GRPC_ONLY = ['connect-offered', 'grpc-web-offered'];

describe('starters/go/grpc', () => {
  it.each([
    ['', [], PLAIN_GRPC_ONLY],
    ['no-health', ['health-serving'], PLAIN_GRPC_ONLY],
    ['unknown-status', ['not-found-status'], PLAIN_GRPC_ONLY],
    ['raw-context-error', ['deadline-exceeded'], PLAIN_GRPC_ONLY],
    ['no-reflection', [], [...PLAIN_GRPC_ONLY, 'reflection-offered']],
  ])('with fault "%s" fails exactly %j', async (fault, failing, notOffered) => {
    const starter = await startGoStarter(binary, fault);
    try {
      const report = await checkAsLoopbackStudent('grpc', starter.port);
      expect(report.results).toHaveLength(10);
      expect(failingIds(report)).toEqual(failing);
      expect(idsWith(report, 'not-offered')).toEqual(notOffered);
    } finally {
      await starter.stop();
    }
  });
});
