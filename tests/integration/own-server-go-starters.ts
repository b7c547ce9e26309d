// Builds starters/go/<protocol> (the skeleton) and starters/go/complete/<protocol> once each (Debian's Go 1.19, offline, GOPATH mode) and starts it on a free
// loopback port (it prints `LISTENING <port>`). The compiled packages go to the one Go build cache
// of the tests (go-build-cache.ts), shared by every Go starter test file, the "As code" programs
// and runs after this one: grpc-go and protobuf-go compile once per machine, not once per file.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GO_BUILD_CACHE } from './go-build-cache.ts';
import { startStarterProcess, type RunningStarter } from './own-server-starters.ts';

export const GO_STARTERS = fileURLToPath(new URL('../../starters/go/', import.meta.url));

/** go build in starters/go/<folder>; gopath: extra GOPATH entries before Debian's (generated stubs). */
export async function buildGoStarter(folder: string, binary: string, gopath: string[] = []): Promise<void> {
  await promisify(execFile)('go', ['build', '-o', binary, '.'], {
    cwd: join(GO_STARTERS, folder),
    env: { ...process.env, GO111MODULE: 'off', GOPATH: [...gopath, '/usr/share/gocode'].join(':'), GOCACHE: GO_BUILD_CACHE, GOFLAGS: '' },
  });
}

/**
 * The skeleton (starters/go/<protocol>) and the complete version (starters/go/complete/<protocol>),
 * built side by side: they share every dependency, so the second costs a compile of main and a link.
 */
export async function buildGoSkeletonAndComplete(protocol: string, work: string, gopath: string[] = []): Promise<{ skeleton: string; complete: string }> {
  const built = { skeleton: join(work, `${protocol}-skeleton`), complete: join(work, `${protocol}-complete`) };
  await Promise.all([buildGoStarter(protocol, built.skeleton, gopath), buildGoStarter(`complete/${protocol}`, built.complete, gopath)]);
  return built;
}

export async function startGoStarter(binary: string, fault: string): Promise<RunningStarter> {
  return startStarterProcess(binary, ['-port', '0', '-fault', fault], binary);
}

/** An untouched skeleton: no -fault switch, it has its TODOs instead. */
export async function startGoSkeleton(binary: string): Promise<RunningStarter> {
  return startStarterProcess(binary, ['-port', '0'], binary);
}
