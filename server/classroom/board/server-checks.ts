import type { Bilingual } from '../../../shared/bilingual.ts';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CHECKED_PROTOCOLS, type CheckedProtocol, type CheckReport } from '../../../contracts/own-server/check-result.ts';
import {
  SERVER_CHECK_DIFFERENCE_MAX,
  SERVER_CHECKS_MAX,
  type MemberServerChecks,
  type ServerCheckCell,
  type ServerCheckLine,
} from '../../../contracts/class-channel/messages.ts';
import { blankSecretsInText } from '../controls/cell-drafts.ts';
import { sendError } from '../class-errors.ts';
import { normalizeClassCode } from '../names/class-code.ts';
import type { ClassroomStore, ServerChecksRecord } from '../stores/classroom-store.ts';
import { SecretBook } from '../blanking/secret-scanner.ts';
import type { ControlOutcome } from '../controls/teacher-controls.ts';

// "Check my server" on the board (README.md, "A student's own server"): when a suite the server
// ran for a browser session ends, and that session is a class member's, the run's summary per
// protocol is kept for the teacher. Only the server's own run counts: there is no route by which
// a page reports a result. What is kept is Wirelab's verdicts, never the student's server's bytes.

/** A check id as the suites name them (`if-none-match-304`); anything else is not kept. */
const CHECK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const clip = (text: string): string => (text.length > SERVER_CHECK_DIFFERENCE_MAX ? `${text.slice(0, SERVER_CHECK_DIFFERENCE_MAX - 1)}…` : text);

/** The port of `host:port` (`[::1]:8000` too); 0 when the text has none. */
export function portOf(target: string): number {
  const match = /:(\d{1,5})$/.exec(target.trim());
  const port = match ? Number(match[1]) : 0;
  return port >= 1 && port <= 65535 ? port : 0;
}

/**
 * What is kept of one run: counts, failed ids, whether it reached Wirelab itself, the port, and per
 * check its id, verdict and Wirelab's sentence of what differed — blanked with `secrets` (the
 * student's session, the teacher key) and the relay's rules (secret headers, curl tokens, secret
 * JSON members), each cut to SERVER_CHECK_DIFFERENCE_MAX. Never `sent`, `got` or the host.
 * null: no check ran (the address refused, nothing answered), so there is nothing to show.
 */
export function serverChecksOf(report: CheckReport, ms: number, secrets: readonly string[]): ServerChecksRecord | null {
  if (!report.reachable || report.results.length === 0 || !CHECKED_PROTOCOLS.includes(report.protocol)) return null;
  const book = new SecretBook(secrets);
  const blank = (text: Bilingual): Bilingual => ({ en: clip(blankSecretsInText(text.en, book)), ru: clip(blankSecretsInText(text.ru, book)) });
  const checks: ServerCheckLine[] = report.results
    .filter((result) => CHECK_ID.test(result.id))
    .slice(0, SERVER_CHECKS_MAX)
    .map((result) => ({
      id: result.id,
      outcome: result.outcome,
      difference: result.outcome !== 'pass' && result.difference ? blank(result.difference) : null,
    }));
  const count = (outcome: ServerCheckLine['outcome']) => checks.filter((check) => check.outcome === outcome).length;
  const cell: ServerCheckCell = {
    protocol: report.protocol,
    ms,
    passed: count('pass'),
    failed: count('fail'),
    notOffered: count('not-offered'),
    failedIds: checks.filter((check) => check.outcome === 'fail').map((check) => check.id),
    targetIsWirelab: report.targetIsWirelab === true,
    port: portOf(report.target),
  };
  return { cell, checks };
}

export interface ServerCheckDeps {
  store: ClassroomStore;
  teacherKey: string;
  /** a stored change: the boards here and on the other instances */
  classChanged(code: string): void;
  log: FastifyBaseLogger;
}

/**
 * A suite the own-server route ran has ended for `session` (server/own-server/routes.ts calls
 * this with the report it is about to send). A member's session: the summary is kept and the
 * board changes; anybody else's: nothing. Never throws: the student's report matters more.
 */
export async function recordServerChecks(deps: ServerCheckDeps, session: string | null, report: CheckReport): Promise<boolean> {
  if (!session) return false;
  try {
    const member = await deps.store.memberBySession(session);
    if (!member) return false;
    const record = serverChecksOf(report, Date.now(), [session, deps.teacherKey]);
    if (!record) return false;
    if ((await deps.store.recordServerChecks(member.id, record)) !== 'ok') return false;
    deps.classChanged(member.classCode);
    return true;
  } catch (error) {
    deps.log.warn({ err: error }, 'classroom: a run of "check my server" could not be recorded');
    return false;
  }
}

/** One member's latest run of one protocol, for the teacher's details. */
export async function memberServerChecks(
  store: ClassroomStore,
  rawCode: unknown,
  memberId: unknown,
  protocol: unknown,
): Promise<ControlOutcome<MemberServerChecks>> {
  const code = normalizeClassCode(rawCode);
  if (!code || !(await store.classByCode(code))) return { ok: false, status: 404, error: 'NO_SUCH_CLASS' };
  const member = typeof memberId === 'number' ? (await store.members(code)).find((candidate) => candidate.id === memberId) : undefined;
  if (!member || typeof protocol !== 'string' || !CHECKED_PROTOCOLS.includes(protocol as CheckedProtocol))
    return { ok: false, status: 404, error: 'NO_SUCH_MEMBER' };
  const record = await store.serverChecks(member.id, protocol as CheckedProtocol);
  return {
    ok: true,
    value: { code, memberId: member.id, name: member.name, protocol: protocol as CheckedProtocol, cell: record?.cell ?? null, checks: record?.checks ?? [] },
  };
}

/** `GET …/classes/:code/members/:id/server-checks/:protocol` with the teacher key: 200 MemberServerChecks, or the class's problem+json. */
export function memberServerChecksRoute(
  app: FastifyInstance,
  classPath: string,
  store: ClassroomStore,
  teacherOnly: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  app.get(
    `${classPath}/classes/:code/members/:id/server-checks/:protocol`,
    {
      preHandler: teacherOnly,
      attachValidation: true,
      schema: {
        params: {
          type: 'object',
          properties: {
            code: { type: 'string', maxLength: 16 },
            id: { type: 'integer', minimum: 1 },
            protocol: { type: 'string', enum: [...CHECKED_PROTOCOLS] },
          },
          required: ['code', 'id', 'protocol'],
        },
      },
    },
    async (request, reply) => {
      if (request.validationError) return sendError(reply, 404, 'NO_SUCH_MEMBER');
      const { code, id, protocol } = request.params as { code: string; id: number; protocol: string };
      const outcome = await memberServerChecks(store, code, id, protocol);
      return outcome.ok ? reply.send(outcome.value) : sendError(reply, outcome.status, outcome.error);
    },
  );
}
