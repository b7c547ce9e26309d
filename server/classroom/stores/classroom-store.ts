import { createHash } from 'node:crypto';
import type { Attempt, AttemptMiss, ClassAction, ClassStatus, ServerCheckCell, ServerCheckLine } from '../../../contracts/class-channel/messages.ts';
import { CHECKED_PROTOCOLS, type CheckedProtocol } from '../../../contracts/own-server/check-result.ts';

export type { Attempt, AttemptMiss, ClassAction, ClassStatus, CheckedProtocol, ServerCheckCell, ServerCheckLine };

/** A member's latest run of one protocol's suite (server-checks.ts made it from the server's own run). */
export interface ServerChecksRecord {
  cell: ServerCheckCell;
  checks: ServerCheckLine[];
}
export { MAX_ATTEMPTS_KEPT, MAX_CLASS_ACTIONS_KEPT } from '../../../contracts/class-channel/messages.ts';

// What the classroom keeps, whichever store keeps it: SQLite for one process
// (sqlite-classroom-store.ts), Redis when several instances share the classes
// (redis-classroom-store.ts). The plugin picks one at start (README.md, "Several instances").

export const REJOIN_CODE_LENGTH = 6;
/** A lecture hall of hundreds fits. @default 1000 members per class */
export const MAX_MEMBERS = 1000;
/** @default 100 classes on one server (on one deployment when the instances share Redis) */
export const MAX_CLASSES = 100;
/** Exercises one member may have results for: bounds what one student can write. @default 500 */
export const MAX_RESULTS_PER_MEMBER = 500;

export interface ClassInfo {
  code: string;
  title: string;
  createdMs: number;
}

export interface MemberInfo {
  id: number;
  classCode: string;
  name: string;
  rejoinCode: string;
  joinedMs: number;
  lastActiveMs: number;
}

export interface ExerciseResult {
  lesson: string;
  exercise: string;
  attempts: number;
  passedMs: number | null;
  lastMs: number;
  /** what each counted miss was, oldest first, as the server recorded it (of the attempts kept): the board's, not a student's own results */
  misses?: AttemptMiss[];
}

export type JoinOutcome =
  | { ok: true; member: MemberInfo; token: string; rejoined: boolean }
  | { ok: false; error: 'NO_SUCH_CLASS' | 'NAME_TAKEN' | 'CLASS_FULL' | 'CLASS_ENDED' };

export type RenameOutcome = { ok: true; member: MemberInfo } | { ok: false; error: 'NO_SUCH_MEMBER' | 'NAME_TAKEN' };

export type ResultOutcome = { ok: true; result: ExerciseResult; changed: boolean } | { ok: false; error: 'TOO_MANY_RESULTS' | 'CLASS_ENDED' };

/** What the teacher changes of a class's state; a field left out stays as it is. */
export type ClassStatusChange = Partial<ClassStatus>;

export const OPEN_CLASS_STATUS: ClassStatus = { endedMs: null, notice: null, timer: null, assignment: null, frozenMs: null };

/** The state after a change: the fields the change names (undefined: left as it was). */
export function applyStatusChange(before: ClassStatus, change: ClassStatusChange): ClassStatus {
  return {
    endedMs: change.endedMs === undefined ? before.endedMs : change.endedMs,
    notice: change.notice === undefined ? before.notice : change.notice,
    timer: change.timer === undefined ? before.timer : change.timer,
    assignment: change.assignment === undefined ? before.assignment : change.assignment,
    frozenMs: change.frozenMs === undefined ? before.frozenMs : change.frozenMs,
  };
}

/** A member's cells on the board in CHECKED_PROTOCOLS' order (REST first). */
export const inProtocolOrder = (a: ServerCheckCell, b: ServerCheckCell): number =>
  CHECKED_PROTOCOLS.indexOf(a.protocol) - CHECKED_PROTOCOLS.indexOf(b.protocol);

/** SQLite answers at once, Redis over the network: the plugin awaits either. */
export type Awaitable<T> = T | Promise<T>;

/**
 * Classes, members and their results. Both stores follow the same rules (README.md, "Claiming a
 * name"): the first join with a name claims it, joining again with it needs the rejoin code, each
 * join issues a new member token (only its SHA-256 is kept), attempts count until the first pass.
 */
export interface ClassroomStore {
  /** The given key (TEACHER_KEY), else the one the store keeps, made on first use. */
  teacherKey(given?: string): Awaitable<string>;
  /** null: there are MAX_CLASSES already */
  createClass(title: string, now?: number): Awaitable<ClassInfo | null>;
  /** by creation time, then code */
  classes(): Awaitable<ClassInfo[]>;
  classByCode(code: string): Awaitable<ClassInfo | null>;
  join(code: string, name: string, rejoinCode: string | null, now?: number): Awaitable<JoinOutcome>;
  memberByToken(token: unknown): Awaitable<MemberInfo | null>;
  /** by join time, then id */
  members(code: string): Awaitable<MemberInfo[]>;
  memberCount(code: string): Awaitable<number>;
  touch(memberId: number, now?: number): Awaitable<void>;
  /**
   * A counted report (not after the first pass) is also kept as an attempt, with the miss's
   * details when the page sent them; a class that has ended refuses it (CLASS_ENDED), as it
   * refuses joins.
   */
  recordResult(memberId: number, lesson: string, exercise: string, passed: boolean, now?: number, miss?: AttemptMiss | null): Awaitable<ResultOutcome>;
  /**
   * The browser session a member's page uses (a join's cookie, a channel's hello with the member
   * token): "check my server" runs of that session are the member's. One session per member and
   * one member per session: a newer binding replaces either. Only the SHA-256 is kept.
   */
  bindSession(memberId: number, session: string): Awaitable<void>;
  memberBySession(session: string): Awaitable<MemberInfo | null>;
  /** The member's latest run of `record.cell.protocol`, replacing the previous one; refused while the class has ended. */
  recordServerChecks(memberId: number, record: ServerChecksRecord): Awaitable<'ok' | 'CLASS_ENDED' | 'NO_SUCH_MEMBER'>;
  serverChecks(memberId: number, protocol: CheckedProtocol): Awaitable<ServerChecksRecord | null>;
  /** every member's latest run per protocol, in CHECKED_PROTOCOLS' order: what the board shows */
  serverCellsOfClass(code: string): Awaitable<Map<number, ServerCheckCell[]>>;
  /** The member's attempts, newest first: the last MAX_ATTEMPTS_KEPT. */
  attempts(memberId: number): Awaitable<Attempt[]>;
  /** null: no such class */
  classStatus(code: string): Awaitable<ClassStatus | null>;
  /** The teacher ends or reopens the class, sends or takes down a message, starts or stops the timer. null: no such class; else the new state. */
  updateClassStatus(code: string, change: ClassStatusChange): Awaitable<ClassStatus | null>;
  /** One more line of the board's history (the class's last MAX_CLASS_ACTIONS_KEPT are kept); nothing for a class that does not exist. */
  recordAction(code: string, action: ClassAction): Awaitable<void>;
  /** The class's history, newest first. */
  actions(code: string): Awaitable<ClassAction[]>;
  /** by lesson, then exercise */
  results(memberId: number): Awaitable<ExerciseResult[]>;
  resultsOfClass(code: string): Awaitable<Map<number, ExerciseResult[]>>;
  /**
   * The teacher gives a member of the class another name (a typo, a nickname on the projector);
   * the rejoin code and results stay. The name is claimed as at a join: another member's is taken.
   */
  renameMember(code: string, memberId: number, name: string): Awaitable<RenameOutcome>;
  /** The teacher removes a member: the name, its results and its token are gone. false: no such member of that class. */
  removeMember(code: string, memberId: number): Awaitable<boolean>;
  /** The teacher deletes a class with its members and results. null: no such class; else the ids its members had. */
  deleteClass(code: string): Awaitable<number[] | null>;
  close(): Awaitable<void>;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
