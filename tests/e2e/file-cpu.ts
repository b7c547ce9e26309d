import { appendFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { pathUnder, readProcessTable } from './process-table.ts';

/**
 * Each end-to-end file's CPU in a whole run, one JSON line a file appended to the file
 * WIRELAB_E2E_CPU_LOG names (unset: nothing is measured): the worker's own (its server included),
 * its Chromium's (every process under the worker whose command names Chromium, the renderers that
 * ended counted in their parent: a file's tests run one file at a time in a worker, so the
 * difference from the file's start is the file's), the other programs its tests started (Go,
 * Python, HAProxy…), the wall time, and how many documents its pages loaded in how many new
 * browser profiles. `cpu-of.py` gives a run's whole; this says which files it is made of:
 *   WIRELAB_E2E_CPU_LOG=/tmp/e2e-cpu.jsonl npx vitest run --project e2e
 */
const LOG = process.env.WIRELAB_E2E_CPU_LOG;

interface ProcessCpu {
  readonly chromium: number;
  readonly others: number;
}

/** CPU seconds of this process's descendants, each with the children it reaped, and its own reaped children. */
function descendantsCpu(): ProcessCpu {
  const table = readProcessTable();
  let inChromium = 0;
  let inOthers = table.get(process.pid)?.reapedSeconds ?? 0;
  for (const [pid, row] of table) {
    const path = pathUnder(table, pid, process.pid);
    if (path.length === 0) continue;
    // a process under Chromium counts as Chromium's, its commandless zombies (an ended renderer
    // its zygote has not reaped yet) included
    const seconds = row.seconds + row.reapedSeconds;
    if (path.some((up) => table.get(up)?.chromium)) inChromium += seconds;
    else inOthers += seconds;
  }
  return { chromium: inChromium, others: inOthers };
}

let start: { readonly wall: number; readonly worker: NodeJS.CpuUsage; readonly descendants: ProcessCpu } | undefined;
let loads = 0;
let profiles = 0;

export function fileCpuStart(): void {
  if (!LOG) return;
  loads = 0;
  profiles = 0;
  start = { wall: performance.now(), worker: process.cpuUsage(), descendants: descendantsCpu() };
}

/** Counts a new browser profile and the documents its pages load. */
export function fileCpuProfile(context: BrowserContext): void {
  if (!LOG) return;
  profiles += 1;
  context.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame().parentFrame() === null) loads += 1;
  });
}

/**
 * After the file's browser profiles closed: a second for their renderers to end, so that their CPU
 * is counted in this file, not the next (a renderer's is its parent's once it has ended).
 */
export async function fileCpuEnd(file: string): Promise<void> {
  if (!LOG || !start) return;
  await new Promise((done) => setTimeout(done, 1000));
  const worker = process.cpuUsage(start.worker);
  const now = descendantsCpu();
  const line = {
    file,
    wall: round((performance.now() - start.wall) / 1000),
    worker: round((worker.user + worker.system) / 1e6),
    chromium: round(now.chromium - start.descendants.chromium),
    others: round(now.others - start.descendants.others),
    loads,
    profiles,
  };
  appendFileSync(LOG, `${JSON.stringify(line)}\n`);
  start = undefined;
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;
