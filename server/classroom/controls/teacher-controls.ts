import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClassServerErrorCode } from '../../../contracts/class-channel/messages.ts';
import { sendError } from '../class-errors.ts';
import { normalizeClassCode } from '../names/class-code.ts';
import type { MemberOutReason } from '../relay/classroom-fanout.ts';
import type { ClassroomStore, MemberInfo } from '../stores/classroom-store.ts';
import { logClassEvent } from '../class-log.ts';
import type { FastifyBaseLogger } from 'fastify';
import { cleanDisplayName } from '../names/display-name.ts';
import { NO_HISTORY, type ClassHistory } from './class-history.ts';

// The teacher's controls over a class: rename a student, remove one, delete the class. The page
// sends them over the class channel, a script over HTTP (README.md, "The teacher's controls");
// both go through TeacherControls, so each change reaches the store, the students' channels,
// the boards and the other instances the same way.

/** What the classroom plugin does for a change, on this instance and (with app.scale) the others. */
export interface ControlEffects {
  /** the member's channels close with the reason's close code, here and on the other instances */
  memberOut(code: string, memberId: number, reason: MemberOutReason): void;
  /** the member's pages on this instance show the new name (on another instance, at their next reconnect) */
  memberRenamed(code: string, memberId: number, name: string): void;
  /** the class's board is built again for whoever watches it */
  classChanged(code: string): void;
  /** the teachers' class lists show the new counts */
  classListChanged(): Promise<void>;
  /** the class's live side on this instance ends: the teacher's relay, its board watchers told */
  classDeleted(code: string): void;
}

export type ControlOutcome<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 409; error: ClassServerErrorCode };

const refused = (status: 400 | 404 | 409, error: ClassServerErrorCode): { ok: false; status: 400 | 404 | 409; error: ClassServerErrorCode } => ({
  ok: false,
  status,
  error,
});

export class TeacherControls {
  constructor(
    private readonly store: ClassroomStore,
    private readonly effects: ControlEffects,
    private readonly log: Pick<FastifyBaseLogger, 'info'>,
    private readonly history: Pick<ClassHistory, 'record'> = NO_HISTORY,
  ) {}

  private async nameOf(code: string, memberId: number): Promise<string | null> {
    return (await this.store.members(code)).find((member) => member.id === memberId)?.name ?? null;
  }

  /** A new name for a student; their results, rejoin code and open pages stay. */
  async rename(rawCode: unknown, memberId: unknown, rawName: unknown): Promise<ControlOutcome<MemberInfo>> {
    const code = normalizeClassCode(rawCode);
    if (!code || !(await this.store.classByCode(code))) return refused(404, 'NO_SUCH_CLASS');
    if (!isMemberId(memberId)) return refused(404, 'NO_SUCH_MEMBER');
    const name = cleanDisplayName(rawName);
    if (!name) return refused(400, 'BAD_NAME');
    const before = await this.nameOf(code, memberId);
    const outcome = await this.store.renameMember(code, memberId, name);
    if (!outcome.ok) return outcome.error === 'NAME_TAKEN' ? refused(409, 'NAME_TAKEN') : refused(404, 'NO_SUCH_MEMBER');
    logClassEvent(this.log, { kind: 'renamed', code, from: before, name: outcome.member.name });
    await this.history.record(code, { kind: 'renamed', text: outcome.member.name, ...(before === null ? {} : { from: before }) });
    this.effects.memberRenamed(code, memberId, outcome.member.name);
    this.effects.classChanged(code);
    return { ok: true, value: outcome.member };
  }

  /** The student is out: name, results and token gone, their pages leave the class at once (4410). */
  async remove(rawCode: unknown, memberId: unknown): Promise<ControlOutcome<null>> {
    const code = normalizeClassCode(rawCode);
    if (!code || !(await this.store.classByCode(code))) return refused(404, 'NO_SUCH_CLASS');
    const name = isMemberId(memberId) ? await this.nameOf(code, memberId) : null;
    if (!isMemberId(memberId) || !(await this.store.removeMember(code, memberId))) return refused(404, 'NO_SUCH_MEMBER');
    logClassEvent(this.log, { kind: 'removed', code, name });
    await this.history.record(code, { kind: 'removed', ...(name === null ? {} : { text: name }) });
    this.effects.memberOut(code, memberId, 'removed');
    this.effects.classChanged(code);
    void this.effects.classListChanged();
    return { ok: true, value: null };
  }

  /** The class and everything in it are gone; its students' pages leave it at once (4411); its place under the limit is free. */
  async deleteClass(rawCode: unknown): Promise<ControlOutcome<null>> {
    const code = normalizeClassCode(rawCode);
    const memberIds = code ? await this.store.deleteClass(code) : null;
    if (!code || !memberIds) return refused(404, 'NO_SUCH_CLASS');
    logClassEvent(this.log, { kind: 'class-deleted', code, members: memberIds.length });
    for (const memberId of memberIds) this.effects.memberOut(code, memberId, 'class-deleted');
    this.effects.classDeleted(code);
    void this.effects.classListChanged();
    return { ok: true, value: null };
  }
}

function isMemberId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

const memberParams = {
  type: 'object',
  properties: { code: { type: 'string', maxLength: 16 }, id: { type: 'integer', minimum: 1 } },
  required: ['code', 'id'],
} as const;

/**
 * The controls over HTTP, for a teacher's script (the page uses the channel). Each answers 204 or
 * the class's problem+json; `preHandler` refuses a request without the teacher key.
 */
export function teacherControlRoutes(
  app: FastifyInstance,
  classPath: string,
  controls: TeacherControls,
  teacherOnly: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  const answer = <T>(reply: FastifyReply, outcome: ControlOutcome<T>, ok: (value: T) => FastifyReply): FastifyReply =>
    outcome.ok ? ok(outcome.value) : sendError(reply, outcome.status, outcome.error);

  app.patch(
    `${classPath}/classes/:code/members/:id`,
    {
      preHandler: teacherOnly,
      // a refusal is the class's own problem+json (BAD_NAME, NO_SUCH_MEMBER), not the generic 400
      attachValidation: true,
      schema: {
        params: memberParams,
        body: { type: 'object', properties: { name: { type: 'string', maxLength: 400 } }, required: ['name'] },
      },
    },
    async (request, reply) => {
      const { code, id } = request.params as { code: string; id: unknown };
      if (request.validationError?.validationContext === 'params') return sendError(reply, 404, 'NO_SUCH_MEMBER');
      if (request.validationError) return sendError(reply, 400, 'BAD_NAME');
      const outcome = await controls.rename(code, id, (request.body as { name: unknown }).name);
      return answer(reply, outcome, (member) => reply.send({ id: member.id, name: member.name }));
    },
  );

  app.delete(
    `${classPath}/classes/:code/members/:id`,
    { preHandler: teacherOnly, attachValidation: true, schema: { params: memberParams } },
    async (request, reply) => {
      const { code, id } = request.params as { code: string; id: unknown };
      if (request.validationError) return sendError(reply, 404, 'NO_SUCH_MEMBER');
      return answer(reply, await controls.remove(code, id), () => reply.code(204).send());
    },
  );

  app.delete(
    `${classPath}/classes/:code`,
    {
      preHandler: teacherOnly,
      schema: { params: { type: 'object', properties: { code: { type: 'string', maxLength: 16 } }, required: ['code'] } },
      attachValidation: true,
    },
    async (request, reply) => {
      if (request.validationError) return sendError(reply, 404, 'NO_SUCH_CLASS');
      return answer(reply, await controls.deleteClass((request.params as { code: string }).code), () => reply.code(204).send());
    },
  );
}
