import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MEMBER_HEADER, type MemberOutReason } from '../../../contracts/class-channel/messages.ts';
import { NAME_LOOKALIKE_TEXT, sendError } from '../class-errors.ts';
import { normalizeClassCode } from '../names/class-code.ts';
import { logClassEvent } from '../class-log.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';
import { cleanDisplayName } from '../names/display-name.ts';
import { EXERCISE_ID, LESSON_SLUG, type LessonCatalog } from '../names/lesson-catalog.ts';
import { attemptMissOf, attemptRefOfReport } from '../board/member-attempts.ts';
import { classroomValidator, joinBody, progressBody, refusalOf } from '../route-schemas.ts';
import type { ExerciseVerdicts } from '../board/exercise-verdicts.ts';
import { sessionOfCookies } from '../../session/session-id.ts';
import type { ServerVerdict } from '../../../contracts/exercise-checks/verdict.ts';

// The students' HTTP side (contracts/class-channel/PROTOCOL.md): joining a class, reading one's
// membership, reporting results. The class channel is in classroom-plugin.ts.

export interface StudentRouteDeps {
  store: ClassroomStore;
  /** the lessons and exercises a result may name */
  lessons: LessonCatalog;
  /** a reported pass counts only when the server's own captures pass the exercise's check */
  verdicts: ExerciseVerdicts;
  /** a stored change: the boards here and on the other instances */
  classChanged(code: string): void;
  /** the teachers' class lists show the new counts */
  classListChanged(): Promise<void>;
  /** a member's channels close, here and on the other instances (a rejoin puts the old browser out) */
  memberOut(code: string, memberId: number, reason: MemberOutReason): void;
  /** a join to this class (as the student typed its code) was refused by the per-address limit: the teacher's desk says which setting raises it */
  joinsLimited(rawCode: unknown): Promise<void>;
}

/** Per client address (server/limits/), not per cookie: the budgets of joins and reports. */
const clientAddress = (request: FastifyRequest): string => request.socket.remoteAddress ?? request.ip;

export function studentRoutes(app: FastifyInstance, classPath: string, deps: StudentRouteDeps): void {
  const schemaOptions = (body: object) => ({ attachValidation: true, validatorCompiler: classroomValidator, schema: { body } });

  app.post(`${classPath}/join`, schemaOptions(joinBody), async (request, reply) => {
    // Per client address (server/limits/: classJoins), not per cookie.
    const budget = app.clientBudget.takeRequest('classJoins', clientAddress(request));
    if (!budget.ok) {
      void deps
        .joinsLimited((request.body as { code?: unknown } | null)?.code)
        .catch((error: unknown) => app.log.warn({ err: error }, 'classroom: a refused join could not be told'));
      return sendError(reply.header('retry-after', String(budget.retryAfterS)), 429, 'RATE_LIMITED');
    }
    const refused = refusalOf(request, (field) => (field === 'name' ? 'BAD_NAME' : 'BAD_CODE'));
    if (refused) return sendError(reply, refused.status, refused.error);
    const body = (request.body ?? {}) as { code?: unknown; name?: unknown; rejoinCode?: unknown };
    const code = normalizeClassCode(body.code);
    if (!code) return sendError(reply, 400, 'BAD_CODE');
    const name = cleanDisplayName(body.name);
    if (!name) return sendError(reply, 400, 'BAD_NAME');
    const rejoinCode = typeof body.rejoinCode === 'string' && body.rejoinCode.length <= 32 ? body.rejoinCode.replace(/[\s-]/g, '') : null;
    const outcome = await deps.store.join(code, name, rejoinCode || null);
    // CLASS_ENDED: 403 as CLASS_FULL, the class exists and refuses
    if (!outcome.ok && outcome.error === 'NAME_TAKEN') {
      // the same name said plainly; a look-alike (Вob for Bob) explained with the example
      const lookalike = !(await deps.store.members(code)).some((member) => member.name.toLocaleLowerCase() === name.toLocaleLowerCase());
      return sendError(reply, 409, 'NAME_TAKEN', { extra: { lookalike }, ...(lookalike ? { text: NAME_LOOKALIKE_TEXT } : {}) });
    }
    if (!outcome.ok) return sendError(reply, outcome.error === 'NO_SUCH_CLASS' ? 404 : 403, outcome.error);
    logClassEvent(app.log, { kind: 'joined', code, name: outcome.member.name, rejoined: outcome.rejoined });
    // this browser's "check my server" runs are the member's from now on (server-checks.ts)
    if (request.sessionId) await deps.store.bindSession(outcome.member.id, request.sessionId);
    if (outcome.rejoined) {
      // the previous browser's token stopped working: its channel closes now, not at its next reconnect
      deps.memberOut(code, outcome.member.id, 'rejoined');
    }
    deps.classChanged(code);
    void deps.classListChanged();
    const [info, results] = await Promise.all([deps.store.classByCode(code), deps.store.results(outcome.member.id)]);
    return {
      code,
      title: info!.title,
      name: outcome.member.name,
      memberToken: outcome.token,
      rejoinCode: outcome.member.rejoinCode,
      rejoined: outcome.rejoined,
      results,
    };
  });

  app.get(`${classPath}/me`, async (request, reply) => {
    const member = await deps.store.memberByToken(request.headers[MEMBER_HEADER]);
    if (!member) return sendError(reply, 401, 'NOT_A_MEMBER');
    const [info, results] = await Promise.all([deps.store.classByCode(member.classCode), deps.store.results(member.id)]);
    return { code: member.classCode, title: info!.title, name: member.name, rejoinCode: member.rejoinCode, results };
  });

  app.post(`${classPath}/progress`, schemaOptions(progressBody), (request, reply) => reportProgress(app, deps, request, reply));
}

/** `POST …/progress`: a pass the server's captures hold, or a miss the server judged an attempt that reached it and was wrong (issue 51). */
async function reportProgress(app: FastifyInstance, deps: StudentRouteDeps, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const budget = app.clientBudget.takeRequest('classProgress', clientAddress(request));
  if (!budget.ok) return sendError(reply.header('retry-after', String(budget.retryAfterS)), 429, 'RATE_LIMITED');
  const member = await deps.store.memberByToken(request.headers[MEMBER_HEADER]);
  if (!member) return sendError(reply, 401, 'NOT_A_MEMBER');
  const refused = refusalOf(request, 'BAD_RESULT');
  if (refused) return sendError(reply, refused.status, refused.error);
  const body = (request.body ?? {}) as { lesson?: unknown; exercise?: unknown; passed?: unknown; miss?: unknown; answer?: unknown; attempt?: unknown };
  const miss = attemptMissOf(body.miss);
  const attempt = attemptRefOfReport(body.attempt);
  if (
    typeof body.lesson !== 'string' ||
    !LESSON_SLUG.test(body.lesson) ||
    typeof body.exercise !== 'string' ||
    !EXERCISE_ID.test(body.exercise) ||
    typeof body.passed !== 'boolean' ||
    (body.answer !== undefined && typeof body.answer !== 'string') ||
    miss === undefined ||
    attempt === undefined
  ) {
    return sendError(reply, 400, 'BAD_RESULT');
  }
  if (!deps.lessons.has(body.lesson, body.exercise)) return sendError(reply, 400, 'NO_SUCH_EXERCISE');
  const status = await deps.store.classStatus(member.classCode);
  if (status?.endedMs != null) return sendError(reply, 403, 'CLASS_ENDED');
  // A miss while the teacher froze the class's writes is the freeze's doing, not the student's.
  if (!body.passed && status?.frozenMs != null) return { result: null, counted: false, why: 'frozen' };
  const session = sessionOfCookies(request.cookies);
  const answer = body.answer as string | undefined;
  if (!body.passed) {
    // The page's word is only which attempt it means: the server's own captures decide whether it
    // was one that reached it and was wrong for this exercise's question, and what it missed (issue 51).
    const judged = deps.verdicts.miss(session, body.lesson, body.exercise, answer, attempt, miss?.request);
    if (!judged.counted) return { result: null, ...judged };
    const outcome = await deps.store.recordResult(member.id, body.lesson, body.exercise, false, Date.now(), judged.miss);
    if (!outcome.ok) return sendError(reply, 403, outcome.error);
    // the board holds the exercise passed already (a capture question's pass is the board's alone to know): nothing was recorded
    if (!outcome.changed) return { result: null, counted: false, why: 'passed' };
    deps.classChanged(member.classCode);
    return { result: outcome.result, counted: true, miss: judged.miss };
  }
  // The page's "passed" is a request for the server's verdict: its own captures of this browser session decide.
  // Wherever it was captured: on this process, another instance, or this one before a restart.
  const verdict: ServerVerdict = await deps.verdicts.verdictAnywhere(session, body.lesson, body.exercise, answer);
  if (!verdict.passed) return { result: null, verdict };
  const outcome = await deps.store.recordResult(member.id, body.lesson, body.exercise, true, Date.now());
  if (!outcome.ok) return sendError(reply, 403, outcome.error);
  deps.classChanged(member.classCode);
  return { result: outcome.result, verdict };
}
