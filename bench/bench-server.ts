// The server under benchmark, in its own process so the load generator does not share its
// event loop. Prints its port on stdout once listening.
import { appendFileSync, createWriteStream, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { buildApp } from '../server/app.ts';
import { DEFAULT_CLIENT_LIMITS, type PartialClientLimits } from '../server/limits/client-limits.ts';

/**
 * The throughput benchmarks load the server from one loopback address on purpose; only
 * bench/soak.ts (`--budgets`) runs with the per-address budgets a classroom gets.
 */
function unbounded(): PartialClientLimits {
  const huge = 1_000_000_000;
  return {
    connections: Object.fromEntries(Object.keys(DEFAULT_CLIENT_LIMITS.connections).map((kind) => [kind, { perAddress: huge, server: huge }])),
    rates: Object.fromEntries(Object.keys(DEFAULT_CLIENT_LIMITS.rates).map((kind) => [kind, { perAddress: huge }])),
    pacing: { connectionsPerAddress: huge, requestsPerAddress: huge, bytesPerAddress: huge, bytesBurstPerAddress: huge, readsPerTurnPerAddress: huge },
  };
}

const tapOff = process.argv.includes('--no-tap');
const argument = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const tapMemoryMb = Number(argument('tap-memory-mb') ?? 0);
const tapSessions = Number(argument('tap-sessions') ?? 0);
const redisUrl = argument('redis-url');
// bench/h2-flood.ts: the log as npm start writes it under a service manager (JSON, a line per request), to weigh it
const logFile = argument('log-file');
const dataDir = mkdtempSync(join(tmpdir(), 'wirelab-bench-'));
const app = await buildApp({
  dataFile: join(dataDir, 'bench.sqlite'),
  ...(logFile ? { logger: { level: 'info', stream: createWriteStream(logFile) } } : {}),
  // bench/inspector-stream.ts drives the built app in Chromium; the others need no web app.
  webRoot: process.argv.includes('--web') ? join(import.meta.dirname, '..', 'dist', 'web') : null,
  // bench/classroom.ts: a known teacher key (a thousand joins from one address fit the unbounded budgets below)
  classroom: { teacherKey: 'bench-teacher-key' },
  // bench/soak.ts bounds the capture budget (TAP_MEMORY_MB in production) so a 60 s run reaches it.
  // bench/websocket-idle.ts (--tap-sessions): every one of its thousands of sessions keeps its captures
  // (by default 1 000 on the server and 200 per client address do, and it connects from one address).
  tap: tapOff
    ? false
    : { ...(tapMemoryMb ? { totalBytes: tapMemoryMb * 1024 * 1024 } : {}), ...(tapSessions ? { sessions: tapSessions, sessionsPerAddress: tapSessions } : {}) },
  rateLimit: process.argv.includes('--budgets') ? undefined : false,
  // --no-pacing: the budgets without the socket-level pace (server/limits/address-gate.ts), to compare in bench/soak.ts
  clientLimits: process.argv.includes('--budgets') ? (process.argv.includes('--no-pacing') ? { pacing: unbounded().pacing } : undefined) : unbounded(),
  // bench/mqtt-vs-mosquitto.ts: 500 TCP clients of one sandbox from one address (one "session" to the broker's cap)
  // --mqtt-level: the broker's store in LevelDB, as npm start keeps it (DATA_DIR/mqtt); else in memory
  mqtt: {
    ...(process.argv.includes('--budgets') ? {} : { limits: { maxConnectionsPerSession: 1_000_000_000 } }),
    ...(process.argv.includes('--mqtt-level') ? { dataDir: join(dataDir, 'mqtt') } : {}),
  },
  // bench/scale-out.ts: one of two instances on one Redis.
  // bench/grpc.ts: the same calls without the fast paths in front of connect-fastify.
  // bench/big-echo.ts, bench/soak.ts: big messages in one piece, as before they were parsed in turns.
  grpc: { fastPaths: !process.argv.includes('--no-grpc-fast-paths'), messagesInTurns: !process.argv.includes('--no-messages-in-turns') },
  scale: redisUrl ? { redisUrl, keyPrefix: argument('redis-key-prefix'), instanceId: argument('instance-id') } : undefined,
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGINT', () => void app.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
// The garbage collector's pauses since the last question (bench/soak.ts: whether they make the students' p99).
let gcPauses = { longestMs: 0, totalMs: 0 };
/** BENCH_GC_LOG=<file>: every pause of 5 ms or more, with its kind and the heap after it (to see which collections stall the students). */
const gcLog = process.env.BENCH_GC_LOG;
const GC_KINDS: Record<number, string> = { 1: 'scavenge', 2: 'minor mark-sweep', 4: 'mark-compact', 8: 'incremental marking step', 16: 'weak callbacks' };
if (process.send) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.longestMs = Math.max(gcPauses.longestMs, entry.duration);
      gcPauses.totalMs += entry.duration;
      if (gcLog && entry.duration >= 5) {
        const { kind, flags } = (entry as PerformanceEntry & { detail: { kind: number; flags: number } }).detail;
        const heap = process.memoryUsage();
        appendFileSync(
          gcLog,
          `${new Date().toISOString()} ${entry.duration.toFixed(1)} ms ${GC_KINDS[kind] ?? kind} flags=${flags} heapUsed=${(heap.heapUsed / 2 ** 20).toFixed(0)}MiB heapTotal=${(heap.heapTotal / 2 ** 20).toFixed(0)}MiB external=${(heap.external / 2 ** 20).toFixed(0)}MiB arrayBuffers=${(heap.arrayBuffers / 2 ** 20).toFixed(0)}MiB\n`,
        );
      }
    }
  }).observe({ entryTypes: ['gc'] });
}
// How long the event loop was held at a time since the last question (bench/soak.ts: long turns, the abuser's or a collection's).
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
if (process.send) loopDelay.enable();
// BENCH_STALL_LOG=<file>: every gap of 30 ms or more between two ticks of a 5 ms timer, with the CPU
// the process used in it: a gap with as much CPU as wall time is the server's own long turn, one with
// little CPU is the host not running it. The monotonic time (µs) matches a --cpu-prof profile's.
const stallLog = process.env.BENCH_STALL_LOG;
if (stallLog) {
  let lastTick = process.hrtime.bigint();
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const now = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const gapMs = Number(now - lastTick) / 1e6;
    if (gapMs >= 30) {
      const userMs = (cpu.user - lastCpu.user) / 1e3;
      const systemMs = (cpu.system - lastCpu.system) / 1e3;
      appendFileSync(
        stallLog,
        `${new Date().toISOString()} at=${Number(lastTick / 1000n)}µs gap=${gapMs.toFixed(1)}ms cpu=${(userMs + systemMs).toFixed(1)}ms (user ${userMs.toFixed(1)}, system ${systemMs.toFixed(1)}) load=${loadavg()[0].toFixed(1)}\n`,
      );
    }
    lastTick = now;
    lastCpu = cpu;
  }, 5).unref();
}
// bench/soak.ts: the server's own time for each request of the students (127.0.0.2), from its
// 'request' event (headers parsed) to the answer's 'finish' (handed to the socket), beside the
// latency the students measure: what is the server's and what is the clients' or the network's.
let studentRequestsMs: number[] = [];
if (process.send) {
  app.server.prependListener('request', (req, res) => {
    if (req.socket.remoteAddress !== '127.0.0.2') return;
    const started = performance.now();
    res.once('finish', () => studentRequestsMs.push(performance.now() - started));
  });
}
// bench/websocket-idle.ts asks for the heap after a full collection (run with --expose-gc).
// bench/soak.ts samples the RSS as it is ('rss', no collection) while the abuser runs.
process.on('message', (message: { type?: string; path?: string; id?: number }) => {
  // bench/websocket-idle.ts with BENCH_IDLE_HEAP_DIR: a heap snapshot after a full collection, to see what a connection holds.
  if (message.type === 'heap-snapshot' && message.path && process.send) {
    (globalThis as { gc?: () => void }).gc?.();
    process.send({ type: 'heap-snapshot', path: writeHeapSnapshot(message.path) });
    return;
  }
  if ((message.type !== 'memory' && message.type !== 'rss') || !process.send) return;
  if (message.type === 'memory') (globalThis as { gc?: () => void }).gc?.();
  // (captures: how many sessions keep captures, and what their rings hold)
  const captures = { sessions: app.captures?.sessionCount() ?? 0, heldBytes: app.captures?.heldBytes() ?? 0 };
  const loop = { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 };
  process.send({ type: message.type, id: message.id, usage: process.memoryUsage(), cpu: process.cpuUsage(), gc: gcPauses, loop, captures, studentRequestsMs });
  gcPauses = { longestMs: 0, totalMs: 0 };
  studentRequestsMs = [];
  loopDelay.reset();
});
