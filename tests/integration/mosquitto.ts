// Debian's mosquitto, started for a test on a free loopback port (the MQTT suite's and the MQTT
// relay's tests): the student's broker.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = '/usr/sbin/mosquitto';
export interface RunningBroker {
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Whether something accepts TCP connections on the loopback port. */
export function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Every broker started, stopped after the tests even when another one failed to start. */
export const started: RunningBroker[] = [];

/** Debian's mosquitto on a free loopback port, with a temporary configuration file. */
export async function startMosquitto(extraConfig: string[] = []): Promise<RunningBroker> {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'wirelab-mosquitto-'));
  const configFile = join(folder, 'mosquitto.conf');
  writeFileSync(configFile, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'log_dest stdout', ...extraConfig, ''].join('\n'));
  // the broker logs into a file it inherits open, not into a pipe this process reads: a test that
  // blocked its event loop (a spawnSync of the checks' command line) stopped reading the pipe, and once
  // it was full mosquitto stalled on its next log line and sent no CONNACK (seen on Node 24.19). Not
  // `log_dest file`: mosquitto started as root opens it after dropping to its own user, and cannot.
  const logFile = join(folder, 'mosquitto.log');
  const logFd = openSync(logFile, 'w');
  const child: ChildProcess = spawn(MOSQUITTO, ['-c', configFile], { stdio: ['ignore', logFd, 'pipe'] });
  closeSync(logFd);
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const broker: RunningBroker = {
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
  started.push(broker);
  for (let attempt = 0; !(await accepting(port)); attempt += 1) {
    if (child.exitCode !== null || attempt > 50) throw new Error(`mosquitto did not start: ${log}${readFileSync(logFile, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return broker;
}
