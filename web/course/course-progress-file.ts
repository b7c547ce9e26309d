import { parseQuizAnswer, PROGRESS_STORAGE_KEY, QUIZ_ANSWERS_KEY, type QuizAnswers } from './quiz-answers.ts';

// A student's own things, carried to another computer as one JSON file: what this browser keeps in
// localStorage that is the student's work. Every key the app writes, and whether it travels:
//
// | key                          | what                                             | in the file |
// |------------------------------|--------------------------------------------------|-------------|
// | wirelab.progress.v1          | exercises passed per lesson, quiz questions done | yes: progress |
// | wirelab.quiz.v1              | the quiz's chosen answers                        | yes: quiz |
// | wirelab.cell.<lesson>/<cell> | a cell's edited text, beside the lesson's original | yes: cells |
// | wirelab.lang, .theme, .projector, .inspectorWidth, .asCodeLanguage, .ownServer | this screen's preferences | no |
// | wirelab.class.*              | a class's membership and the teacher's key        | no: they belong to this browser (the key is a secret) |
//
// The keys are written by web/lessons/progress.ts, quiz-answers.ts and
// web/editors/saved-cell-state.ts; course-progress-file.test.ts writes through those modules and
// checks the file holds it, so a renamed key fails there.

export const PROGRESS_FILE_FORMAT = 'wirelab-progress';
export const PROGRESS_FILE_VERSION = 1;
const PROGRESS_KEY = PROGRESS_STORAGE_KEY;
const CELL_PREFIX = 'wirelab.cell.';

/** Limits of what an import accepts (a student's whole course is some tens of kilobytes). */
export const PROGRESS_FILE_LIMITS = {
  /** the file's size in characters */
  maxChars: 5_000_000,
  /** a lesson slug, an exercise or question id, a cell's save key */
  maxIdChars: 200,
  maxCells: 2_000,
} as const;

/**
 * The lessons' progress store's shape: lesson slug (or `quiz`) → exercise id → when it passed;
 * `imported`: brought by a file (web/lessons/progress.ts: never reported to a class board).
 */
export type ProgressRecord = Record<string, Record<string, { passedAt: number; imported?: true }>>;

/** One cell's kept edit, as web/editors/saved-cell-state.ts stores it: the original it was made on (JSON) and the edit. */
export interface SavedCellRecord {
  original: string;
  value: unknown;
}

export interface ProgressFile {
  format: typeof PROGRESS_FILE_FORMAT;
  version: typeof PROGRESS_FILE_VERSION;
  /** ISO 8601 */
  exportedAt: string;
  progress: ProgressRecord;
  quiz: QuizAnswers;
  /** cell save key (`<lesson>/<cell>`) → its kept edit */
  cells: Record<string, SavedCellRecord>;
}

/** The part of the Web Storage API the file needs (localStorage, or a map in tests). */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Why a file was refused; `at` names the place in the file (`progress.rest.etag`). */
export type ProgressFileError =
  | { kind: 'too-large' }
  | { kind: 'not-json' }
  | { kind: 'foreign' }
  | { kind: 'newer-version'; version: number }
  | { kind: 'invalid'; at: string };

export type ParsedProgressFile = { ok: true; file: ProgressFile } | { ok: false; error: ProgressFileError };

function parseJson(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function storageKeys(storage: StorageLike): string[] {
  return Array.from({ length: storage.length }, (_, index) => storage.key(index)).filter((key): key is string => key !== null);
}

/** What this browser holds, as a file (damaged entries are left out, as the stores themselves ignore them). */
export function collectProgressFile(storage: StorageLike, now: Date): ProgressFile {
  const progress = checkProgress(parseJson(storage.getItem(PROGRESS_KEY)), 'progress');
  const quiz = checkQuiz(parseJson(storage.getItem(QUIZ_ANSWERS_KEY)), 'quiz');
  const cells: Record<string, SavedCellRecord> = {};
  for (const key of storageKeys(storage)) {
    if (!key.startsWith(CELL_PREFIX)) continue;
    const cell = checkCell(parseJson(storage.getItem(key)), 'cell');
    if (typeof cell !== 'string') cells[key.slice(CELL_PREFIX.length)] = cell;
  }
  return {
    format: PROGRESS_FILE_FORMAT,
    version: PROGRESS_FILE_VERSION,
    exportedAt: now.toISOString(),
    progress: typeof progress === 'string' ? {} : progress,
    quiz: typeof quiz === 'string' ? {} : quiz,
    cells,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: string) => value.length > 0 && value.length <= PROGRESS_FILE_LIMITS.maxIdChars && !/[\u0000-\u001f]/.test(value);

// Each check returns the checked value, or the path of the first thing wrong in it.

function checkProgress(value: unknown, at: string): ProgressRecord | string {
  if (value === undefined) return {};
  if (!isRecord(value)) return at;
  const progress: ProgressRecord = {};
  for (const [lesson, exercises] of Object.entries(value)) {
    if (!isId(lesson) || !isRecord(exercises)) return `${at}.${lesson}`;
    progress[lesson] = {};
    for (const [exercise, pass] of Object.entries(exercises)) {
      if (!isId(exercise) || !isRecord(pass) || typeof pass.passedAt !== 'number' || !Number.isFinite(pass.passedAt)) return `${at}.${lesson}.${exercise}`;
      progress[lesson][exercise] = pass.imported === true ? { passedAt: pass.passedAt, imported: true } : { passedAt: pass.passedAt };
    }
  }
  return progress;
}

function checkQuiz(value: unknown, at: string): QuizAnswers | string {
  if (value === undefined) return {};
  if (!isRecord(value)) return at;
  const quiz: QuizAnswers = {};
  for (const [id, raw] of Object.entries(value)) {
    const answer = parseQuizAnswer(raw);
    if (!isId(id) || !answer) return `${at}.${id}`;
    quiz[id] = answer;
  }
  return quiz;
}

function checkCell(value: unknown, at: string): SavedCellRecord | string {
  if (!isRecord(value) || typeof value.original !== 'string' || !('value' in value)) return at;
  return { original: value.original, value: value.value };
}

function checkCells(value: unknown, at: string): Record<string, SavedCellRecord> | string {
  if (value === undefined) return {};
  if (!isRecord(value)) return at;
  if (Object.keys(value).length > PROGRESS_FILE_LIMITS.maxCells) return at;
  const cells: Record<string, SavedCellRecord> = {};
  for (const [key, raw] of Object.entries(value)) {
    const cell = isId(key) ? checkCell(raw, `${at}.${key}`) : `${at}.${key}`;
    if (typeof cell === 'string') return cell;
    cells[key] = cell;
  }
  return cells;
}

/** Reads a file a student chose: ours and whole, or the reason it is refused (nothing is half-taken). */
export function parseProgressFile(text: string): ParsedProgressFile {
  if (text.length > PROGRESS_FILE_LIMITS.maxChars) return { ok: false, error: { kind: 'too-large' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { kind: 'not-json' } };
  }
  if (!isRecord(json) || json.format !== PROGRESS_FILE_FORMAT) return { ok: false, error: { kind: 'foreign' } };
  if (typeof json.version !== 'number' || !Number.isInteger(json.version) || json.version < 1) return { ok: false, error: { kind: 'invalid', at: 'version' } };
  if (json.version > PROGRESS_FILE_VERSION) return { ok: false, error: { kind: 'newer-version', version: json.version } };
  if (typeof json.exportedAt !== 'string' || Number.isNaN(Date.parse(json.exportedAt))) return { ok: false, error: { kind: 'invalid', at: 'exportedAt' } };
  const progress = checkProgress(json.progress, 'progress');
  if (typeof progress === 'string') return { ok: false, error: { kind: 'invalid', at: progress } };
  const quiz = checkQuiz(json.quiz, 'quiz');
  if (typeof quiz === 'string') return { ok: false, error: { kind: 'invalid', at: quiz } };
  const cells = checkCells(json.cells, 'cells');
  if (typeof cells === 'string') return { ok: false, error: { kind: 'invalid', at: cells } };
  return { ok: true, file: { format: PROGRESS_FILE_FORMAT, version: PROGRESS_FILE_VERSION, exportedAt: json.exportedAt, progress, quiz, cells } };
}

/** What a file holds, for the confirm before it replaces this browser's. */
export function progressFileSummary(file: ProgressFile): { exercises: number; quiz: number; cells: number } {
  return {
    exercises: Object.values(file.progress).reduce((sum, passes) => sum + Object.keys(passes).length, 0),
    quiz: Object.keys(file.quiz).length,
    cells: Object.keys(file.cells).length,
  };
}

/**
 * Replaces this browser's progress, quiz answers and edited cells with the file's (the same keys
 * the stores read). All or nothing: when the storage refuses a write (full), what was there is put back.
 * Returns the passes the file brought that this browser did not have: a class the student is in
 * has not heard of them (my-progress.tsx reports them as the exercise cards report a pass).
 */
/** The file's passes, each marked imported but those this browser had made itself. */
function markedImported(progress: ProgressRecord, passedBefore: ProgressRecord): ProgressRecord {
  return Object.fromEntries(
    Object.entries(progress).map(([lesson, passes]) => [
      lesson,
      Object.fromEntries(
        Object.entries(passes).map(([exercise, pass]) => {
          const own = passedBefore[lesson]?.[exercise];
          return [exercise, own && !own.imported ? own : { passedAt: pass.passedAt, imported: true as const }];
        }),
      ),
    ]),
  );
}

export function applyProgressFile(storage: StorageLike, file: ProgressFile): Array<{ lesson: string; exercise: string }> {
  const had = checkProgress(parseJson(storage.getItem(PROGRESS_KEY)), 'progress');
  const passedBefore = typeof had === 'string' ? {} : had;
  const ours = [PROGRESS_KEY, QUIZ_ANSWERS_KEY, ...storageKeys(storage).filter((key) => key.startsWith(CELL_PREFIX))];
  const before = new Map(ours.map((key) => [key, storage.getItem(key)]));
  const next = new Map<string, string>();
  if (Object.keys(file.progress).length > 0) next.set(PROGRESS_KEY, JSON.stringify(markedImported(file.progress, passedBefore)));
  if (Object.keys(file.quiz).length > 0) next.set(QUIZ_ANSWERS_KEY, JSON.stringify(file.quiz));
  for (const [key, cell] of Object.entries(file.cells)) next.set(CELL_PREFIX + key, JSON.stringify(cell));
  try {
    for (const key of ours) if (!next.has(key)) storage.removeItem(key);
    for (const [key, value] of next) storage.setItem(key, value);
  } catch (error) {
    for (const key of next.keys()) if (!before.has(key)) storage.removeItem(key);
    for (const [key, value] of before) {
      if (value === null) storage.removeItem(key);
      else storage.setItem(key, value);
    }
    throw error;
  }
  return Object.entries(file.progress).flatMap(([lesson, passes]) =>
    Object.keys(passes)
      .filter((exercise) => !passedBefore[lesson]?.[exercise])
      .map((exercise) => ({ lesson, exercise })),
  );
}
