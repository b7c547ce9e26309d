import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeSavedCell } from '../editors/saved-cell-state.ts';
import { markPassed, passesMadeHere, type Progress } from '../lessons/progress.ts';
import {
  applyProgressFile,
  collectProgressFile,
  parseProgressFile,
  progressFileSummary,
  PROGRESS_FILE_LIMITS,
  type StorageLike,
} from './course-progress-file.ts';
import { saveQuizAnswer } from './quiz-answers.ts';

/** localStorage's behaviour over a map; `failAt`: the one write that throws, as a full storage does (freeing space lets the next one through). */
class MapStorage implements StorageLike {
  readonly items = new Map<string, string>();
  writes = 0;
  failAt = 0;
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (++this.writes === this.failAt) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

let home: MapStorage;
beforeEach(() => {
  home = new MapStorage();
  vi.stubGlobal('localStorage', home);
});
afterEach(() => vi.unstubAllGlobals());

/** A student's work, written through the app's own stores (so their keys are the ones the file knows). */
function doSomeWork() {
  markPassed('rest', 'etag-304', { announce: false });
  markPassed('quiz', 'rest-vs-graphql', { announce: false });
  saveQuizAnswer('rest-vs-graphql', { kind: 'choice', picked: ['fields'], right: true });
  saveQuizAnswer('lesson:rest:1', { kind: 'open', text: 'PUT replaces it, PATCH changes a part' });
  writeSavedCell('rest/get-user', 'GET /api/v1/users/1', 'GET /api/v1/users/2');
  home.setItem('wirelab.class.teacherKey', 'secret');
  home.setItem('wirelab.lang', 'ru');
}

describe('the progress file', () => {
  it('holds the progress, the quiz answers and the edited cells, and nothing of the class or the screen', () => {
    doSomeWork();
    const file = collectProgressFile(home, new Date('2026-11-25T01:00:00Z'));
    expect(file.progress.rest['etag-304']).toBeDefined();
    expect(file.quiz['lesson:rest:1']).toEqual({ kind: 'open', text: 'PUT replaces it, PATCH changes a part' });
    expect(Object.keys(file.cells)).toEqual(['rest/get-user']);
    expect(progressFileSummary(file)).toEqual({ exercises: 2, quiz: 2, cells: 1 });
    expect(JSON.stringify(file)).not.toContain('secret');
    expect(file.exportedAt).toBe('2026-11-25T01:00:00.000Z');
  });

  it('comes back whole on another computer, replacing what was there', () => {
    doSomeWork();
    const text = JSON.stringify(collectProgressFile(home, new Date()));
    const before = new Map(home.items);
    const other = new MapStorage();
    other.setItem('wirelab.cell.grpc/unary', JSON.stringify({ original: '"a"', value: 'b' }));
    other.setItem('wirelab.lang', 'en');
    const parsed = parseProgressFile(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    applyProgressFile(other, parsed.file);
    for (const key of ['wirelab.quiz.v1', 'wirelab.cell.rest/get-user']) expect(other.getItem(key), key).toBe(before.get(key));
    // the passes come with a mark: brought by a file, never reported to a class board (issue 35)
    const brought = JSON.parse(other.getItem('wirelab.progress.v1')!) as Progress;
    const made = JSON.parse(before.get('wirelab.progress.v1')!) as Progress;
    for (const [lesson, passes] of Object.entries(made)) {
      for (const [exercise, pass] of Object.entries(passes)) expect(brought[lesson][exercise]).toEqual({ passedAt: pass.passedAt, imported: true });
    }
    expect(passesMadeHere(brought)).toEqual([]);
    expect(passesMadeHere(made).length).toBeGreaterThan(0);
    expect(other.getItem('wirelab.cell.grpc/unary')).toBeNull();
    expect(other.getItem('wirelab.lang')).toBe('en');
    expect(other.getItem('wirelab.class.teacherKey')).toBeNull();
  });

  it('says which passes the file brought that this browser did not have (for the class the student is in)', () => {
    doSomeWork();
    const file = collectProgressFile(home, new Date());
    const other = new MapStorage();
    other.setItem('wirelab.progress.v1', JSON.stringify({ rest: { 'etag-304': { passedAt: 1 } }, grpc: { unary: { passedAt: 2 } } }));
    expect(applyProgressFile(other, file)).toEqual([{ lesson: 'quiz', exercise: 'rest-vs-graphql' }]);
    // the same file again brings nothing new; into an empty (or damaged) store, every pass is new
    expect(applyProgressFile(other, file)).toEqual([]);
    const empty = new MapStorage();
    empty.setItem('wirelab.progress.v1', '{damaged');
    expect(applyProgressFile(empty, file)).toEqual([
      { lesson: 'rest', exercise: 'etag-304' },
      { lesson: 'quiz', exercise: 'rest-vs-graphql' },
    ]);
  });

  it('refuses a foreign, damaged, newer or wrong file with the reason, and says where it is wrong', () => {
    const good = JSON.parse(JSON.stringify(collectProgressFile(home, new Date()))) as Record<string, unknown>;
    expect(parseProgressFile('{ "format": ')).toEqual({ ok: false, error: { kind: 'not-json' } });
    expect(parseProgressFile(JSON.stringify({ openapi: '3.1.0' }))).toEqual({ ok: false, error: { kind: 'foreign' } });
    expect(parseProgressFile('[]')).toEqual({ ok: false, error: { kind: 'foreign' } });
    expect(parseProgressFile(JSON.stringify({ ...good, version: 2 }))).toEqual({ ok: false, error: { kind: 'newer-version', version: 2 } });
    expect(parseProgressFile(JSON.stringify({ ...good, version: 'one' }))).toEqual({ ok: false, error: { kind: 'invalid', at: 'version' } });
    expect(parseProgressFile(JSON.stringify({ ...good, progress: { rest: { 'etag-304': { passedAt: 'yesterday' } } } }))).toEqual({
      ok: false,
      error: { kind: 'invalid', at: 'progress.rest.etag-304' },
    });
    expect(parseProgressFile(JSON.stringify({ ...good, quiz: { x: { kind: 'choice', picked: 'fields', right: true } } }))).toEqual({
      ok: false,
      error: { kind: 'invalid', at: 'quiz.x' },
    });
    expect(parseProgressFile(JSON.stringify({ ...good, cells: { 'rest/a': { value: 1 } } }))).toEqual({
      ok: false,
      error: { kind: 'invalid', at: 'cells.rest/a' },
    });
    expect(parseProgressFile(' '.repeat(PROGRESS_FILE_LIMITS.maxChars + 1))).toEqual({ ok: false, error: { kind: 'too-large' } });
    expect(parseProgressFile(JSON.stringify(good)).ok).toBe(true);
  });

  it('changes nothing when the storage refuses a write half-way', () => {
    doSomeWork();
    const parsed = parseProgressFile(JSON.stringify(collectProgressFile(home, new Date())));
    if (!parsed.ok) throw new Error('the file should parse');
    const other = new MapStorage();
    other.setItem('wirelab.progress.v1', JSON.stringify({ grpc: { unary: { passedAt: 1 } } }));
    other.setItem('wirelab.cell.grpc/unary', JSON.stringify({ original: '"a"', value: 'b' }));
    const before = new Map(other.items);
    other.failAt = other.writes + 2;
    expect(() => applyProgressFile(other, parsed.file)).toThrow('full');
    expect(new Map(other.items)).toEqual(before);
  });
});
