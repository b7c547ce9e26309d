import type { FastifyBaseLogger } from 'fastify';
import { CELL_DRAFT_MAX, type CellDraft, type ServerMessage } from '../../../contracts/class-channel/messages.ts';
import { SecretHeaderMask } from '../blanking/secret-header-mask.ts';
import { SecretBook, SecretScanner } from '../blanking/secret-scanner.ts';
import type { ClassHistory } from './class-history.ts';
import { logClassEvent } from '../class-log.ts';
import { LESSON_SLUG, type LessonCatalog } from '../names/lesson-catalog.ts';

// The teacher's cell, sent to the followers as a draft they may take (README.md, "Sending the
// teacher's cell"). What the teacher's editor holds may carry the teacher's secrets — a
// `Cookie:` line, the curl token pasted into a header, the session id in a body — so every
// string in it goes through the same blanking as the relayed traffic before any student gets it.

const CELL_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** how deep a draft's arrays and objects may nest (a console's fields are two levels deep) */
const MAX_DEPTH = 8;

/**
 * One string of the draft with the teacher's secrets overwritten by `*`, as in the relay: the
 * values of secret header lines (`Cookie:`, `Authorization:`…, secret-header-mask.ts), then the
 * session's secrets, any curl token and the secret JSON members (secret-scanner.ts).
 */
export function blankSecretsInText(text: string, book: SecretBook): string {
  const bytes = new TextEncoder().encode(text);
  const blanked = new SecretScanner(book).apply(new SecretHeaderMask().apply(bytes));
  return blanked === bytes ? text : new TextDecoder().decode(blanked);
}

/** Every string of a JSON value blanked (object keys are a console's field names and stay). */
export function blankSecretsInValue(value: unknown, book: SecretBook, depth = 0): unknown {
  if (typeof value === 'string') return blankSecretsInText(value, book);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => blankSecretsInValue(item, book, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, blankSecretsInValue(item, book, depth + 1)]));
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const items = Array.isArray(value) ? value : Object.values(value);
  return 1 + items.reduce<number>((deepest, item) => Math.max(deepest, depthOf(item)), 0);
}

/**
 * The draft a `push-cell` message makes, blanked: a cell of a lesson of the course, a JSON value
 * of at most CELL_DRAFT_MAX characters nested at most MAX_DEPTH deep; else BAD_CELL.
 */
export function cellDraftOf(
  message: Record<string, unknown>,
  lessons: Pick<LessonCatalog, 'hasCell'>,
  book: SecretBook,
  now = Date.now(),
): { ok: true; draft: CellDraft } | { ok: false; error: 'BAD_CELL' } {
  const { lesson, cell, value } = message;
  if (typeof lesson !== 'string' || typeof cell !== 'string' || !LESSON_SLUG.test(lesson) || !CELL_ID.test(cell) || !lessons.hasCell(lesson, cell))
    return { ok: false, error: 'BAD_CELL' };
  if (value === undefined || JSON.stringify(value).length > CELL_DRAFT_MAX || depthOf(value) > MAX_DEPTH) return { ok: false, error: 'BAD_CELL' };
  return { ok: true, draft: { lesson, cell, value: blankSecretsInValue(value, book), sentMs: now } };
}

export interface CellPushDeps {
  lessons: Pick<LessonCatalog, 'hasCell'>;
  teacherKey: string;
  /** the class's relay of the teacher's traffic on this instance, if any: it knows what the session learned */
  relayOf(code: string): { session: string | null; secretBook: SecretBook } | null | undefined;
  /** the draft to the class's followers, on this instance and the others */
  deliver(code: string, draft: CellDraft): void;
  history: Pick<ClassHistory, 'record'>;
  log: Pick<FastifyBaseLogger, 'info'>;
}

/**
 * `push-cell` from the tab that leads `code`, whose browser session is `session`: blanked with
 * that session's secrets (and those the relay learned in it), delivered, kept in the board's
 * history. The answer for the tab.
 */
export async function pushCell(deps: CellPushDeps, code: string, session: string | null, message: Record<string, unknown>): Promise<ServerMessage> {
  const relay = deps.relayOf(code);
  const book = relay && relay.session === session ? relay.secretBook : new SecretBook([deps.teacherKey, ...(session ? [session] : [])]);
  const outcome = cellDraftOf(message, deps.lessons, book);
  if (!outcome.ok) return { type: 'error', error: outcome.error };
  const { lesson, cell } = outcome.draft;
  deps.deliver(code, outcome.draft);
  logClassEvent(deps.log, { kind: 'cell-sent', code, lesson, cell });
  await deps.history.record(code, { kind: 'cell-sent', lesson, cell });
  return { type: 'cell-sent', lesson, cell };
}
