// Starts one of starters/python/*.py on a free loopback port (it prints `LISTENING <port>`) and
// runs a "check my server" suite against it, as a loopback student.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CheckedProtocol, CheckReport } from '../../contracts/own-server/check-result.ts';
import { createAddressGuard } from '../../server/own-server/address-guard.ts';
import { runChecks } from '../../server/own-server/runner.ts';

export const PYTHON = '/usr/bin/python3';
export const STARTERS = fileURLToPath(new URL('../../starters/python/', import.meta.url));

export interface RunningStarter {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startPythonStarter(script: string, fault = '', env: Record<string, string> = {}): Promise<RunningStarter> {
  const child = spawn(PYTHON, [`${STARTERS}${script}`, '--port', '0', '--fault', fault], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^LISTENING (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening: ${errors}`)));
  });
  return {
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export function checkAsLoopbackStudent(protocol: CheckedProtocol, port: number): Promise<CheckReport> {
  return runChecks(protocol, `127.0.0.1:${port}`, { guard: createAddressGuard({ studentAddress: '127.0.0.1', enabled: true }) });
}

export function failingIds(report: CheckReport): string[] {
  return idsWith(report, 'fail');
}

export function idsWith(report: CheckReport, outcome: CheckReport['results'][number]['outcome']): string[] {
  return report.results.filter((result) => result.outcome === outcome).map((result) => result.id).sort();
}
