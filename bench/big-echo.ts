// npm run bench (the cost of one 1 MB Connect echo): what bench/soak.ts's abuser sends most
// (`LabService/Echo` with a 1 MB JSON body, a fresh cookie each time), one call after another
// against a server of its own with the byte tap on, as students run it. On a loaded machine the
// wall time says little; the server process's CPU time per call (from /proc) is the figure, and
// the event loop is held for about that long by each call. The load average is printed beside it.
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { request } from 'node:http';
import { cpuTimesMs, startBenchServer } from './bench-process.ts';

const CALLS = Number(process.env.BENCH_BIG_ECHO_CALLS ?? 60);
const body = Buffer.from(JSON.stringify({ message: 'x'.repeat(1024 * 1024 - 32) }));

function echo(port: number): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/wirelab.lab.v1.LabService/Echo',
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          cookie: `wirelab_session=${randomBytes(16).toString('base64url').slice(0, 22)}`,
        },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const server = await startBenchServer({ tap: true });
try {
  // warm-up: the first calls compile the paths
  for (let i = 0; i < 5; i++) await echo(server.port);
  const before = cpuTimesMs(server.child.pid!);
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const { status, bytes } = await echo(server.port);
    if (status !== 200 || bytes < body.length) throw new Error(`echo ${i}: ${status}, ${bytes} bytes`);
  }
  const wall = performance.now() - started;
  const after = cpuTimesMs(server.child.pid!);
  const per = (ms: number) => (ms / CALLS).toFixed(1);
  console.log(
    `\n1 MB Connect JSON echo, ${CALLS} calls one after another, tap on (load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(', ')}):`,
  );
  console.log(
    `  server CPU per call: ${per(after.user + after.system - before.user - before.system)} ms (user ${per(after.user - before.user)}, system ${per(after.system - before.system)}); wall time per call ${per(wall)} ms`,
  );
} finally {
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
}
