import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A port the kernel just gave out and took back: free for the next moment. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/**
 * Debian's redis-server on a loopback port of its own, nothing saved to disk; `.ci/run` installs
 * the package, so a test that needs it never skips. `port`: a given one (a Redis that comes back
 * where the previous one was stopped, empty).
 */
export async function startRedisServer(options: { port?: number } = {}): Promise<RunningRedis> {
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (let waited = 0; waited < 5000 && child.exitCode === null; waited += 25) {
      if (output.includes('Ready to accept connections')) {
        return {
          url: `redis://127.0.0.1:${port}`,
          port,
          process: child,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGKILL');
            await exited;
          },
        };
      }
      await sleep(25);
    }
    child.kill('SIGKILL');
    await exited;
    // The port was taken between freePort() and redis-server's bind: try another.
    if (attempt < 3 && options.port === undefined && output.includes('Address already in use')) continue;
    throw new Error(`redis-server did not start:\n${output}`);
  }
}
