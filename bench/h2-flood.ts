// npm run bench (issue 54: an HTTP/2 flood from one address does not reach the class): the
// server as `npm start` runs it (the class's budgets, the tap, a JSON log line per request) while
// another client — a student on 127.0.0.1, REST over HTTP/1.1 and over h2c, one request after
// another — is timed, first quiet, then beside each flood from 127.0.0.2 in a process of its own:
// rapid reset (CVE-2023-44487, 8 sessions at once, a new one whenever one is ended), a
// CONTINUATION flood, a SETTINGS flood, a PING flood and zero-window stalls. Each pair of rounds
// (quiet, then flooded) gives the student's p95 beside the flood over its p95 alone, the server's
// peak RSS and how many bytes its log grew by. Bounded in count and time; loopback only.
//
// `node --import tsx bench/h2-flood.ts --flood=<kind> --port=<port> --seconds=<s>` is the flooder itself.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http2 from 'node:http2';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  connectFrom,
  continuationFlood,
  pingFlood,
  rapidReset,
  settingsFlood,
  zeroWindowStall,
  type FloodOutcome,
  type FloodTarget,
} from '../tests/integration/h2-flood-client.ts';
import { percentile, startBenchServer } from './bench-process.ts';
import { spreadOf, targetLine } from './targets.ts';

const FLOODS = ['rapid-reset', 'continuation', 'settings', 'ping', 'zero-window'] as const;
type Flood = (typeof FLOODS)[number];
const SECONDS = Number(process.env.BENCH_H2_FLOOD_SECONDS ?? 5);
/** sessions the flooder keeps going at once */
const PARALLEL = 8;
/** the flooder's whole work, whatever the time: sessions it opens in a round */
const MAX_SESSIONS = 2000;
const STUDENT = '127.0.0.1';
const FLOODER = '127.0.0.2';
const MAX_P95_RATIO = 2;
/** the server's peak RSS beside a flood over its RSS before the floods */
const RSS_SLACK_MIB = 128;
const TAP_MEMORY_MB = 64;
const MiB = 2 ** 20;

/** One session of a flood, bounded. */
function floodOnce(kind: Flood, target: FloodTarget): Promise<FloodOutcome> {
  if (kind === 'rapid-reset') return rapidReset(target, { streams: 5000, graceMs: 500 });
  if (kind === 'continuation') return continuationFlood(target, { frames: 5000, graceMs: 200 });
  if (kind === 'settings') return settingsFlood(target, { frames: 5000, graceMs: 500 });
  if (kind === 'ping') return pingFlood(target, { frames: 5000, graceMs: 500 });
  return zeroWindowStall(target, { streams: 100, path: '/openapi.json', waitMs: 15_000 });
}

/** The flooder's process: PARALLEL sessions of `kind` at once until `seconds` are over; prints what became of them. */
async function flooder(kind: Flood, port: number, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  const goaways: Record<string, number> = {};
  let sessions = 0;
  let sent = 0;
  const lane = async () => {
    while (Date.now() < until && sessions < MAX_SESSIONS) {
      sessions++;
      const outcome = await floodOnce(kind, { port, localAddress: FLOODER }).catch(() => ({ goaway: 'client error', closed: true, sent: 0 }));
      const code = outcome.goaway ?? (outcome.closed ? 'closed without GOAWAY' : 'still open');
      goaways[code] = (goaways[code] ?? 0) + 1;
      sent += outcome.sent;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  process.stdout.write(`${JSON.stringify({ sessions, sent, goaways })}\n`);
}

/** The student: REST over HTTP/1.1 (keep-alive) and over h2c, one request after another, `seconds` long; each request's ms. */
async function student(port: number, seconds: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, localAddress: STUDENT } as ConstructorParameters<typeof Agent>[0]);
  const session = connectFrom(port, STUDENT);
  session.on('error', () => {});
  const times: number[] = [];
  const until = Date.now() + seconds * 1000;
  try {
    while (Date.now() < until) {
      for (const ask of [() => h1Get(port, agent), () => h2Get(session)]) {
        const start = performance.now();
        const status = await ask();
        if (status !== 200) throw new Error(`the student got ${status}`);
        times.push(performance.now() - start);
      }
      // a student clicks, the page asks: not back to back (and within REST's 200 per 10 s per session)
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
  } finally {
    session.close();
    agent.destroy();
  }
  return times.sort((a, b) => a - b);
}

function h1Get(port: number, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/users/1', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function h2Get(session: http2.ClientHttp2Session): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': '/api/v1/users/2' }, { endStream: true });
    let status = 0;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.resume();
    stream.on('end', () => resolve(status));
    stream.on('error', reject);
  });
}

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

interface RoundFigures {
  flood: Flood;
  quietP95: number;
  floodedP95: number;
  peakRss: number;
  logBytes: number;
  flooder: string;
}

async function round(kind: Flood, port: number, pid: number, logFile: string): Promise<RoundFigures> {
  const quiet = await student(port, SECONDS);
  const logBefore = statSync(logFile).size;
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', script, `--flood=${kind}`, `--port=${port}`, `--seconds=${SECONDS}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // listened to from the spawn: a flooder that ends before the student's last request (a quiet
  // machine starts tsx fast) has exited by then, and a later once() would wait forever
  const exited = once(child, 'exit');
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk));
  let peakRss = rssOf(pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 200);
  // the flooder's process starts first (tsx), then the student is timed beside it
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const flooded = await student(port, SECONDS);
  await exited;
  clearInterval(sampler);
  return {
    flood: kind,
    quietP95: percentile(quiet, 95),
    floodedP95: percentile(flooded, 95),
    peakRss,
    logBytes: statSync(logFile).size - logBefore,
    flooder: printed.trim(),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wirelab-h2-flood-'));
  const logFile = join(dir, 'server.log');
  const server = await startBenchServer({ tap: true, budgets: true, tapMemoryMb: TAP_MEMORY_MB, logFile });
  const pid = server.child.pid!;
  try {
    await student(server.port, 1); // warm-up
    const startRss = rssOf(pid);
    const rounds: RoundFigures[] = [];
    for (const kind of FLOODS) rounds.push(await round(kind, server.port, pid, logFile));
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    console.log(
      `\nHTTP/2 floods from one address beside a student on another (REST over HTTP/1.1 and h2c), ${SECONDS} s quiet then ${SECONDS} s flooded per kind, budgets and tap on, a JSON log line per request (load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(', ')}):`,
    );
    console.table(
      rounds.map((r) => ({
        flood: r.flood,
        "student's p95 quiet": ms(r.quietP95),
        'beside the flood': ms(r.floodedP95),
        ratio: `×${(r.floodedP95 / r.quietP95).toFixed(2)}`,
        'peak RSS': `${(r.peakRss / MiB).toFixed(0)} MiB`,
        'log grew': `${(r.logBytes / 1024).toFixed(1)} KiB`,
        'the flood saw': r.flooder,
      })),
    );
    const ratio = (n: number) => `×${n.toFixed(2)}`;
    console.log(
      targetLine(
        "the student's p95 beside an HTTP/2 flood / quiet, the same run",
        spreadOf(rounds.map((r) => r.floodedP95 / r.quietP95)),
        { atMost: MAX_P95_RATIO, everyRound: true },
        ratio,
      ),
    );
    const peak = Math.max(...rounds.map((r) => r.peakRss));
    console.log(`  server RSS before the floods ${(startRss / MiB).toFixed(0)} MiB (bound: + the tap's ${TAP_MEMORY_MB} MiB + ${RSS_SLACK_MIB} MiB)`);
    console.log(
      targetLine('server peak RSS beside the floods, MiB', peak / MiB, { atMost: startRss / MiB + TAP_MEMORY_MB + RSS_SLACK_MIB }, (n) => n.toFixed(0)),
    );
    // a session ended is one log line; the flood's streams are not logged one by one
    console.log(targetLine('log growth in a flooded round, KiB', Math.max(...rounds.map((r) => r.logBytes)) / 1024, { atMost: 1024 }, (n) => n.toFixed(1)));
  } finally {
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

const floodArgument = process.argv.find((arg) => arg.startsWith('--flood='))?.slice('--flood='.length) as Flood | undefined;
if (floodArgument) {
  const value = (name: string) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3));
  await flooder(floodArgument, value('port'), value('seconds'));
} else await main();
