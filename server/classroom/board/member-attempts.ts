import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ATTEMPT_ANSWER_MAX,
  ATTEMPT_REQUEST_MAX,
  MISS_DIFFERENCES,
  MISS_KINDS,
  type AttemptMiss,
  type MemberAttempts,
} from '../../../contracts/class-channel/messages.ts';
import type { AttemptRef } from '../../../contracts/exercise-checks/attempt-miss.ts';
import { sendError } from '../class-errors.ts';
import { normalizeClassCode } from '../names/class-code.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';
import type { ControlOutcome } from '../controls/teacher-controls.ts';

// One student's attempts for the teacher (README.md, "One student's attempts"): what the store
// keeps of each counted report, and what a progress report may say about its miss.

/** "POST /api/v1/users": a method and a path, no query or fragment (the page drops them; a token could be in one). */
const REQUEST_LINE = /^[A-Z][A-Z-]{0,19} \/[^\s?#]*$/;

/**
 * The `miss` of a progress report: absent or null is "no details" (null); anything else must be
 * a well-formed AttemptMiss, else undefined (the report is refused as BAD_RESULT). Unknown
 * members are dropped: only what the contract names is kept.
 */
export function attemptMissOf(input: unknown): AttemptMiss | null | undefined {
  if (input === undefined || input === null) return null;
  if (typeof input !== 'object' || Array.isArray(input)) return undefined;
  const { kind, request, status, differs, answer } = input as Record<string, unknown>;
  if (typeof kind !== 'string' || !(MISS_KINDS as readonly string[]).includes(kind)) return undefined;
  const miss: AttemptMiss = { kind: kind as AttemptMiss['kind'] };
  if (request !== undefined) {
    if (typeof request !== 'string' || request.length > ATTEMPT_REQUEST_MAX || !REQUEST_LINE.test(request)) return undefined;
    miss.request = request;
  }
  if (status !== undefined) {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
    miss.status = status;
  }
  if (differs !== undefined) {
    if (typeof differs !== 'string' || !(MISS_DIFFERENCES as readonly string[]).includes(differs)) return undefined;
    miss.differs = differs as AttemptMiss['differs'];
  }
  if (answer !== undefined) {
    // only a wrong answer about a capture file names its answer (the server records its own anyway)
    if (kind !== 'wrong-capture-answer' || typeof answer !== 'string' || answer.length > ATTEMPT_ANSWER_MAX) return undefined;
    miss.answer = answer;
  }
  return miss;
}

/** A capture's connection id (server/tap/capture-hub.ts: `c12`). */
const CONNECTION_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The `attempt` of a progress report: which captured exchange or message its miss is about
 * (contracts/exercise-checks/attempt-miss.ts). Absent or null is none (null); anything else must
 * be `{conn, index, message?: true}`, else undefined (BAD_RESULT).
 */
export function attemptRefOfReport(input: unknown): AttemptRef | null | undefined {
  if (input === undefined || input === null) return null;
  if (typeof input !== 'object' || Array.isArray(input)) return undefined;
  const { conn, index, message } = input as Record<string, unknown>;
  if (typeof conn !== 'string' || !CONNECTION_ID.test(conn)) return undefined;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > 1_000_000_000) return undefined;
  if (message !== undefined && message !== true) return undefined;
  return message ? { conn, index, message } : { conn, index };
}

/** A member's attempts, newest first; only a member of the class named. */
export async function memberAttempts(store: ClassroomStore, rawCode: unknown, memberId: unknown): Promise<ControlOutcome<MemberAttempts>> {
  const code = normalizeClassCode(rawCode);
  if (!code || !(await store.classByCode(code))) return { ok: false, status: 404, error: 'NO_SUCH_CLASS' };
  const member = typeof memberId === 'number' ? (await store.members(code)).find((candidate) => candidate.id === memberId) : undefined;
  if (!member) return { ok: false, status: 404, error: 'NO_SUCH_MEMBER' };
  return { ok: true, value: { code, memberId: member.id, name: member.name, attempts: await store.attempts(member.id) } };
}

/** `GET …/classes/:code/members/:id/attempts` with the teacher key: 200 MemberAttempts, or the class's problem+json. */
export function memberAttemptsRoute(
  app: FastifyInstance,
  classPath: string,
  store: ClassroomStore,
  teacherOnly: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  app.get(
    `${classPath}/classes/:code/members/:id/attempts`,
    {
      preHandler: teacherOnly,
      attachValidation: true,
      schema: {
        params: { type: 'object', properties: { code: { type: 'string', maxLength: 16 }, id: { type: 'integer', minimum: 1 } }, required: ['code', 'id'] },
      },
    },
    async (request, reply) => {
      if (request.validationError) return sendError(reply, 404, 'NO_SUCH_MEMBER');
      const { code, id } = request.params as { code: string; id: number };
      const outcome = await memberAttempts(store, code, id);
      return outcome.ok ? reply.send(outcome.value) : sendError(reply, outcome.status, outcome.error);
    },
  );
}
