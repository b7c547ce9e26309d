// What every benchmark shares: the server under load in a process of its own (so the load
// generator never shares its event loop), and the percentile of a sorted sample.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../server/node-flags.ts';

export interface BenchServer {
  child: ChildProcess;
  port: number;
  origin: string;
}

export interface BenchServerOptions {
  /** false: no byte tap at all (the baseline); true: the tap as students run it. @default false */
  tap?: boolean;
  /** an IPC channel and --expose-gc, for bench/websocket-idle.ts's memory probe. @default false */
  memoryProbe?: boolean;
  /** serve the built web app (dist/web) too. @default false */
  web?: boolean;
  /** the rate limits and per-address budgets a classroom gets (bench/soak.ts); else unbounded. @default false */
  budgets?: boolean;
  /** with `budgets`: false leaves out the socket-level pace per address (bench/soak.ts's comparison). @default true */
  pacing?: boolean;
  /** the tap's total capture budget in MiB (absent: the server's default). */
  tapMemoryMb?: number;
  /** sessions the tap keeps captures of, on the server and per client address (absent: the defaults, 1 000 and 200). */
  tapSessions?: number;
  /** one instance of a scaled-out deployment on this Redis (bench/scale-out.ts); absent: one process. */
  scale?: { redisUrl: string; keyPrefix: string; instanceId: string };
  /** false: gRPC and Connect calls all through connect-fastify, no fast path (bench/grpc.ts's comparison). @default true */
  grpcFastPaths?: boolean;
  /** false: big gRPC and Connect messages parsed and serialized in one piece, not in turns (bench/big-echo.ts, bench/soak.ts). @default true */
  messagesInTurns?: boolean;
  /** the MQTT broker's store in a LevelDB folder, as `npm start` keeps it (DATA_DIR/mqtt); else in memory. @default false */
  mqttLevel?: boolean;
  /** the server's log (JSON lines, info and up, a line per request as `npm start` writes under a service manager) to this file; else none (bench/h2-flood.ts). */
  logFile?: string;
}

/** Starts bench/bench-server.ts and waits for the port it prints once listening. */
export async function startBenchServer({
  tap = false,
  memoryProbe = false,
  web = false,
  budgets = false,
  pacing = true,
  tapMemoryMb,
  tapSessions,
  scale,
  grpcFastPaths = true,
  messagesInTurns = true,
  mqttLevel = false,
  logFile,
}: BenchServerOptions = {}): Promise<BenchServer> {
  const script = fileURLToPath(new URL('./bench-server.ts', import.meta.url));
  const args = [
    ...(memoryProbe ? ['--expose-gc'] : []),
    '--import',
    'tsx',
    script,
    ...(tap ? [] : ['--no-tap']),
    ...(web ? ['--web'] : []),
    ...(budgets ? ['--budgets'] : []),
    ...(pacing ? [] : ['--no-pacing']),
    ...(grpcFastPaths ? [] : ['--no-grpc-fast-paths']),
    ...(messagesInTurns ? [] : ['--no-messages-in-turns']),
    ...(mqttLevel ? ['--mqtt-level'] : []),
    ...(tapMemoryMb ? [`--tap-memory-mb=${tapMemoryMb}`] : []),
    ...(tapSessions ? [`--tap-sessions=${tapSessions}`] : []),
    ...(logFile ? [`--log-file=${logFile}`] : []),
    ...(scale ? [`--redis-url=${scale.redisUrl}`, `--redis-key-prefix=${scale.keyPrefix}`, `--instance-id=${scale.instanceId}`] : []),
  ];
  // BENCH_CPU_PROFILE_DIR=<dir>: the server writes a V8 CPU profile there when it stops (to see what a load costs).
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  if (profileDir) args.unshift('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  // The server runs with the V8 settings npm start gives it (server/node-flags.ts);
  // BENCH_SERVER_GC=default runs it with V8's defaults instead (to measure what they change), and
  // BENCH_SERVER_NODE_FLAGS='--max-semi-space-size=32 …' adds flags (to measure other heap settings).
  const serverFlags = [
    ...(process.env.BENCH_SERVER_GC === 'default' ? [] : SERVER_NODE_FLAGS),
    ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? []),
  ];
  args.unshift(...serverFlags);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', ...(memoryProbe ? (['ipc'] as const) : [])] });
  // The port is the first line that is a number (V8's --trace-gc and friends print on stdout too).
  // BENCH_SERVER_STDOUT=<file>: the server's stdout after that goes there (such traces, to read).
  let printed = '';
  let port = 0;
  while (!port) {
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    printed += chunk.toString();
    port = Number(printed.split('\n').find((line) => /^\d+$/.test(line.trim())) ?? 0);
  }
  const stdoutFile = process.env.BENCH_SERVER_STDOUT;
  if (stdoutFile) {
    const file = createWriteStream(stdoutFile);
    file.write(printed);
    child.stdout!.pipe(file);
  }
  return { child, port, origin: `http://127.0.0.1:${port}` };
}

/** The p-th percentile (nearest rank) of an ascending sample. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** CPU time (user + system) a process has used so far, in ms (Linux: /proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const { user, system } = cpuTimesMs(pid);
  return user + system;
}

/** CPU time a process has used so far in its own code (user) and in the kernel for it (system), in ms. */
export function cpuTimesMs(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // fields[0] is the state (field 3 of stat(5)): utime is field 14, stime field 15
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}
