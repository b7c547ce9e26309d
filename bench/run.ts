// npm run bench: the same REST route without the byte tap, with it but not recording, recording
// with nobody watching, and recording with a browser watching — interleaved, in one run, beside a
// second process without the tap that shows how much two identical processes differ.
// Figures are ratios against a baseline measured in the same run, never absolute promises.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import { cpuMs, startBenchServer, type BenchServer } from './bench-process.ts';
import { spreadOf, targetLine } from './targets.ts';

// Many short rounds rather than a few long ones: the tap costs a few per cent, and only many
// paired rounds in rotating order resolve that on a shared 2-core machine (3 rounds of 5 s gave
// ratios above 1). Its own environment variables, so the other benchmarks' defaults stay theirs.
const DURATION_S = Number(process.env.BENCH_TAP_SECONDS ?? process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_TAP_ROUNDS ?? process.env.BENCH_ROUNDS ?? 9);
const CONNECTIONS = 10;
const PATH = '/api/v1/users/1';

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  /** the server process's CPU time per request: what the tap adds, whatever else the machine does */
  cpuUsPerRequest: number;
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

async function load(server: BenchServer, session: string | null): Promise<Sample> {
  const origin = server.origin;
  const cpuBefore = cpuMs(server.child.pid!);
  const result = await autocannon({
    url: `${origin}${PATH}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: session ? { cookie: `wirelab_session=${session}` } : {},
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`bench: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const cpuUsPerRequest = ((cpuMs(server.child.pid!) - cpuBefore) * 1000) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUsPerRequest };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function summary(samples: Sample[]): Sample {
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    cpuUsPerRequest: median(samples.map((s) => s.cpuUsPerRequest)),
  };
}

const tapped = await startBenchServer({ tap: true });
const untapped = await startBenchServer();
// A second process without the tap: what two identical processes differ by is the noise floor
// every other ratio must be read against.
const untappedTwin = await startBenchServer();
try {
  const recordingSession = await newSession(tapped.origin);
  const quietSession = await newSession(tapped.origin);
  const unwatchedSession = await newSession(tapped.origin);
  const watcher = await watchCaptures(tapped.origin, recordingSession);
  // Switch recording off for the quiet session through its own capture channel.
  const off = new WebSocket(`${tapped.origin.replace('http', 'ws')}/_wirelab/tap`, { headers: { cookie: `wirelab_session=${quietSession}` } });
  await once(off, 'open');
  off.send(JSON.stringify({ type: 'recording', on: false }));

  // warm-up: JIT, each session's sandbox, SQLite page cache
  for (const session of [recordingSession, quietSession, unwatchedSession]) await load(tapped, session);
  await load(untapped, recordingSession);
  await load(untappedTwin, recordingSession);
  const configurations: [string, () => Promise<Sample>][] = [
    ['no tap (baseline)', () => load(untapped, recordingSession)],
    ['no tap, a second process', () => load(untappedTwin, recordingSession)],
    ['tap, recording off', () => load(tapped, quietSession)],
    ['tap, recording, nobody watching', () => load(tapped, unwatchedSession)],
    ['tap, recording + browser watching', () => load(tapped, recordingSession)],
  ];
  const runs: Record<string, Sample[]> = Object.fromEntries(configurations.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, and each round starts one configuration later, so drift (thermal, other load)
    // and the position in a round (what ran just before) hit every configuration alike.
    for (let i = 0; i < configurations.length; i++) {
      const [name, run] = configurations[(round + i) % configurations.length];
      runs[name].push(await run());
    }
  }
  // Ratios are paired: each round's figure against the baseline of the same round, then the
  // median — a shared machine drifts between rounds more than the tap costs.
  const pairedRatio = (samples: Sample[], against: Sample[]) => median(samples.map((sample, round) => sample.rps / against[round].rps));
  console.log(`\nGET ${PATH}, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${DURATION_S} s each, medians (ratios: median of each round's ratio)\n`);
  const cpuRatio = (samples: Sample[]) => median(samples.map((sample, round) => runs['no tap (baseline)'][round].cpuUsPerRequest / sample.cpuUsPerRequest));
  console.log(
    'configuration                        req/s     p50 ms  p99 ms  throughput vs baseline  vs recording off  server CPU µs/req  requests per CPU-second vs baseline',
  );
  for (const [name, samples] of Object.entries(runs)) {
    const s = summary(samples);
    console.log(
      `${name.padEnd(36)} ${s.rps.toFixed(0).padStart(7)}  ${String(s.p50).padStart(6)}  ${String(s.p99).padStart(6)}  ${pairedRatio(samples, runs['no tap (baseline)']).toFixed(3).padStart(22)}  ${pairedRatio(samples, runs['tap, recording off']).toFixed(3).padStart(16)}  ${s.cpuUsPerRequest.toFixed(0).padStart(17)}  ${cpuRatio(samples).toFixed(3).padStart(35)}`,
    );
  }
  // Issue targets: the tap nearly free while not recording, affordable while a browser watches.
  const pairedRatios = (samples: Sample[]) => samples.map((sample, round) => sample.rps / runs['no tap (baseline)'][round].rps);
  const cpuRatios = (samples: Sample[]) => samples.map((sample, round) => runs['no tap (baseline)'][round].cpuUsPerRequest / sample.cpuUsPerRequest);
  const noiseFloor = spreadOf(pairedRatios(runs['no tap, a second process']));
  console.log(
    `\nnoise floor: two processes without the tap differ by ${noiseFloor.median.toFixed(3)} (rounds ${noiseFloor.min.toFixed(3)}–${noiseFloor.max.toFixed(3)}); a ratio closer to 1 than that is not a measured cost`,
  );
  console.log('\ntargets (throughput against no tap, paired per round; the CPU figure is the same cost as the server pays it):');
  console.log(targetLine('tap, recording off', spreadOf(pairedRatios(runs['tap, recording off'])), { atLeast: 0.97 }));
  console.log(targetLine('tap, recording off, requests per CPU-second', spreadOf(cpuRatios(runs['tap, recording off'])), { atLeast: 0.97 }));
  console.log(targetLine('tap, recording + browser watching', spreadOf(pairedRatios(runs['tap, recording + browser watching'])), { atLeast: 0.88 }));
  console.log(
    targetLine('tap, recording + browser watching, requests per CPU-second', spreadOf(cpuRatios(runs['tap, recording + browser watching'])), { atLeast: 0.88 }),
  );
  console.log(`\ncapture bytes pushed to the watching browser: ${((await watcher.bytes()) / 1e6).toFixed(1)} MB`);
  watcher.close();
  off.close();
} finally {
  tapped.child.kill('SIGTERM');
  untapped.child.kill('SIGTERM');
  untappedTwin.child.kill('SIGTERM');
}
