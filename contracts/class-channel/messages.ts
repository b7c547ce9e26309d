// The class channel and the classroom's HTTP answers, once for both ends: the server
// (server/classroom/) sends and reads these, the pages (web/classroom/) read and send them.
// PROTOCOL.md beside this file says what each message does. Pure TypeScript: no Node, no DOM.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { CheckedProtocol, CheckOutcome } from '../own-server/check-result.ts';

export const CLASS_PATH = '/_wirelab/class';
export const CLASS_CHANNEL_PATH = `${CLASS_PATH}/channel`;
export const TEACHER_KEY_HEADER = 'x-wirelab-teacher-key';
export const MEMBER_HEADER = 'x-wirelab-member';

// ---- the board -------------------------------------------------------------------------------

export interface BoardResult {
  lesson: string;
  exercise: string;
  attempts: number;
  passedMs: number | null;
  lastMs: number;
  /**
   * On the teacher's board: what each counted miss was, oldest first, as the server judged it from
   * its own captures (contracts/exercise-checks/miss-verdict.ts) — of the attempts kept
   * (MAX_ATTEMPTS_KEPT), so it may be shorter than the count; a student's own results carry none.
   */
  misses?: AttemptMiss[];
}

export interface BoardMember {
  id: number;
  name: string;
  /** the teacher reads it out to a student who forgot it (server/classroom/README.md, "Claiming a name") */
  rejoinCode: string;
  joinedMs: number;
  lastActiveMs: number;
  /** has a class channel open now */
  online: boolean;
  following: boolean;
  /** following with the page visible (Page Visibility API): a student who watches, not one who is idle */
  watching: boolean;
  /** where the student's page is, as it last said (null: offline, or a page that has not said) */
  place: Navigation | null;
  /** why a follower's page is not where the teacher is (null: it follows, or the student does not follow at all) */
  waits: FollowWait | null;
  results: BoardResult[];
  /** the latest "check my server" run per protocol (at most one each), as the server ran it */
  servers: ServerCheckCell[];
}

export interface Board {
  code: string;
  title: string;
  /** the server's clock when the board was made: idle times count from it */
  now: number;
  /** ended or not, the teacher's message and timer, as the students get them */
  status: ClassStatus;
  members: BoardMember[];
  /** what the teacher did to the class, newest first (the last MAX_CLASS_ACTIONS_KEPT) */
  history: ClassAction[];
}

export interface ClassSummary {
  code: string;
  title: string;
  createdMs: number;
  members: number;
  /** the class was ended (joins and results refused) at this time; null: open */
  endedMs: number | null;
}

// ---- one student's attempts ------------------------------------------------------------------

/**
 * What a check said when it missed (contracts/exercise-checks/check-types.ts, CheckMiss's `kind`);
 * `wrong-capture-answer`: a wrong answer to a question about a lesson's capture file (a wrong
 * pick, or a value that differs from the file's), the answer itself the attempt.
 */
export const MISS_KINDS = [
  'no-request',
  'response-differs',
  'no-answer',
  'wrong-answer',
  'no-value',
  'wrong-message-answer',
  'no-message',
  'wrong-capture-answer',
  'capture-file',
] as const;
export type MissKind = (typeof MISS_KINDS)[number];
/** For `response-differs`: what of the response was not the one asked for. */
export const MISS_DIFFERENCES = ['no-response', 'status', 'header', 'body'] as const;
export type MissDifference = (typeof MISS_DIFFERENCES)[number];

/**
 * A miss as the student's card showed it, short: the check's verdict and the request it was
 * about — its method and path only (never a query, a header, a cookie or a body) — with the
 * response's status.
 */
export interface AttemptMiss {
  kind: MissKind;
  /** e.g. "POST /api/v1/users": at most ATTEMPT_REQUEST_MAX characters */
  request?: string;
  status?: number;
  differs?: MissDifference;
  /**
   * For `wrong-capture-answer`: the answer sent (a pick as messagePick or exchangePick writes it,
   * or the value), at most ATTEMPT_ANSWER_MAX characters — about the lesson's own capture file,
   * the same for every student, so no secret of the student's is in it.
   */
  answer?: string;
}
export const ATTEMPT_REQUEST_MAX = 200;
export const ATTEMPT_ANSWER_MAX = 200;

/** One counted attempt at an exercise (a shown miss, or the first pass). */
export interface Attempt {
  lesson: string;
  exercise: string;
  passed: boolean;
  ms: number;
  /** null for a pass, and for a miss reported without its details */
  miss: AttemptMiss | null;
}

/** A student's attempts, newest first (the last MAX_ATTEMPTS_KEPT of them). */
export interface MemberAttempts {
  code: string;
  memberId: number;
  name: string;
  attempts: Attempt[];
}
/** Attempts kept per student; older ones are forgotten (the board's counts stay). */
export const MAX_ATTEMPTS_KEPT = 200;

// ---- "check my server": a student's latest run per protocol --------------------------------

/**
 * What the board shows of a student's latest run of one protocol's suite: recorded by the server
 * from the run it executed (server/classroom/README.md, "A student's own server"), never from a
 * browser's word. No host, header, body or transcript of the student's server: the port only.
 */
export interface ServerCheckCell {
  protocol: CheckedProtocol;
  /** when the suite ended (the server's clock) */
  ms: number;
  passed: number;
  failed: number;
  notOffered: number;
  /** the failed checks' ids, in the suite's order (at most SERVER_CHECKS_MAX) */
  failedIds: string[];
  /** the run reached Wirelab's own listening port: it proves nothing about the student's server */
  targetIsWirelab: boolean;
  /** the port the student's server was checked on (the host is never kept: it is the student's own machine) */
  port: number;
}

/** One check of that run, for the teacher's details: its verdict and what differed. */
export interface ServerCheckLine {
  id: string;
  outcome: CheckOutcome;
  /** Wirelab's own sentence of what differed (fail, not offered), secrets blanked, at most SERVER_CHECK_DIFFERENCE_MAX characters each */
  difference: Bilingual | null;
}

/** The details the teacher opens from a board cell. */
export interface MemberServerChecks {
  code: string;
  memberId: number;
  name: string;
  protocol: CheckedProtocol;
  /** null: the student has run no suite of that protocol (or was removed meanwhile) */
  cell: ServerCheckCell | null;
  checks: ServerCheckLine[];
}
/** How the board and its CSV name a protocol (the same in both languages). */
export const SERVER_PROTOCOL_NAMES: Record<CheckedProtocol, string> = {
  rest: 'REST',
  websocket: 'WebSocket',
  sse: 'SSE',
  grpc: 'gRPC',
  graphql: 'GraphQL',
  mqtt: 'MQTT',
  gateway: 'gRPC gateway',
  'long-polling': 'Long polling',
  'socket-io': 'Socket.IO',
  'grpc-websocket': 'gRPC + WebSocket',
};

/** "REST 16/16 ✓", "gRPC 7/10": passed out of all the suite's checks, ✓ when none failed. */
export function serverCellLabel(cell: Pick<ServerCheckCell, 'protocol' | 'passed' | 'failed' | 'notOffered'>): string {
  const total = cell.passed + cell.failed + cell.notOffered;
  return `${SERVER_PROTOCOL_NAMES[cell.protocol]} ${cell.passed}/${total}${cell.failed === 0 && cell.passed > 0 ? ' ✓' : ''}`;
}

/** Checks kept of one run; a suite has at most 17 today. */
export const SERVER_CHECKS_MAX = 40;
export const SERVER_CHECK_DIFFERENCE_MAX = 240;

// ---- the class's state: ended, the teacher's message, the timer -----------------------------

export interface ClassNotice {
  /** plain text, shown as text (never HTML), 1–NOTICE_MAX characters */
  text: string;
  sentMs: number;
}

export interface ClassTimer {
  startedMs: number;
  /** the server's clock: a page counts down to it from the `now` it got with it */
  endsMs: number;
}

/** "Everyone: exercise 3 now": the exercise every student's page links to, and the teacher's board shows. */
export interface ClassAssignment {
  /** a lesson's slug and one of its exercises (lessons/<nn-slug>/lesson.json) */
  lesson: string;
  exercise: string;
  sentMs: number;
}

export interface ClassStatus {
  /** when the teacher ended the class (joins and results refused); null: open */
  endedMs: number | null;
  notice: ClassNotice | null;
  timer: ClassTimer | null;
  /** the exercise the teacher assigned; null: none */
  assignment: ClassAssignment | null;
  /** since when the students' writes to their data are frozen (the teacher demonstrates); null: not frozen */
  frozenMs: number | null;
}

export const NOTICE_MAX = 280;
export const TIMER_MAX_MINUTES = 180;

// ---- the teacher's cell, sent to the class --------------------------------------------------

/**
 * A version of one cell of a lesson as the teacher's editor holds it: `value` is what the cell
 * keeps as its draft (web/editors/saved-cell-state.ts: the HTTP cell's text, a console's fields),
 * with every secret of the teacher's session blanked by the server before any student gets it.
 */
export interface CellDraft {
  lesson: string;
  /** the cell's id in the lesson (lesson.json `cells`) */
  cell: string;
  value: unknown;
  sentMs: number;
}
/** The draft's JSON, at most this many characters. */
export const CELL_DRAFT_MAX = 16_000;

// ---- the board's history ----------------------------------------------------------------------

export const CLASS_ACTION_KINDS = [
  'ended',
  'reopened',
  'notice',
  'notice-down',
  'timer',
  'timer-stopped',
  'data-reset',
  'removed',
  'renamed',
  'assigned',
  'assignment-cleared',
  'cell-sent',
  'frozen',
  'unfrozen',
  // not the teacher's own: joins to the class refused by the per-address limit (at most one line a minute)
  'joins-limited',
] as const;
export type ClassActionKind = (typeof CLASS_ACTION_KINDS)[number];

/** One thing the teacher did to the class, as the board's history lists it (newest first). */
export interface ClassAction {
  ms: number;
  kind: ClassActionKind;
  /** the message's text; a student's name (the new one, for a rename); for joins-limited, the setting that raises the limit */
  text?: string;
  /** joins-limited: the joins a minute one address may make now */
  limit?: number;
  /** a rename's old name */
  from?: string;
  minutes?: number;
  lesson?: string;
  exercise?: string;
  cell?: string;
}
/** Actions kept per class; older ones are forgotten. */
export const MAX_CLASS_ACTIONS_KEPT = 100;

/** Where the teacher is, as followers get it: never the language (each follower keeps their own). */
export interface Navigation {
  /** a lesson's slug; null: the lesson list */
  lesson: string | null;
  /** a heading id of the lesson, or '' */
  section: string;
}

/**
 * Why a follower's page stays where it is when the teacher moves (the page shows where the teacher
 * is, with one click to go, and says so on the desk): a check of theirs runs (`check`), they typed a
 * moment ago (`typing`), they work on the assigned exercise (`assignment`: tried it, not passed),
 * they opened this page themselves (`own-page`: the next move of the teacher's takes them), the
 * class page that shows their rejoin code right after joining (`class-page`).
 */
export const FOLLOW_WAITS = ['check', 'typing', 'assignment', 'own-page', 'class-page'] as const;
export type FollowWait = (typeof FOLLOW_WAITS)[number];

// ---- refusals --------------------------------------------------------------------------------

/** Error codes the classroom answers with, over HTTP (problem+json) and the channel (the page shows its own text for each). */
export type ClassServerErrorCode =
  | 'BAD_CODE'
  | 'BAD_NAME'
  | 'BAD_RESULT'
  | 'NO_SUCH_EXERCISE'
  | 'BAD_TITLE'
  | 'NO_SUCH_CLASS'
  | 'NAME_TAKEN'
  | 'NO_SUCH_MEMBER'
  | 'CLASS_FULL'
  | 'TOO_MANY_CLASSES'
  | 'TOO_MANY_RESULTS'
  | 'NOT_A_MEMBER'
  | 'CLASS_ENDED'
  | 'BAD_NOTICE'
  | 'BAD_TIMER'
  | 'BAD_CELL'
  | 'BAD_FREEZE'
  | 'TEACHER_KEY_REQUIRED'
  | 'TEACHER_KEY_LIMITED'
  | 'RATE_LIMITED'
  | 'CROSS_ORIGIN';

/** Why a student's channel was closed for good: the page says which, and leaves the class. */
export type MemberOutReason = 'rejoined' | 'removed' | 'class-deleted';

/** The class channel's own close codes (the 4000–4999 range is the application's, RFC 6455 §7.4.2). */
export const CLASS_CLOSE = {
  /** the member token is unknown: joined elsewhere while this page was away, or removed */
  notAMember: 4401,
  /** the teacher key was wrong */
  teacherKeyRequired: 4403,
  /** too many wrong teacher keys from this address: refused unheard until the reason's seconds pass (HTTP: 429) */
  teacherKeyLimited: 4429,
  /** no hello within 10 s */
  noHello: 4408,
  /** RFC 6455's "going away": the server is shutting down (a restart); the page says so and reconnects */
  serverGoingAway: 1001,
  /** scaled out: this browser session's new connections now reach another instance; the page opens the channel again at once and lands there (PROTOCOL.md, "Following the session's HTTP") */
  moved: 4307,
} as const;

/** The reason of a `teacherKeyLimited` close: it names the seconds to wait, as HTTP's Retry-After does. */
export const teacherKeyLimitedReason = (retryAfterS: number): string => `too many wrong teacher keys; retry after ${retryAfterS} s`;

/** The seconds a `teacherKeyLimited` close's reason names; null when it names none. */
export function retryAfterOfLimitedClose(reason: string): number | null {
  const seconds = /retry after (\d{1,6}) s/.exec(reason);
  return seconds ? Number(seconds[1]) : null;
}

/** The close code and reason of each way out of the class. */
export const MEMBER_OUT_CLOSE: Record<MemberOutReason, { code: number; reason: string }> = {
  rejoined: { code: 4409, reason: 'joined again from another browser' },
  removed: { code: 4410, reason: 'removed from the class by the teacher' },
  'class-deleted': { code: 4411, reason: 'the teacher deleted the class' },
};

// ---- messages ----------------------------------------------------------------------------------

/** What a page sends (JSON text, at most 4 KiB). The first is a hello. */
export type ClientMessage =
  | { type: 'hello'; role: 'student'; token: string; following?: boolean }
  | { type: 'hello'; role: 'teacher'; key: string }
  // a student
  | { type: 'follow'; on: boolean }
  /** the page is visible or not (Page Visibility API): a follower in view is "watching" on the board */
  | { type: 'visible'; on: boolean }
  | { type: 'active' }
  /** where the page is and why it is not where the teacher is (after `joined`, and on each change): the desk shows it */
  | ({ type: 'place'; waits: FollowWait | null } & Navigation)
  // the teacher
  | { type: 'create-class'; title: string }
  | { type: 'watch'; code: string }
  | { type: 'lead'; code: string }
  | ({ type: 'navigate' } & Navigation)
  | { type: 'export'; code: string; format: 'csv' | 'json' }
  | { type: 'rename-member'; code: string; memberId: number; name: string }
  | { type: 'remove-member'; code: string; memberId: number }
  | { type: 'delete-class'; code: string }
  | { type: 'member-attempts'; code: string; memberId: number }
  | { type: 'member-server-checks'; code: string; memberId: number; protocol: CheckedProtocol }
  | { type: 'end-class'; code: string }
  | { type: 'reopen-class'; code: string }
  /** text null: the message is taken down */
  | { type: 'notice'; code: string; text: string | null }
  /** minutes null: the timer stops */
  | { type: 'timer'; code: string; minutes: number | null }
  /** every student online in the class gets the starting data back, as their "Reset my data" does */
  | { type: 'reset-data'; code: string }
  /** lesson null: the assignment is cleared */
  | { type: 'assign'; code: string; lesson: string | null; exercise?: string }
  /** the students' writes to their data refused (on) or allowed again */
  | { type: 'freeze'; code: string; on: boolean }
  /** from the tab that leads the class (after `lead`): this cell's draft to the students who follow */
  | { type: 'push-cell'; lesson: string; cell: string; value: unknown };

/** What the server sends as JSON text (the teacher's relayed bytes come as binary frames: PROTOCOL.md). */
export type ServerMessage =
  // to a student
  | { type: 'joined'; code: string; title: string; name: string; following: boolean }
  | { type: 'renamed'; name: string }
  /** after `joined` and whenever the teacher ends or reopens the class, sends a message or sets the timer; `now`: the server's clock */
  | { type: 'class-status'; status: ClassStatus; now: number }
  /** the teacher reset this browser's data (its sandbox) to the starting data */
  | { type: 'data-reset' }
  /** where the teacher is; `onJoin`: the place replayed right after `joined`, not a move of the teacher's */
  | ({ type: 'navigate'; onJoin?: true } & Navigation)
  /** the teacher sent a version of a cell: the page offers it on that cell, to take or dismiss */
  | ({ type: 'cell-draft' } & CellDraft)
  /** `reset`'s `instance`: the server process whose captures follow (the capture channel's `hello` names it the same way) */
  | { type: 'teacher-wire'; message: { type: 'reset'; instance: string } | { type: 'connection'; conn: unknown } | { type: 'closed'; conn: string; t: number } }
  // to the teacher
  /**
   * `lanOrigins`: what students on the network type (PUBLIC_URL, else this machine's addresses
   * with the port the teacher's page used; empty when the server listens on one address only);
   * `publicOrigin`: PUBLIC_URL's origin when set, which the page then always names.
   */
  | { type: 'teacher-ready'; classes: ClassSummary[]; lanOrigins: string[]; publicOrigin: string | null }
  | { type: 'classes'; classes: ClassSummary[] }
  | { type: 'class-created'; class: { code: string; title: string; createdMs: number } }
  | { type: 'class-deleted'; code: string }
  | { type: 'board'; board: Board }
  | { type: 'leading'; code: string; relaying: boolean }
  /** a cell was sent to the followers (on every instance) */
  | { type: 'cell-sent'; lesson: string; cell: string }
  | { type: 'export'; code: string; format: 'csv' | 'json'; text: string }
  | ({ type: 'member-attempts' } & MemberAttempts)
  | ({ type: 'member-server-checks' } & MemberServerChecks)
  | { type: 'error'; error: ClassServerErrorCode };
