import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../../contracts/class-channel/messages.ts';
import { sendError } from '../class-errors.ts';
import { normalizeClassCode } from '../names/class-code.ts';
import { logClassEvent } from '../class-log.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';
import type { ControlOutcome } from './teacher-controls.ts';
import type { ClassHistory } from './class-history.ts';

// "Reset everyone's data" (README.md, "Resetting the students' data"): each student of the class
// with a class channel open gets the starting data back in their sandbox, exactly as their own
// "Reset my data" does (app.domain.resetSandbox: the same reseed and the same `sandbox.reset`
// event). A student's sandbox is their browser session, which the class knows only from the
// cookie their channel came with — so it reaches the students online now, on every instance
// (sandboxes are per instance, and a browser's channel is on its sandbox's instance), and no
// one else's: not the teacher's, not a shared `x-wirelab-sandbox`, not an offline student's.

/** A student's class channel as far as a reset needs it. */
export interface ResettableChannel {
  /** null: a copy of a sandbox whose student's page is told by the instance their channel is on */
  socket: WebSocket | null;
  /** the browser session (= sandbox) the channel's cookie named; null: no cookie */
  session: string | null;
}

/**
 * Resets each session's sandbox once (a student with two tabs has one sandbox) and tells every
 * channel of it. Returns how many sandboxes were reset.
 */
export function resetStudentsData(
  channels: Iterable<ResettableChannel>,
  resetSandbox: (sandboxId: string) => void,
  log: Pick<FastifyBaseLogger, 'warn'>,
): number {
  const reset = new Set<string>();
  const failed = new Set<string>();
  const told = JSON.stringify({ type: 'data-reset' } satisfies ServerMessage);
  for (const channel of channels) {
    const session = channel.session;
    if (!session || failed.has(session)) continue;
    if (!reset.has(session)) {
      try {
        resetSandbox(session);
        reset.add(session);
      } catch (error) {
        failed.add(session);
        log.warn({ err: error }, 'classroom: a student’s data could not be reset');
        continue;
      }
    }
    const socket = channel.socket;
    if (socket && socket.readyState === socket.OPEN) socket.send(told);
  }
  return reset.size;
}

export interface DataResetEffects {
  /** this instance's students of the class: their sandboxes reset, their pages told; how many sandboxes */
  resetHere(code: string): number;
  /** the other instances do the same for theirs */
  resetElsewhere(code: string): void;
}

export class ClassDataReset {
  constructor(
    private readonly store: ClassroomStore,
    private readonly effects: DataResetEffects,
    private readonly log: Pick<FastifyBaseLogger, 'info'>,
    private readonly history: Pick<ClassHistory, 'record'>,
  ) {}

  async reset(rawCode: unknown): Promise<ControlOutcome<null>> {
    const code = normalizeClassCode(rawCode);
    if (!code || !(await this.store.classByCode(code))) return { ok: false, status: 404, error: 'NO_SUCH_CLASS' };
    const sandboxes = this.effects.resetHere(code);
    this.effects.resetElsewhere(code);
    logClassEvent(this.log, { kind: 'data-reset', code, sandboxes });
    await this.history.record(code, { kind: 'data-reset' });
    return { ok: true, value: null };
  }
}

/** `POST …/classes/:code/reset-data` with the teacher key: 204, or the class's problem+json. */
export function dataResetRoute(
  app: FastifyInstance,
  classPath: string,
  dataReset: ClassDataReset,
  teacherOnly: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  app.post(
    `${classPath}/classes/:code/reset-data`,
    {
      preHandler: teacherOnly,
      attachValidation: true,
      schema: { params: { type: 'object', properties: { code: { type: 'string', maxLength: 16 } }, required: ['code'] } },
    },
    async (request, reply) => {
      const outcome = await dataReset.reset((request.params as { code: string }).code);
      return outcome.ok ? reply.code(204).send() : sendError(reply, outcome.status, outcome.error);
    },
  );
}
