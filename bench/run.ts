// npm run bench: the same REST route with the byte tap recording vs not recording, in one run.
// Figures are ratios against a baseline measured in the same run, never absolute promises.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import { startBenchServer } from './bench-process.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const PATH = '/api/v1/users/1';

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}

async function newSession(origin: string): Promise<string> {
  const response = await fetch(`${origin}/_wirelab/session`);
  return /wirelab_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1];
}

/** A browser watching its captures, in a process of its own (bench/capture-watcher.ts). */
async function watchCaptures(origin: string, session: string): Promise<{ bytes: () => Promise<number>; close: () => void }> {
  const script = fileURLToPath(new URL('./capture-watcher.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, origin, session], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(child, 'message');
  return {
    bytes: async () => {
      child.send({ type: 'report' });
      const [reply] = (await once(child, 'message')) as [{ bytes: number }];
      return reply.bytes;
    },
    close: () => child.send({ type: 'close' }),
  };
}

async function load(origin: string, session: string | null): Promise<Sample> {
  const result = await autocannon({
    url: `${origin}${PATH}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: session ? { cookie: `wirelab_session=${session}` } : {},
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`bench: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

function summary(samples: Sample[]): Sample {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { rps: median(samples.map((s) => s.rps)), p50: median(samples.map((s) => s.p50)), p99: median(samples.map((s) => s.p99)) };
}

const tapped = await startBenchServer({ tap: true });
const untapped = await startBenchServer();
try {
  const recordingSession = await newSession(tapped.origin);
  const quietSession = await newSession(tapped.origin);
  const quietWs = await newSession(tapped.origin);
  const watcher = await watchCaptures(tapped.origin, recordingSession);
  const quietWatcher = await watchCaptures(tapped.origin, quietWs);
  quietWatcher.close();
  // Switch recording off for the quiet session through its own capture channel.
  const off = new WebSocket(`${tapped.origin.replace('http', 'ws')}/_wirelab/tap`, { headers: { cookie: `wirelab_session=${quietSession}` } });
  await once(off, 'open');
  off.send(JSON.stringify({ type: 'recording', on: false }));

  await load(tapped.origin, recordingSession); // warm-up: JIT, SQLite page cache
  const runs: Record<string, Sample[]> = { 'no tap (baseline)': [], 'tap, recording off': [], 'tap, recording + browser watching': [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved so drift (thermal, other load) hits every configuration alike.
    runs['no tap (baseline)'].push(await load(untapped.origin, recordingSession));
    runs['tap, recording off'].push(await load(tapped.origin, quietSession));
    runs['tap, recording + browser watching'].push(await load(tapped.origin, recordingSession));
  }
  const baseline = summary(runs['no tap (baseline)']);
  const offSummary = summary(runs['tap, recording off']);
  console.log(`\nGET ${PATH}, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${DURATION_S} s each, medians\n`);
  console.log('configuration                        req/s     p50 ms  p99 ms  throughput vs baseline  vs recording off');
  for (const [name, samples] of Object.entries(runs)) {
    const s = summary(samples);
    console.log(
      `${name.padEnd(36)} ${s.rps.toFixed(0).padStart(7)}  ${String(s.p50).padStart(6)}  ${String(s.p99).padStart(6)}  ${(s.rps / baseline.rps).toFixed(3).padStart(22)}  ${(s.rps / offSummary.rps).toFixed(3).padStart(16)}`,
    );
  }
  console.log(`\ncapture bytes pushed to the watching browser: ${((await watcher.bytes()) / 1e6).toFixed(1)} MB`);
  watcher.close();
  off.close();
} finally {
  tapped.child.kill('SIGTERM');
  untapped.child.kill('SIGTERM');
}
