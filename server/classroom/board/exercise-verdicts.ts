import { trafficOfCaptures, type CheckedTraffic } from '../../../contracts/exercise-checks/captured-traffic.ts';
import { evaluateCheck } from '../../../contracts/exercise-checks/evaluate-check.ts';
import { wirelabOwnTraffic } from '../../../contracts/exercise-checks/wirelab-traffic.ts';
import type { ServerVerdict } from '../../../contracts/exercise-checks/verdict.ts';
import { captureAttemptMissOf, type AttemptRef } from '../../../contracts/exercise-checks/attempt-miss.ts';
import { evaluateCaptureAsk } from '../../../contracts/exercise-checks/capture-question.ts';
import type { CaptureQuestion, CheckResult } from '../../../contracts/exercise-checks/check-types.ts';
import { judgeMiss, type MissVerdict } from '../../../contracts/exercise-checks/miss-verdict.ts';
import type { HttpExchange } from '../../../wire/types.ts';
import type { CaptureHub } from '../../tap/capture-hub.ts';
import type { LessonCatalog } from '../names/lesson-catalog.ts';
import { CaptureQuestionFiles } from './capture-question-files.ts';
import type { CapturesElsewhere } from './student-capture-mirror.ts';

/** Sessions whose decoded captures are kept between verdicts (a join reports every pass at once). */
const DECODED_SESSIONS_KEPT = 8;

/** Lesson 15's exercises: has a kept run of the session's "check my server" fixed its server (server/own-server/run-history.ts)? */
export interface OwnServerFixes {
  exercisePassed(session: string, protocol: string): boolean;
}

/**
 * The server's verdict on an exercise (issue 35): the exercise's check (lesson.json, the code the
 * page runs: contracts/exercise-checks/) over what this server captured for the browser session
 * that asks, decoded by wire/. What the page says it saw counts for nothing here. Only Wirelab's
 * own server's traffic counts (wirelabOwnTraffic, issue 51): a cell aimed at "my server" earns
 * nothing of lessons 01–14. Lesson 15's `own-server-fixed` is judged on the runs the server made
 * for that session instead, and a question about a lesson's capture file (`capture`) on that
 * file and the answer, the same for every session.
 */
export class ExerciseVerdicts {
  /** session → its captures decoded at a ring version (oldest use first: a Map keeps insertion order) */
  private readonly decoded = new Map<string, { version: number; traffic: CheckedTraffic }>();

  constructor(
    private readonly captures: CaptureHub | null,
    private readonly lessons: LessonCatalog,
    private readonly ownServerRuns: OwnServerFixes | null = null,
    /** scaled out: what the other processes captured of a session (student-capture-mirror.ts) */
    private readonly elsewhere: ((session: string) => Promise<CapturesElsewhere>) | null = null,
    /** the lessons' capture files, each decoded once: what a capture question is judged over */
    private readonly captureFiles: CaptureQuestionFiles = new CaptureQuestionFiles(),
  ) {}

  /**
   * The verdict, and when this process's captures do not pass the exercise, the check over them
   * together with what every other process captured of the session (another instance, this one
   * before it restarted): a pass is judged from the captures wherever and whenever its report
   * arrives (issue 53). Redis unreachable: this process's verdict.
   */
  async verdictAnywhere(session: string | null, lesson: string, exercise: string, answer: string | undefined): Promise<ServerVerdict> {
    const here = this.verdict(session, lesson, exercise, answer);
    const check = this.lessons.check(lesson, exercise);
    // lesson 15's runs and a capture file's questions are judged here alone: no other process's captures tell more
    if (here.passed || session === null || !this.elsewhere || !check || check.type === 'own-server-fixed' || check.type === 'capture') return here;
    const remote = await this.elsewhere(session).catch(() => null);
    if (!remote || remote.chunks.length === 0) return here;
    const captured = this.captures?.capturedOf(session)?.read();
    const connections = [...(captured?.connections ?? []), ...remote.connections];
    const chunks = [...(captured?.chunks ?? []), ...remote.chunks];
    const outbound = new Set(connections.filter((connection) => connection.outbound).map((connection) => connection.id));
    const traffic = wirelabOwnTraffic(trafficOfCaptures(connections, chunks), (conn) => outbound.has(conn));
    return evaluateCheck(check, traffic.exchanges, answer, traffic.messages).passed ? { passed: true } : { passed: false, why: 'not-seen' };
  }

  verdict(session: string | null, lesson: string, exercise: string, answer: string | undefined): ServerVerdict {
    const check = this.lessons.check(lesson, exercise);
    if (check?.type === 'capture') return this.captureResult(lesson, exercise, check, answer)?.passed ? { passed: true } : { passed: false, why: 'not-seen' };
    if (check?.type === 'own-server-fixed') {
      if (session === null || !this.ownServerRuns) return { passed: false, why: 'no-captures' };
      return this.ownServerRuns.exercisePassed(session, check.protocol) ? { passed: true } : { passed: false, why: 'not-seen' };
    }
    const traffic = session === null ? null : this.trafficOf(session);
    if (!check || !traffic) return { passed: false, why: 'no-captures' };
    return evaluateCheck(check, traffic.exchanges, answer, traffic.messages).passed ? { passed: true } : { passed: false, why: 'not-seen' };
  }

  /**
   * The server's word on a miss a page reported (issue 51): counted only when the exchange or
   * message it names reached this server's own listener from that session's browser and was a
   * wrong answer to the exercise's question given what came before it (judgeMiss). A report that
   * names its request by line alone (`miss.request`, "POST /api/v1/users") means the newest such
   * exchange. A lesson 15 run that has not fixed the student's server yet counts no miss (judgeMiss).
   */
  miss(session: string | null, lesson: string, exercise: string, answer: string | undefined, attempt: AttemptRef | null, requestLine?: string): MissVerdict {
    const check = this.lessons.check(lesson, exercise);
    if (check?.type === 'capture') return this.captureMiss(lesson, exercise, check, answer);
    const traffic = session === null ? null : this.trafficOf(session);
    if (!check || !traffic) return { counted: false, why: 'not-reached' };
    const named = attempt ?? (requestLine === undefined ? null : newestWithLine(traffic.exchanges, requestLine));
    if (named === undefined) return { counted: false, why: 'not-reached' };
    return judgeMiss(check, traffic, answer, named);
  }

  /**
   * A miss of a question about the lesson's capture file: the answer sent is the attempt, judged
   * over the file — whatever the session captured or did not. A wrong pick or value counts, with
   * the answer; no answer counts nothing, nor does a question this server cannot judge (its file
   * unreadable, or no answer in it: the lesson's fault, not the student's).
   */
  private captureMiss(lesson: string, exercise: string, check: CaptureQuestion, answer: string | undefined): MissVerdict {
    const result = this.captureResult(lesson, exercise, check, answer);
    if (result?.passed) return { counted: false, why: 'passed' };
    if (result?.miss.kind === 'no-answer') return { counted: false, why: 'no-answer' };
    const miss = result ? captureAttemptMissOf(result.miss, answer) : null;
    return miss ? { counted: true, miss } : { counted: false, why: 'unfinished' };
  }

  /** The answer judged over the capture file's one decode (capture-question-files.ts); null when the file cannot be read. */
  private captureResult(lesson: string, exercise: string, check: CaptureQuestion, answer: string | undefined): CheckResult | null {
    const file = this.lessons.captureFile(lesson, exercise);
    const traffic = file === undefined ? null : this.captureFiles.trafficOf(file);
    return traffic ? evaluateCaptureAsk(check.ask, traffic, answer) : null;
  }

  private trafficOf(session: string): CheckedTraffic | null {
    const captured = this.captures?.capturedOf(session);
    if (!captured) return null;
    const kept = this.decoded.get(session);
    this.decoded.delete(session);
    let traffic = kept?.version === captured.version ? kept.traffic : null;
    if (!traffic) {
      const { connections, chunks } = captured.read();
      if (chunks.length === 0) return null;
      const outbound = new Set(connections.filter((connection) => connection.outbound).map((connection) => connection.id));
      traffic = wirelabOwnTraffic(trafficOfCaptures(connections, chunks), (conn) => outbound.has(conn));
    }
    this.decoded.set(session, { version: captured.version, traffic });
    if (this.decoded.size > DECODED_SESSIONS_KEPT) this.decoded.delete(this.decoded.keys().next().value!);
    return traffic;
  }
}

/** The newest exchange whose request is `line` (method and path, as a miss names it); undefined when there is none. */
function newestWithLine(exchanges: readonly HttpExchange[], line: string): AttemptRef | undefined {
  const newest = exchanges
    .filter((exchange) => `${exchange.request.method} ${exchange.request.path}` === line)
    .sort((a, b) => a.request.firstByteAt - b.request.firstByteAt)
    .at(-1);
  return newest ? { conn: newest.conn, index: newest.index } : undefined;
}
