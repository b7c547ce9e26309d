// Builds starters/go/<protocol> (the skeleton) and starters/go/complete/<protocol> once each, as the
// module starters/go is (go.mod, imports by module path), offline: a copy of the module in a Go
// workspace onto Debian's sources of the versions go.mod names (go-offline-workspace.ts says what
// that proves and what not). Then starts one on a free loopback port (it prints `LISTENING <port>`).
// The compiled packages go to the one Go build cache of the tests (go-build-cache.ts), shared by
// every Go starter test file and .ci/run's warm build: grpc-go compiles once per machine.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInModule, starterModule } from './go-offline-workspace.ts';
import { startStarterProcess, type RunningStarter } from './own-server-starters.ts';

export const GO_STARTERS = fileURLToPath(new URL('../../starters/go/', import.meta.url));

/** The starters whose code imports the gRPC stubs `go generate ./stubs` makes. */
const NEEDS_STUBS = new Set(['grpc', 'gateway', 'grpc-websocket']);

/**
 * The skeleton (starters/go/<protocol>) and the complete version (starters/go/complete/<protocol>),
 * built side by side in one module copy under `work`: they share every dependency, so the second
 * costs a compile of main and a link.
 */
export async function buildGoSkeletonAndComplete(protocol: string, work: string): Promise<{ skeleton: string; complete: string }> {
  const module = await starterModule(join(work, 'module'), { stubs: NEEDS_STUBS.has(protocol) });
  const built = { skeleton: join(work, `${protocol}-skeleton`), complete: join(work, `${protocol}-complete`) };
  await Promise.all([buildInModule(module, protocol, built.skeleton), buildInModule(module, `complete/${protocol}`, built.complete)]);
  return built;
}

export async function startGoStarter(binary: string, fault: string): Promise<RunningStarter> {
  return startStarterProcess(binary, ['-port', '0', '-fault', fault], binary);
}

/** An untouched skeleton: no -fault switch, it has its TODOs instead. */
export async function startGoSkeleton(binary: string): Promise<RunningStarter> {
  return startStarterProcess(binary, ['-port', '0'], binary);
}
