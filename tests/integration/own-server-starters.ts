// Starts one of the Python starters on a free loopback port (it prints `LISTENING <port>`) and
// runs a "check my server" suite against it, as a loopback student. starters/python/*.py are the
// skeletons a student fills in; starters/python/complete/*.py the complete servers (with --fault).
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
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

/** The complete version of a Python starter (starters/python/complete/), with one fault switched on or none. */
export async function startPythonStarter(script: string, fault = '', env: Record<string, string> = {}): Promise<RunningStarter> {
  return startStarterProcess(PYTHON, [`${STARTERS}complete/${script}`, '--port', '0', '--fault', fault], script, env);
}

/** The skeleton a student starts from (starters/python/<script>), untouched. */
export async function startPythonSkeleton(script: string, env: Record<string, string> = {}): Promise<RunningStarter> {
  return startStarterProcess(PYTHON, [`${STARTERS}${script}`, '--port', '0'], script, env);
}

/**
 * The check ids a skeleton's TODOs name: each TODO says `TODO [check-id, check-id]: …`. The
 * untouched skeleton must fail every one of them (and the complete version none).
 */
export function checksNamedByTodos(path: string): string[] {
  const named = [...readFileSync(path, 'utf8').matchAll(/TODO \[([A-Za-z0-9, -]+)\]/g)].flatMap((match) => match[1]!.split(',').map((id) => id.trim()));
  return [...new Set(named)].sort();
}

/** Starts a starter (any language) and waits for its `LISTENING <port>` line; fails with its stderr if it exits first. */
export async function startStarterProcess(command: string, args: string[], label: string, env: Record<string, string> = {}): Promise<RunningStarter> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^LISTENING (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    child.once('close', (code) => reject(new Error(`${label} exited (${code}) before listening: ${errors}`)));
  });
  return {
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * Checks an untouched skeleton as a student would and holds it to its TODOs: every check a TODO
 * names is one of the suite's and fails (never passes, never "not offered"); the report, for more.
 */
export async function expectSkeletonFailsItsTodos(protocol: CheckedProtocol, source: string, port: number): Promise<CheckReport> {
  const named = checksNamedByTodos(source);
  expect(named.length, `${source} names no check in its TODOs`).toBeGreaterThan(0);
  const report = await checkAsLoopbackStudent(protocol, port);
  expect(report.results.map((result) => result.id)).toEqual(expect.arrayContaining(named));
  expect(failingIds(report)).toEqual(expect.arrayContaining(named));
  return report;
}

export function checkAsLoopbackStudent(protocol: CheckedProtocol, port: number): Promise<CheckReport> {
  return runChecks(protocol, `127.0.0.1:${port}`, { guard: createAddressGuard({ studentAddress: '127.0.0.1', enabled: true }) });
}

export function failingIds(report: CheckReport): string[] {
  return idsWith(report, 'fail');
}

export function idsWith(report: CheckReport, outcome: CheckReport['results'][number]['outcome']): string[] {
  return report.results
    .filter((result) => result.outcome === outcome)
    .map((result) => result.id)
    .sort();
}

/**
 * A POST on a connection of its own (`agent: false`), answered as a fetch Response. fetch reuses
 * an idle keep-alive connection, and on a loaded machine the server may close it (its 5 s
 * keep-alive) just as the next request goes out: that request then fails with ECONNRESET.
 */
export function postOnFreshConnection(url: string, body: string, headers: Record<string, string>): Promise<Response> {
  return requestOnFreshConnection(url, { method: 'POST', body, headers });
}

/**
 * A request on a connection of its own, as postOnFreshConnection; `localAddress` (a loopback
 * address such as 127.0.0.7) makes it come from another client address, as another student's
 * machine: Wirelab runs one "check my server" at a time per address.
 */
export function requestOnFreshConnection(
  url: string,
  { method = 'GET', body = '', headers = {}, localAddress }: { method?: string; body?: string; headers?: Record<string, string>; localAddress?: string },
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const length = body || method !== 'GET' ? { 'content-length': String(Buffer.byteLength(body)) } : {};
    const outgoing = httpRequest(url, { method, agent: false, localAddress, headers: { ...headers, ...length } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers))
          if (value !== undefined) for (const each of Array.isArray(value) ? value : [value]) answerHeaders.append(name, each);
        const status = response.statusCode ?? 0;
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: answerHeaders }));
      });
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}
