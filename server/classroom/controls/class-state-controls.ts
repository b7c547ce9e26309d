import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NOTICE_MAX, TIMER_MAX_MINUTES, type ClassServerErrorCode, type ClassStatus } from '../../../contracts/class-channel/messages.ts';
import { sendError } from '../class-errors.ts';
import { normalizeClassCode } from '../names/class-code.ts';
import { logClassEvent } from '../class-log.ts';
import type { ClassroomStore, ClassStatusChange } from '../stores/classroom-store.ts';
import { cleanText } from '../names/display-name.ts';
import type { ControlOutcome } from './teacher-controls.ts';
import type { ClassActionRecord, ClassHistory } from './class-history.ts';
import { EXERCISE_ID, LESSON_SLUG, type LessonCatalog } from '../names/lesson-catalog.ts';
import { assignmentBody, classCodeParams, classroomValidator, noticeBody, refusalOf, timerBody } from '../route-schemas.ts';

// The class's state, which the teacher sets and every student's page shows (README.md, "Ending a
// class, the teacher's message and the timer"): ended or open, the teacher's message, a timer,
// the exercise assigned to everyone ("Assigning an exercise").
// Kept in the store so a student who joins or reconnects later, on any instance, gets it.

/** What the classroom plugin does when the state changed: the students here and on the other instances, the boards, the class lists. */
export interface ClassStateEffects {
  statusChanged(code: string, status: ClassStatus): void;
}

type Refusal = { ok: false; status: 400 | 404 | 409; error: 'NO_SUCH_CLASS' | 'BAD_NOTICE' | 'BAD_TIMER' | 'NO_SUCH_EXERCISE' | 'BAD_FREEZE' };
const noSuchClass: Refusal = { ok: false, status: 404, error: 'NO_SUCH_CLASS' };

export class ClassStateControls {
  constructor(
    private readonly store: ClassroomStore,
    private readonly effects: ClassStateEffects,
    private readonly log: Pick<FastifyBaseLogger, 'info'>,
    private readonly history: Pick<ClassHistory, 'record'>,
    private readonly lessons: Pick<LessonCatalog, 'has'>,
  ) {}

  /** The change kept, the action in the board's history, then the students and boards told. */
  private async change(rawCode: unknown, change: ClassStatusChange, action: ClassActionRecord): Promise<ControlOutcome<ClassStatus> & { code?: string }> {
    const code = normalizeClassCode(rawCode);
    const status = code ? await this.store.updateClassStatus(code, change) : null;
    if (!code || !status) return noSuchClass;
    await this.history.record(code, action);
    this.effects.statusChanged(code, status);
    return { ok: true, value: status, code };
  }

  /** No more joins or results; the board stays, readable and exportable. Ending an ended class keeps its first time. */
  async end(rawCode: unknown, now = Date.now()): Promise<ControlOutcome<ClassStatus>> {
    const code = normalizeClassCode(rawCode);
    const before = code ? await this.store.classStatus(code) : null;
    if (!code || !before) return noSuchClass;
    if (before.endedMs !== null) return { ok: true, value: before };
    const outcome = await this.change(code, { endedMs: now }, { kind: 'ended' });
    if (outcome.ok) logClassEvent(this.log, { kind: 'ended', code });
    return outcome;
  }

  async reopen(rawCode: unknown): Promise<ControlOutcome<ClassStatus>> {
    const outcome = await this.change(rawCode, { endedMs: null }, { kind: 'reopened' });
    if (outcome.ok) logClassEvent(this.log, { kind: 'reopened', code: outcome.code! });
    return outcome;
  }

  /** A message on every student's page until replaced or taken down (text null); text, never HTML. */
  async notice(rawCode: unknown, rawText: unknown, now = Date.now()): Promise<ControlOutcome<ClassStatus>> {
    let text: string | null = null;
    if (rawText !== null) {
      // line breaks and runs of spaces become one space: the banner is one short line
      text = cleanText(rawText, NOTICE_MAX);
      if (text === null) return { ok: false, status: 400, error: 'BAD_NOTICE' };
    }
    const outcome = await this.change(
      rawCode,
      { notice: text === null ? null : { text, sentMs: now } },
      text === null ? { kind: 'notice-down' } : { kind: 'notice', text },
    );
    if (outcome.ok) logClassEvent(this.log, { kind: 'notice', code: outcome.code!, text });
    return outcome;
  }

  /** A countdown of whole minutes from now, or none (minutes null). */
  async timer(rawCode: unknown, minutes: unknown, now = Date.now()): Promise<ControlOutcome<ClassStatus>> {
    if (minutes !== null && !(typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 1 && minutes <= TIMER_MAX_MINUTES))
      return { ok: false, status: 400, error: 'BAD_TIMER' };
    const outcome = await this.change(
      rawCode,
      { timer: minutes === null ? null : { startedMs: now, endsMs: now + minutes * 60_000 } },
      minutes === null ? { kind: 'timer-stopped' } : { kind: 'timer', minutes },
    );
    if (outcome.ok) logClassEvent(this.log, { kind: 'timer', code: outcome.code!, minutes });
    return outcome;
  }

  /** The students' writes to their data refused (on) or allowed again; freezing a frozen class keeps its first time. */
  async freeze(rawCode: unknown, on: unknown, now = Date.now()): Promise<ControlOutcome<ClassStatus>> {
    const code = normalizeClassCode(rawCode);
    const before = code ? await this.store.classStatus(code) : null;
    if (!code || !before) return noSuchClass;
    if (on !== true && on !== false) return { ok: false, status: 400, error: 'BAD_FREEZE' };
    if ((before.frozenMs !== null) === on) return { ok: true, value: before };
    const outcome = await this.change(code, { frozenMs: on ? now : null }, { kind: on ? 'frozen' : 'unfrozen' });
    if (outcome.ok) logClassEvent(this.log, { kind: 'frozen', code, on });
    return outcome;
  }

  /** "Everyone: this exercise now" (lesson null: cleared): an exercise of the course's lessons, else NO_SUCH_EXERCISE. */
  async assign(rawCode: unknown, lesson: unknown, exercise: unknown, now = Date.now()): Promise<ControlOutcome<ClassStatus>> {
    if (lesson === null) {
      const cleared = await this.change(rawCode, { assignment: null }, { kind: 'assignment-cleared' });
      if (cleared.ok) logClassEvent(this.log, { kind: 'assigned', code: cleared.code!, lesson: null, exercise: null });
      return cleared;
    }
    const known =
      typeof lesson === 'string' &&
      typeof exercise === 'string' &&
      LESSON_SLUG.test(lesson) &&
      EXERCISE_ID.test(exercise) &&
      this.lessons.has(lesson, exercise);
    if (!known) return { ok: false, status: 400, error: 'NO_SUCH_EXERCISE' };
    const outcome = await this.change(rawCode, { assignment: { lesson, exercise, sentMs: now } }, { kind: 'assigned', lesson, exercise });
    if (outcome.ok) logClassEvent(this.log, { kind: 'assigned', code: outcome.code!, lesson, exercise });
    return outcome;
  }
}

/**
 * The state's controls over HTTP for a teacher's script, each answering `200` with the class's
 * new state or the class's problem+json: `POST …/end`, `POST …/reopen`, `PUT …/notice {text}`,
 * `DELETE …/notice`, `PUT …/timer {minutes}`, `DELETE …/timer`, `PUT …/assignment {lesson, exercise}`,
 * `DELETE …/assignment`, `PUT …/freeze`, `DELETE …/freeze`.
 */
export function classStateRoutes(
  app: FastifyInstance,
  classPath: string,
  controls: ClassStateControls,
  teacherOnly: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  const answer = (reply: FastifyReply, outcome: ControlOutcome<ClassStatus>): FastifyReply =>
    outcome.ok ? reply.send(outcome.value) : sendError(reply, outcome.status, outcome.error);
  const codeOf = (request: FastifyRequest): string => (request.params as { code: string }).code;
  const path = `${classPath}/classes/:code`;
  type Control = (request: FastifyRequest) => Promise<ControlOutcome<ClassStatus>>;
  /** A control's route: its schemas, and the class's refusal when they refuse (refusalOf). */
  const route = (method: 'POST' | 'PUT' | 'DELETE', url: string, control: Control, body?: { schema: object; refusal: ClassServerErrorCode }): void => {
    app.route({
      method,
      url: `${path}${url}`,
      preHandler: teacherOnly,
      attachValidation: true,
      validatorCompiler: classroomValidator,
      schema: { params: classCodeParams, ...(body ? { body: body.schema } : {}) },
      handler: async (request, reply) => {
        const refused = refusalOf(request, body?.refusal ?? 'NO_SUCH_CLASS');
        return refused ? sendError(reply, refused.status, refused.error) : answer(reply, await control(request));
      },
    });
  };

  route('POST', '/end', (request) => controls.end(codeOf(request)));
  route('POST', '/reopen', (request) => controls.reopen(codeOf(request)));
  route('PUT', '/notice', (request) => controls.notice(codeOf(request), bodyField(request, 'text')), { schema: noticeBody, refusal: 'BAD_NOTICE' });
  route('DELETE', '/notice', (request) => controls.notice(codeOf(request), null));
  route('PUT', '/timer', (request) => controls.timer(codeOf(request), bodyField(request, 'minutes')), { schema: timerBody, refusal: 'BAD_TIMER' });
  route('DELETE', '/timer', (request) => controls.timer(codeOf(request), null));
  route('PUT', '/assignment', (request) => controls.assign(codeOf(request), bodyField(request, 'lesson'), bodyField(request, 'exercise')), {
    schema: assignmentBody,
    refusal: 'NO_SUCH_EXERCISE',
  });
  route('DELETE', '/assignment', (request) => controls.assign(codeOf(request), null, null));
  route('PUT', '/freeze', (request) => controls.freeze(codeOf(request), true));
  route('DELETE', '/freeze', (request) => controls.freeze(codeOf(request), false));
}

/** A field of a JSON body; undefined (refused by the control as a bad value) without one. */
function bodyField(request: FastifyRequest, name: string): unknown {
  const body = request.body;
  const value = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
  // `null` is how the channel takes a message down; over HTTP that is DELETE
  return value === null ? undefined : value;
}
