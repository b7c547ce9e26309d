import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it now: its parent, its own CPU and its ended children's, in seconds. */
export interface ProcessRow {
  readonly parent: number;
  readonly seconds: number;
  readonly reapedSeconds: number;
  /** its command names Chromium (a renderer rewrites its command line, but keeps the program's path) */
  readonly chromium: boolean;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Every process of the machine (Linux), for the CPU tools of the end-to-end tests and the bench. */
export function readProcessTable(): Map<number, ProcessRow> {
  const table = new Map<number, ProcessRow>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), {
        parent: Number(fields[1]),
        seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
        reapedSeconds: (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND,
        chromium: readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('chrom'),
      });
    } catch {
      // ended meanwhile
    }
  }
  return table;
}

/** The processes between `pid` and its ancestor `ancestor` (`pid` included, `ancestor` not); none when it is not one. */
export function pathUnder(table: Map<number, ProcessRow>, pid: number, ancestor: number): number[] {
  const path: number[] = [];
  for (let up: number | undefined = pid; up !== undefined && up > 1; up = table.get(up)?.parent) {
    if (up === ancestor) return path;
    path.push(up);
  }
  return [];
}
