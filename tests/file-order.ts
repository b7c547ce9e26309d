import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order the test files start in: each group's longest files first, so that its last minutes
 * are short files filling every worker, not one long file running on alone. Vitest orders by the
 * durations of this machine's last run, and on a machine that never ran the suite (CI's fresh
 * clone) by file size: there `axe-every-page`, the longest end-to-end file, started 57th of 63
 * (tests/README.md, "Where CI's time goes"). So a file's duration comes from this machine's last
 * run when vitest kept one, else from `tests/file-durations.json` (a run updates the files it ran
 * with `WIRELAB_FILE_DURATIONS=tests/file-durations.json npx vitest run`); a file in neither
 * starts first, as vitest starts a file it has never timed.
 */
const FILE_DURATIONS = join(import.meta.dirname, 'file-durations.json');

export interface FileToOrder {
  readonly groupOrder: number;
  readonly project: string;
  readonly isolate: boolean;
  /** failed in this machine's last run (those start first, as vitest has them) */
  readonly failed: boolean;
  /** seconds, or undefined when no run timed it */
  readonly seconds: number | undefined;
}

/**
 * Group by group, project by project (vitest runs a group's projects in turn), then a file no run
 * timed, then one that failed last time, then longest first.
 */
export function compareFiles(a: FileToOrder, b: FileToOrder): number {
  if (a.groupOrder !== b.groupOrder) return a.groupOrder - b.groupOrder;
  if (a.project !== b.project) return a.project < b.project ? -1 : 1;
  if (a.isolate !== b.isolate) return a.isolate ? -1 : 1;
  if ((a.seconds === undefined) !== (b.seconds === undefined)) return a.seconds === undefined ? -1 : 1;
  if (a.failed !== b.failed) return a.failed ? -1 : 1;
  return (b.seconds ?? 0) - (a.seconds ?? 0);
}

/** The committed durations: relative path → seconds; none when the file is missing or unreadable. */
export function readFileDurations(path = FILE_DURATIONS): ReadonlyMap<string, number> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return new Map();
    return new Map(Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  } catch {
    return new Map();
  }
}

/**
 * The committed durations with each file of a run at its tests' seconds (what vitest keeps of a run
 * to order the next one), as the reporter writes them (tests/slowest-files-reporter.ts): a run of
 * some files updates theirs and keeps the others'; a file that no longer exists is dropped.
 */
export function fileDurationsJson(
  earlier: ReadonlyMap<string, number>,
  times: readonly { readonly file: string; readonly testsMs: number }[],
  exists: (file: string) => boolean,
): string {
  const merged = new Map(earlier);
  for (const time of times) merged.set(time.file, Math.round(time.testsMs / 100) / 10);
  const kept = [...merged].filter(([file]) => exists(file)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify(Object.fromEntries(kept), null, 2)}\n`;
}

export default class LongestFirstSequencer extends BaseSequencer {
  private readonly committed = readFileDurations();

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const keyed = files.map((spec) => {
      const path = relative(config.root, spec.moduleId);
      const last = cache.getFileTestResults(`${spec.project.name}:${path}`);
      const order: FileToOrder = {
        groupOrder: spec.project.config.sequence.groupOrder,
        project: spec.project.name,
        isolate: spec.project.config.isolate,
        failed: last?.failed ?? false,
        seconds: last ? last.duration / 1000 : this.committed.get(path),
      };
      return { spec, order };
    });
    return keyed.sort((a, b) => compareFiles(a.order, b.order)).map(({ spec }) => spec);
  }
}
