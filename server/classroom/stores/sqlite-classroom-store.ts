import { randomBytes, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import { newClassCode } from '../names/class-code.ts';
import { displayNameKey, NAME_KEY_VERSION } from '../names/display-name.ts';
import {
  applyStatusChange,
  hashToken,
  MAX_ATTEMPTS_KEPT,
  MAX_CLASS_ACTIONS_KEPT,
  MAX_CLASSES,
  MAX_MEMBERS,
  MAX_RESULTS_PER_MEMBER,
  REJOIN_CODE_LENGTH,
  type Attempt,
  type AttemptMiss,
  type ClassAction,
  type ClassInfo,
  type ClassroomStore,
  type ClassStatus,
  type ClassStatusChange,
  type ExerciseResult,
  type JoinOutcome,
  type MemberInfo,
  type RenameOutcome,
  type ResultOutcome,
  type CheckedProtocol,
  type ServerCheckCell,
  type ServerChecksRecord,
  inProtocolOrder,
} from './classroom-store.ts';

// The classroom's own tables, beside the demo domain's in the same SQLite file (its own
// connection): classes, their members and each member's exercise results outlive a restart.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS classroom_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS classroom_classes (
  code TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS classroom_members (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  class_code TEXT NOT NULL REFERENCES classroom_classes(code) ON DELETE CASCADE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  rejoin_code TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  joined_ms INTEGER NOT NULL,
  last_active_ms INTEGER NOT NULL,
  UNIQUE (class_code, name_key)
);
CREATE TABLE IF NOT EXISTS classroom_results (
  member_id INTEGER NOT NULL REFERENCES classroom_members(id) ON DELETE CASCADE,
  lesson TEXT NOT NULL,
  exercise TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  passed_ms INTEGER,
  last_ms INTEGER NOT NULL,
  PRIMARY KEY (member_id, lesson, exercise)
);
CREATE TABLE IF NOT EXISTS classroom_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  member_id INTEGER NOT NULL REFERENCES classroom_members(id) ON DELETE CASCADE,
  lesson TEXT NOT NULL,
  exercise TEXT NOT NULL,
  passed INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  miss TEXT
);
CREATE INDEX IF NOT EXISTS classroom_attempts_member ON classroom_attempts (member_id, id);
CREATE TABLE IF NOT EXISTS classroom_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  class_code TEXT NOT NULL REFERENCES classroom_classes(code) ON DELETE CASCADE,
  action TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS classroom_actions_class ON classroom_actions (class_code, id);
CREATE TABLE IF NOT EXISTS classroom_sessions (
  session_hash TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL UNIQUE REFERENCES classroom_members(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS classroom_server_checks (
  member_id INTEGER NOT NULL REFERENCES classroom_members(id) ON DELETE CASCADE,
  protocol TEXT NOT NULL,
  cell TEXT NOT NULL,
  checks TEXT NOT NULL,
  PRIMARY KEY (member_id, protocol)
);
`;

/** Columns of classroom_classes added after the first release: a database made before gets them on open. */
const CLASS_STATE_COLUMNS: ReadonlyArray<[string, string]> = [
  ['ended_ms', 'INTEGER'],
  // JSON of ClassNotice / ClassTimer
  ['notice', 'TEXT'],
  ['timer', 'TEXT'],
  // JSON of ClassAssignment
  ['assignment', 'TEXT'],
  ['frozen_ms', 'INTEGER'],
];

interface MemberRow {
  id: number;
  class_code: string;
  name: string;
  rejoin_code: string;
  joined_ms: number;
  last_active_ms: number;
}

const memberOf = (row: MemberRow): MemberInfo => ({
  id: row.id,
  classCode: row.class_code,
  name: row.name,
  rejoinCode: row.rejoin_code,
  joinedMs: row.joined_ms,
  lastActiveMs: row.last_active_ms,
});

/** Classes, members and results in SQLite, for one process (see README.md for how a name is claimed). */
export class SqliteClassroomStore implements ClassroomStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const columns = new Set((this.db.prepare('PRAGMA table_info(classroom_classes)').all() as Array<{ name: string }>).map((column) => column.name));
    for (const [name, type] of CLASS_STATE_COLUMNS) if (!columns.has(name)) this.db.exec(`ALTER TABLE classroom_classes ADD COLUMN ${name} ${type}`);
    this.migrateNameKeys();
  }

  /**
   * Name keys made before the confusable skeleton (lowercase only) become displayNameKey's, once
   * per file. Members keep their names, tokens and results. Two members whose names turn out to
   * look alike both stay: the one who joined first holds the key, the later one's key gets its id
   * appended (its token keeps working; a rejoin by that name asks for the first one's code).
   */
  private migrateNameKeys(): void {
    const version = this.db.prepare(`SELECT value FROM classroom_settings WHERE name = 'name_key_version'`).get() as { value: string } | undefined;
    if (version?.value === String(NAME_KEY_VERSION)) return;
    this.db.transaction(() => {
      const rows = this.db.prepare('SELECT id, class_code, name FROM classroom_members ORDER BY id').all() as Array<
        Pick<MemberRow, 'id' | 'class_code' | 'name'>
      >;
      // the old keys out of the way first: no row meets another's old key on the way
      this.db.prepare(`UPDATE classroom_members SET name_key = 'migrating:' || id`).run();
      const update = this.db.prepare('UPDATE classroom_members SET name_key = ? WHERE id = ?');
      const taken = new Set<string>();
      for (const row of rows) {
        const key = displayNameKey(row.name);
        const unique = taken.has(`${row.class_code}\n${key}`) ? `${key}\u0000${row.id}` : key;
        taken.add(`${row.class_code}\n${unique}`);
        update.run(unique, row.id);
      }
      this.db
        .prepare(`INSERT INTO classroom_settings (name, value) VALUES ('name_key_version', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`)
        .run(String(NAME_KEY_VERSION));
    })();
  }

  close(): void {
    this.db.close();
  }

  /** The given key (TEACHER_KEY), else the one this database keeps, made on first use. */
  teacherKey(given?: string): string {
    if (given) return given;
    const row = this.db.prepare(`SELECT value FROM classroom_settings WHERE name = 'teacher_key'`).get() as { value: string } | undefined;
    if (row) return row.value;
    const key = randomBytes(18).toString('base64url');
    this.db.prepare(`INSERT INTO classroom_settings (name, value) VALUES ('teacher_key', ?)`).run(key);
    return key;
  }

  createClass(title: string, now = Date.now()): ClassInfo | null {
    const count = (this.db.prepare('SELECT count(*) AS n FROM classroom_classes').get() as { n: number }).n;
    if (count >= MAX_CLASSES) return null;
    for (;;) {
      const code = newClassCode();
      const inserted = this.db.prepare('INSERT OR IGNORE INTO classroom_classes (code, title, created_ms) VALUES (?, ?, ?)').run(code, title, now);
      if (inserted.changes === 1) return { code, title, createdMs: now };
    }
  }

  classes(): ClassInfo[] {
    const rows = this.db.prepare('SELECT code, title, created_ms FROM classroom_classes ORDER BY created_ms, code').all() as Array<{
      code: string;
      title: string;
      created_ms: number;
    }>;
    return rows.map((row) => ({ code: row.code, title: row.title, createdMs: row.created_ms }));
  }

  classByCode(code: string): ClassInfo | null {
    const row = this.db.prepare('SELECT code, title, created_ms FROM classroom_classes WHERE code = ?').get(code) as
      | { code: string; title: string; created_ms: number }
      | undefined;
    return row ? { code: row.code, title: row.title, createdMs: row.created_ms } : null;
  }

  /**
   * A name is claimed by the first student who joins with it: they get a rejoin code. Joining
   * again with that name (another browser, cookies gone) needs the rejoin code; without it the
   * name is taken. Every join issues a new member token: the previous browser's stops working.
   */
  join(code: string, name: string, rejoinCode: string | null, now = Date.now()): JoinOutcome {
    const status = this.classStatus(code);
    if (!status) return { ok: false, error: 'NO_SUCH_CLASS' };
    if (status.endedMs !== null) return { ok: false, error: 'CLASS_ENDED' };
    const token = randomBytes(24).toString('base64url');
    const existing = this.db.prepare('SELECT * FROM classroom_members WHERE class_code = ? AND name_key = ?').get(code, displayNameKey(name)) as
      | MemberRow
      | undefined;
    if (existing) {
      if (!rejoinCode || !sameText(existing.rejoin_code, rejoinCode.toUpperCase())) return { ok: false, error: 'NAME_TAKEN' };
      this.db.prepare('UPDATE classroom_members SET token_hash = ?, last_active_ms = ? WHERE id = ?').run(hashToken(token), now, existing.id);
      return { ok: true, member: memberOf({ ...existing, last_active_ms: now }), token, rejoined: true };
    }
    const count = (this.db.prepare('SELECT count(*) AS n FROM classroom_members WHERE class_code = ?').get(code) as { n: number }).n;
    if (count >= MAX_MEMBERS) return { ok: false, error: 'CLASS_FULL' };
    const newRejoinCode = newClassCode(REJOIN_CODE_LENGTH);
    const inserted = this.db
      .prepare('INSERT INTO classroom_members (class_code, name, name_key, rejoin_code, token_hash, joined_ms, last_active_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(code, name, displayNameKey(name), newRejoinCode, hashToken(token), now, now);
    const member: MemberInfo = { id: Number(inserted.lastInsertRowid), classCode: code, name, rejoinCode: newRejoinCode, joinedMs: now, lastActiveMs: now };
    return { ok: true, member, token, rejoined: false };
  }

  memberByToken(token: unknown): MemberInfo | null {
    if (typeof token !== 'string' || token.length > 100) return null;
    const row = this.db.prepare('SELECT * FROM classroom_members WHERE token_hash = ?').get(hashToken(token)) as MemberRow | undefined;
    return row ? memberOf(row) : null;
  }

  members(code: string): MemberInfo[] {
    return (this.db.prepare('SELECT * FROM classroom_members WHERE class_code = ? ORDER BY joined_ms, id').all(code) as MemberRow[]).map(memberOf);
  }

  touch(memberId: number, now = Date.now()): void {
    this.db.prepare('UPDATE classroom_members SET last_active_ms = ? WHERE id = ?').run(now, memberId);
  }

  /**
   * One check result: a miss counts an attempt; a pass counts one too and keeps the first pass's
   * time. Once passed, later misses are not counted (the student is exploring, not failing).
   */
  recordResult(memberId: number, lesson: string, exercise: string, passed: boolean, now = Date.now(), miss: AttemptMiss | null = null): ResultOutcome {
    const read = () =>
      this.db
        .prepare('SELECT lesson, exercise, attempts, passed_ms, last_ms FROM classroom_results WHERE member_id = ? AND lesson = ? AND exercise = ?')
        .get(memberId, lesson, exercise) as { lesson: string; exercise: string; attempts: number; passed_ms: number | null; last_ms: number } | undefined;
    const toResult = (row: NonNullable<ReturnType<typeof read>>): ExerciseResult => ({
      lesson: row.lesson,
      exercise: row.exercise,
      attempts: row.attempts,
      passedMs: row.passed_ms,
      lastMs: row.last_ms,
    });
    return this.db.transaction((): ResultOutcome => {
      const ended = this.db
        .prepare('SELECT c.ended_ms FROM classroom_classes c JOIN classroom_members m ON m.class_code = c.code WHERE m.id = ?')
        .get(memberId) as { ended_ms: number | null } | undefined;
      if (ended?.ended_ms != null) return { ok: false, error: 'CLASS_ENDED' };
      this.touch(memberId, now);
      const before = read();
      if (before?.passed_ms != null) return { ok: true, result: toResult(before), changed: false };
      if (!before) {
        const count = (this.db.prepare('SELECT count(*) AS n FROM classroom_results WHERE member_id = ?').get(memberId) as { n: number }).n;
        if (count >= MAX_RESULTS_PER_MEMBER) return { ok: false, error: 'TOO_MANY_RESULTS' };
        this.db
          .prepare('INSERT INTO classroom_results (member_id, lesson, exercise, attempts, passed_ms, last_ms) VALUES (?, ?, ?, 1, ?, ?)')
          .run(memberId, lesson, exercise, passed ? now : null, now);
      } else {
        this.db
          .prepare('UPDATE classroom_results SET attempts = attempts + 1, passed_ms = ?, last_ms = ? WHERE member_id = ? AND lesson = ? AND exercise = ?')
          .run(passed ? now : null, now, memberId, lesson, exercise);
      }
      this.keepAttempt(memberId, { lesson, exercise, passed, ms: now, miss: passed ? null : miss });
      return { ok: true, result: toResult(read()!), changed: true };
    })();
  }

  /** One more attempt in the member's log; past MAX_ATTEMPTS_KEPT the oldest goes. */
  private keepAttempt(memberId: number, attempt: Attempt): void {
    this.db
      .prepare('INSERT INTO classroom_attempts (member_id, lesson, exercise, passed, at_ms, miss) VALUES (?, ?, ?, ?, ?, ?)')
      .run(memberId, attempt.lesson, attempt.exercise, attempt.passed ? 1 : 0, attempt.ms, attempt.miss ? JSON.stringify(attempt.miss) : null);
    this.db
      .prepare(
        'DELETE FROM classroom_attempts WHERE member_id = ? AND id <= (SELECT id FROM classroom_attempts WHERE member_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
      )
      .run(memberId, memberId, MAX_ATTEMPTS_KEPT);
  }

  attempts(memberId: number): Attempt[] {
    const rows = this.db
      .prepare('SELECT lesson, exercise, passed, at_ms, miss FROM classroom_attempts WHERE member_id = ? ORDER BY id DESC')
      .all(memberId) as Array<{
      lesson: string;
      exercise: string;
      passed: number;
      at_ms: number;
      miss: string | null;
    }>;
    return rows.map((row) => ({
      lesson: row.lesson,
      exercise: row.exercise,
      passed: row.passed === 1,
      ms: row.at_ms,
      miss: row.miss ? (JSON.parse(row.miss) as AttemptMiss) : null,
    }));
  }

  bindSession(memberId: number, session: string): void {
    // REPLACE drops the rows either key named: the member's previous session, the session's previous member
    this.db
      .prepare('INSERT OR REPLACE INTO classroom_sessions (session_hash, member_id) SELECT ?, id FROM classroom_members WHERE id = ?')
      .run(hashToken(session), memberId);
  }

  memberBySession(session: string): MemberInfo | null {
    const row = this.db
      .prepare('SELECT m.* FROM classroom_members m JOIN classroom_sessions s ON s.member_id = m.id WHERE s.session_hash = ?')
      .get(hashToken(session)) as MemberRow | undefined;
    return row ? memberOf(row) : null;
  }

  recordServerChecks(memberId: number, record: ServerChecksRecord): 'ok' | 'CLASS_ENDED' | 'NO_SUCH_MEMBER' {
    return this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT c.ended_ms FROM classroom_classes c JOIN classroom_members m ON m.class_code = c.code WHERE m.id = ?')
        .get(memberId) as { ended_ms: number | null } | undefined;
      if (!row) return 'NO_SUCH_MEMBER';
      if (row.ended_ms !== null) return 'CLASS_ENDED';
      this.db
        .prepare('INSERT OR REPLACE INTO classroom_server_checks (member_id, protocol, cell, checks) VALUES (?, ?, ?, ?)')
        .run(memberId, record.cell.protocol, JSON.stringify(record.cell), JSON.stringify(record.checks));
      return 'ok';
    })();
  }

  serverChecks(memberId: number, protocol: CheckedProtocol): ServerChecksRecord | null {
    const row = this.db.prepare('SELECT cell, checks FROM classroom_server_checks WHERE member_id = ? AND protocol = ?').get(memberId, protocol) as
      | { cell: string; checks: string }
      | undefined;
    return row ? { cell: JSON.parse(row.cell) as ServerChecksRecord['cell'], checks: JSON.parse(row.checks) as ServerChecksRecord['checks'] } : null;
  }

  serverCellsOfClass(code: string): Map<number, ServerCheckCell[]> {
    const rows = this.db
      .prepare('SELECT s.member_id, s.cell FROM classroom_server_checks s JOIN classroom_members m ON m.id = s.member_id WHERE m.class_code = ?')
      .all(code) as Array<{ member_id: number; cell: string }>;
    const byMember = new Map<number, ServerCheckCell[]>();
    for (const row of rows) {
      let list = byMember.get(row.member_id);
      if (!list) byMember.set(row.member_id, (list = []));
      list.push(JSON.parse(row.cell) as ServerCheckCell);
    }
    for (const list of byMember.values()) list.sort(inProtocolOrder);
    return byMember;
  }

  classStatus(code: string): ClassStatus | null {
    const row = this.db.prepare('SELECT ended_ms, notice, timer, assignment, frozen_ms FROM classroom_classes WHERE code = ?').get(code) as
      | { ended_ms: number | null; notice: string | null; timer: string | null; assignment: string | null; frozen_ms: number | null }
      | undefined;
    if (!row) return null;
    return {
      endedMs: row.ended_ms,
      notice: row.notice ? (JSON.parse(row.notice) as ClassStatus['notice']) : null,
      timer: row.timer ? (JSON.parse(row.timer) as ClassStatus['timer']) : null,
      assignment: row.assignment ? (JSON.parse(row.assignment) as ClassStatus['assignment']) : null,
      frozenMs: row.frozen_ms,
    };
  }

  recordAction(code: string, action: ClassAction): void {
    this.db.transaction(() => {
      if (
        this.db
          .prepare('INSERT INTO classroom_actions (class_code, action) SELECT code, ? FROM classroom_classes WHERE code = ?')
          .run(JSON.stringify(action), code).changes === 0
      )
        return;
      this.db
        .prepare(
          'DELETE FROM classroom_actions WHERE class_code = ? AND id NOT IN (SELECT id FROM classroom_actions WHERE class_code = ? ORDER BY id DESC LIMIT ?)',
        )
        .run(code, code, MAX_CLASS_ACTIONS_KEPT);
    })();
  }

  actions(code: string): ClassAction[] {
    const rows = this.db
      .prepare('SELECT action FROM classroom_actions WHERE class_code = ? ORDER BY id DESC LIMIT ?')
      .all(code, MAX_CLASS_ACTIONS_KEPT) as Array<{ action: string }>;
    return rows.map((row) => JSON.parse(row.action) as ClassAction);
  }

  updateClassStatus(code: string, change: ClassStatusChange): ClassStatus | null {
    return this.db.transaction((): ClassStatus | null => {
      const before = this.classStatus(code);
      if (!before) return null;
      const after = applyStatusChange(before, change);
      this.db
        .prepare('UPDATE classroom_classes SET ended_ms = ?, notice = ?, timer = ?, assignment = ?, frozen_ms = ? WHERE code = ?')
        .run(after.endedMs, jsonOrNull(after.notice), jsonOrNull(after.timer), jsonOrNull(after.assignment), after.frozenMs, code);
      return after;
    })();
  }

  /** Every member's results in one query (the board is built often while a class works), each with its kept misses. */
  resultsOfClass(code: string): Map<number, ExerciseResult[]> {
    const misses = this.db
      .prepare(
        'SELECT a.member_id, a.lesson, a.exercise, a.miss FROM classroom_attempts a JOIN classroom_members m ON m.id = a.member_id WHERE m.class_code = ? AND a.passed = 0 AND a.miss IS NOT NULL ORDER BY a.id',
      )
      .all(code) as Array<{ member_id: number; lesson: string; exercise: string; miss: string }>;
    const missesOf = new Map<string, AttemptMiss[]>();
    for (const row of misses) {
      const key = JSON.stringify([row.member_id, row.lesson, row.exercise]);
      missesOf.set(key, [...(missesOf.get(key) ?? []), JSON.parse(row.miss) as AttemptMiss]);
    }
    const rows = this.db
      .prepare(
        'SELECT r.member_id, r.lesson, r.exercise, r.attempts, r.passed_ms, r.last_ms FROM classroom_results r JOIN classroom_members m ON m.id = r.member_id WHERE m.class_code = ? ORDER BY r.member_id, r.lesson, r.exercise',
      )
      .all(code) as Array<{ member_id: number; lesson: string; exercise: string; attempts: number; passed_ms: number | null; last_ms: number }>;
    const byMember = new Map<number, ExerciseResult[]>();
    for (const row of rows) {
      let list = byMember.get(row.member_id);
      if (!list) byMember.set(row.member_id, (list = []));
      const kept = missesOf.get(JSON.stringify([row.member_id, row.lesson, row.exercise])) ?? [];
      list.push({ lesson: row.lesson, exercise: row.exercise, attempts: row.attempts, passedMs: row.passed_ms, lastMs: row.last_ms, misses: kept });
    }
    return byMember;
  }

  renameMember(code: string, memberId: number, name: string): RenameOutcome {
    const row = this.db.prepare('SELECT * FROM classroom_members WHERE id = ? AND class_code = ?').get(memberId, code) as MemberRow | undefined;
    if (!row) return { ok: false, error: 'NO_SUCH_MEMBER' };
    const holder = this.db.prepare('SELECT id FROM classroom_members WHERE class_code = ? AND name_key = ?').get(code, displayNameKey(name)) as
      | { id: number }
      | undefined;
    if (holder && holder.id !== memberId) return { ok: false, error: 'NAME_TAKEN' };
    this.db.prepare('UPDATE classroom_members SET name = ?, name_key = ? WHERE id = ?').run(name, displayNameKey(name), memberId);
    return { ok: true, member: memberOf({ ...row, name }) };
  }

  removeMember(code: string, memberId: number): boolean {
    // the results go with it (ON DELETE CASCADE)
    return this.db.prepare('DELETE FROM classroom_members WHERE id = ? AND class_code = ?').run(memberId, code).changes === 1;
  }

  deleteClass(code: string): number[] | null {
    return this.db.transaction((): number[] | null => {
      const ids = (this.db.prepare('SELECT id FROM classroom_members WHERE class_code = ?').all(code) as Array<{ id: number }>).map((row) => row.id);
      // members and their results go with it (ON DELETE CASCADE)
      return this.db.prepare('DELETE FROM classroom_classes WHERE code = ?').run(code).changes === 1 ? ids : null;
    })();
  }

  memberCount(code: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM classroom_members WHERE class_code = ?').get(code) as { n: number }).n;
  }

  results(memberId: number): ExerciseResult[] {
    const rows = this.db
      .prepare('SELECT lesson, exercise, attempts, passed_ms, last_ms FROM classroom_results WHERE member_id = ? ORDER BY lesson, exercise')
      .all(memberId) as Array<{
      lesson: string;
      exercise: string;
      attempts: number;
      passed_ms: number | null;
      last_ms: number;
    }>;
    return rows.map((row) => ({ lesson: row.lesson, exercise: row.exercise, attempts: row.attempts, passedMs: row.passed_ms, lastMs: row.last_ms }));
  }
}

const jsonOrNull = (value: object | null): string | null => (value ? JSON.stringify(value) : null);

function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
