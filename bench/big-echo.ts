// npm run bench (what one 1 MB Connect echo costs the others): what bench/soak.ts's abuser sends
// most (`LabService/Echo` with a 1 MB JSON body, a fresh cookie each time), one call after
// another, while a student on another connection sends small REST requests back to back — on two
// servers of their own with the byte tap on: one parses and serializes such big messages in
// turns of the event loop (server/protocols/grpc/message-turns.ts), the other in one piece, as
// before. Rounds alternate between the two, so both see about the same load from the rest of the
// machine. The figures: the student's p99 while the echoes run (a request that arrives during an
// echo waits for one step of it in turns, for all of it in one piece), and the server's CPU time
// per echo (from /proc, the echoes alone, without the student: the turns must not cost more
// work). The load average is printed beside.
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { cpuMs, percentile, startBenchServer, type BenchServer } from './bench-process.ts';
import { spreadOf, targetLine } from './targets.ts';

const CALLS = Number(process.env.BENCH_BIG_ECHO_CALLS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** The student's p99 beside the echoes, in turns / in one piece: a request waits for a step, not the whole call. */
const MAX_STUDENT_P99_RATIO = 0.6;
/** Server CPU per echo, in turns / in one piece: releasing the loop must not cost more work. */
const MAX_CPU_RATIO = 1.15;
const body = Buffer.from(JSON.stringify({ message: 'x'.repeat(1024 * 1024 - 32) }));

function send(port: number, init: { path: string; method?: string; headers?: Record<string, string | number>; body?: Buffer; agent?: Agent }) {
  return new Promise<{ status: number; bytes: number }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: init.method ?? 'GET', path: init.path, headers: init.headers, agent: init.agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const echo = (port: number) =>
  send(port, {
    path: '/wirelab.lab.v1.LabService/Echo',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': body.length,
      cookie: `wirelab_session=${randomBytes(16).toString('base64url').slice(0, 22)}`,
    },
    body,
  });

interface RoundFigures {
  /** the student's p99 while the echoes ran, ms */
  studentP99: number;
  /** server CPU per echo, the echoes alone, ms */
  cpuPerEcho: number;
}

async function echoes(port: number): Promise<void> {
  for (let i = 0; i < CALLS; i++) {
    const { status, bytes } = await echo(port);
    if (status !== 200 || bytes < body.length) throw new Error(`echo ${i}: ${status}, ${bytes} bytes`);
  }
}

async function round(server: BenchServer): Promise<RoundFigures> {
  const cpuBefore = cpuMs(server.child.pid!);
  await echoes(server.port);
  const cpuPerEcho = (cpuMs(server.child.pid!) - cpuBefore) / CALLS;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let echoing = true;
  const student = (async () => {
    while (echoing) {
      const started = performance.now();
      const { status } = await send(server.port, { path: '/api/v1/users/1', agent });
      if (status !== 200) throw new Error(`student's request: ${status}`);
      latencies.push(performance.now() - started);
    }
  })();
  try {
    await echoes(server.port);
  } finally {
    echoing = false;
    await student;
    agent.destroy();
  }
  latencies.sort((a, b) => a - b);
  return { studentP99: percentile(latencies, 99), cpuPerEcho };
}

const inTurns = await startBenchServer({ tap: true });
const onePiece = await startBenchServer({ tap: true, messagesInTurns: false });
try {
  // warm-up: the first calls compile the paths
  for (let i = 0; i < 5; i++) await Promise.all([echo(inTurns.port), echo(onePiece.port)]);
  const turns: RoundFigures[] = [];
  const whole: RoundFigures[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    turns.push(await round(inTurns));
    whole.push(await round(onePiece));
  }
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `\n1 MB Connect JSON echo, ${ROUNDS} rounds of ${CALLS} calls one after another on each server beside a student's REST requests, tap on (load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(', ')}):`,
  );
  console.table(
    turns.map((t, i) => ({
      round: i + 1,
      "student's p99, in turns": ms(t.studentP99),
      "student's p99, one piece": ms(whole[i].studentP99),
      'CPU per echo, in turns': ms(t.cpuPerEcho),
      'CPU per echo, one piece': ms(whole[i].cpuPerEcho),
    })),
  );
  const ratio = (n: number) => `×${n.toFixed(2)}`;
  console.log(
    targetLine(
      "the student's p99 beside the echoes, big messages in turns / in one piece",
      spreadOf(turns.map((t, i) => t.studentP99 / whole[i].studentP99)),
      { atMost: MAX_STUDENT_P99_RATIO },
      ratio,
    ),
  );
  console.log(
    targetLine(
      'server CPU per echo, in turns / in one piece',
      spreadOf(turns.map((t, i) => t.cpuPerEcho / whole[i].cpuPerEcho)),
      { atMost: MAX_CPU_RATIO },
      ratio,
    ),
  );
} finally {
  for (const server of [inTurns, onePiece]) {
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }
}
