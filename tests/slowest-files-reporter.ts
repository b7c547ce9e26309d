import { existsSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import { fileDurationsJson, readFileDurations } from './file-order.ts';

/** How many of the slowest test files the end of a run lists. */
const LISTED = 20;

export interface FileTime {
  project: string;
  file: string;
  /** import of the file and everything it loads (collect), then its tests and hooks, in ms */
  importMs: number;
  testsMs: number;
}

/** The files that cost the most, slowest first: import and tests together. */
export function slowestFiles(times: readonly FileTime[], count = LISTED): FileTime[] {
  return [...times].sort((a, b) => b.importMs + b.testsMs - (a.importMs + a.testsMs)).slice(0, count);
}

/** When a project's files ran: its first file's start and its last file's end, ms epoch. */
export interface ProjectSpan {
  firstStartMs: number;
  lastEndMs: number;
}

/**
 * The table printed at the end of a run (English: it is the engineers' CI log). `spans`: each
 * project's wall time, from its first file's start to its last one's end (the end-to-end group
 * and the waiting group run one after the other: their spans say which one a change moved).
 */
export function slowestFilesTable(times: readonly FileTime[], wallMs: number, spans: ReadonlyMap<string, ProjectSpan> = new Map()): string {
  const rows = slowestFiles(times);
  const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(6);
  const byProject = new Map<string, number>();
  for (const time of times) byProject.set(time.project, (byProject.get(time.project) ?? 0) + time.importMs + time.testsMs);
  const totals = [...byProject].map(([project, ms]) => `${project} ${(ms / 1000).toFixed(0)} s`).join(', ');
  const walls = [...spans].map(([project, span]) => `${project} ${((span.lastEndMs - span.firstStartMs) / 1000).toFixed(0)} s`).join(', ');
  return [
    `The ${rows.length} slowest test files (import + tests, seconds; wall ${(wallMs / 1000).toFixed(0)} s${walls ? `, per project ${walls}` : ''}; summed per project: ${totals}):`,
    ...rows.map((row) => `${seconds(row.importMs + row.testsMs)} ${seconds(row.importMs)} ${seconds(row.testsMs)}  ${row.project.padEnd(11)} ${row.file}`),
    `${'total'.padStart(6)} ${'import'.padStart(6)} ${'tests'.padStart(6)}`,
  ].join('\n');
}

/**
 * Lists the suite's slowest files when a run ends (vitest's JSON reporter has the same durations
 * for a closer look): CI must stay under 20 minutes on two cores, and this says where it goes.
 */
export default class SlowestFilesReporter implements Reporter {
  private startedMs = Date.now();
  private readonly spans = new Map<string, ProjectSpan>();

  onTestRunStart(): void {
    this.startedMs = Date.now();
    this.spans.clear();
  }

  onTestModuleStart(module: TestModule): void {
    const now = Date.now();
    if (!this.spans.has(module.project.name)) this.spans.set(module.project.name, { firstStartMs: now, lastEndMs: now });
  }

  onTestModuleEnd(module: TestModule): void {
    const span = this.spans.get(module.project.name);
    if (span) span.lastEndMs = Date.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (testModules.length < 2) return;
    const times = testModules.map((module): FileTime => {
      const diagnostic = module.diagnostic();
      return { project: module.project.name, file: module.relativeModuleId, importMs: diagnostic.collectDuration, testsMs: diagnostic.duration };
    });
    process.stdout.write(`\n${slowestFilesTable(times, Date.now() - this.startedMs, this.spans)}\n`);
    const durationsFile = process.env.WIRELAB_FILE_DURATIONS;
    if (durationsFile)
      writeFileSync(
        durationsFile,
        fileDurationsJson(readFileDurations(durationsFile), times, (file) => existsSync(file)),
      );
  }
}
