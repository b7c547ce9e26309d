import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Check } from '../../../contracts/exercise-checks/check-types.ts';

/** lessons/ beside server/: the course the pages are built from. */
export const DEFAULT_LESSONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'lessons');

/** What a lesson's slug and an exercise's id may look like, before the catalog is asked. */
export const LESSON_SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const EXERCISE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Lesson folders are `<nn>-<slug>` (lessons/README.md); the URL and the results use the slug. */
const LESSON_FOLDER = /^(\d+)-([a-z0-9-]+)$/;

/**
 * The lessons and their exercises, read once from lessons/ when the server starts: a reported
 * result must name a real exercise of a real lesson (a stray `lesson: "nope"` is refused, not a
 * column on the teacher's board). Read from the same lesson.json files the pages are built from.
 */
export class LessonCatalog {
  constructor(
    /** lesson → exercise id → its check (lesson.json `exercises.<id>.check`): what the server's verdict evaluates */
    private readonly exercises: ReadonlyMap<string, ReadonlyMap<string, Check | undefined>>,
    /** each lesson's cells (lesson.json `cells`): what a cell the teacher sends may name */
    private readonly cells: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
    /** each lesson's folder: a capture question's file is relative to it (lesson.json `check.file`) */
    private readonly folders: ReadonlyMap<string, string> = new Map(),
  ) {}

  static read(lessonsDir: string = DEFAULT_LESSONS_DIR): LessonCatalog {
    const exercises = new Map<string, Map<string, Check | undefined>>();
    const cells = new Map<string, Set<string>>();
    const folders = new Map<string, string>();
    if (!existsSync(lessonsDir)) return new LessonCatalog(exercises, cells, folders);
    for (const entry of readdirSync(lessonsDir, { withFileTypes: true })) {
      const folder = LESSON_FOLDER.exec(entry.name);
      const file = join(lessonsDir, entry.name, 'lesson.json');
      if (!entry.isDirectory() || !folder || !existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8')) as { exercises?: Record<string, { check?: Check }>; cells?: Record<string, unknown> };
      exercises.set(folder[2], new Map(Object.entries(json.exercises ?? {}).map(([id, exercise]) => [id, exercise?.check])));
      cells.set(folder[2], new Set(Object.keys(json.cells ?? {})));
      folders.set(folder[2], resolve(lessonsDir, entry.name));
    }
    return new LessonCatalog(exercises, cells, folders);
  }

  hasLesson(lesson: string): boolean {
    return this.exercises.has(lesson);
  }

  has(lesson: string, exercise: string): boolean {
    return this.exercises.get(lesson)?.has(exercise) ?? false;
  }

  /** The exercise's check, as the page's exercise card evaluates it; undefined for an unknown exercise. */
  check(lesson: string, exercise: string): Check | undefined {
    return this.exercises.get(lesson)?.get(exercise);
  }

  /**
   * The file a capture question (`type: "capture"`) is asked about: its path in the lesson's
   * folder, read from the same lessons/ as lesson.json (the production copy carries both);
   * undefined for any other check, or a `file` that would leave the lesson's folder.
   */
  captureFile(lesson: string, exercise: string): string | undefined {
    const check = this.check(lesson, exercise);
    const folder = this.folders.get(lesson);
    if (check?.type !== 'capture' || folder === undefined) return undefined;
    const file = resolve(folder, check.file);
    const inside = relative(folder, file);
    return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? undefined : file;
  }

  hasCell(lesson: string, cell: string): boolean {
    return this.cells.get(lesson)?.has(cell) ?? false;
  }

  get size(): number {
    return this.exercises.size;
  }
}
