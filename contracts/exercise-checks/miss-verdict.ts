import type { AttemptMiss } from '../class-channel/messages.ts';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { attemptMissOf, attemptRefOf, type AttemptRef } from './attempt-miss.ts';
import type { Check } from './check-types.ts';
import { evaluateCheck } from './evaluate-check.ts';
import type { UncountedMiss } from './verdict.ts';

// Which reported misses count (issue 51, "no miss for honest work"): a miss is an attempt that
// reached the server and was wrong for the exercise's question. The server decides it here from
// its own captures; the page's report only names the attempt it means (AttemptRef).

/** A counted miss carries what the server made of it, the reason the board shows. */
export type MissVerdict = { counted: true; miss: AttemptMiss } | UncountedMiss;

const uncounted = (why: UncountedMiss['why']): UncountedMiss => ({ counted: false, why });

const byRequestTime = (a: HttpExchange, b: HttpExchange): number => a.request.firstByteAt - b.request.firstByteAt || a.index - b.index;

/**
 * Judges a reported miss over the traffic this server captured for the session (Wirelab's own,
 * wirelab-traffic.ts): the check is evaluated on what had crossed up to and including the attempt
 * named, and the miss counts only when the check's own miss is that very attempt — a response
 * that differs from the one asked, an answer typed that differs from the bytes. A step the check
 * is still waiting for (nothing sent yet, a prerequisite `DELETE` done right, fewer messages than
 * it counts), an answer not typed yet, or an exchange that is no answer to this question (an
 * earlier close on a shared console) never counts.
 */
export function judgeMiss(
  check: Check,
  traffic: { exchanges: readonly HttpExchange[]; messages: readonly WireMessage[] },
  answer: string | undefined,
  attempt: AttemptRef | null,
): MissVerdict {
  const whole = evaluateCheck(check, traffic.exchanges, answer, traffic.messages);
  if (whole.passed) return uncounted('passed');
  if (whole.miss.kind === 'no-answer') return uncounted('no-answer');
  // Lesson 15: a run of "check my server" that has not fixed the student's server yet is the work
  // itself — the exercise needs a failing run first — and the board's "Own server" column shows each.
  if (attempt === null || check.type === 'own-server-fixed') return uncounted('unfinished');
  const upTo = attempt.message ? messagesUpTo(traffic.messages, attempt) : exchangesUpTo(traffic.exchanges, attempt);
  if (upTo === null) return uncounted('not-reached');
  const result = attempt.message
    ? evaluateCheck(check, traffic.exchanges, answer, upTo as WireMessage[])
    : evaluateCheck(check, upTo as HttpExchange[], answer, traffic.messages);
  if (result.passed) return uncounted('not-this-question');
  if (result.miss.kind === 'no-answer') return uncounted('no-answer');
  const about = attemptRefOf(result.miss);
  if (about === null) return uncounted('unfinished');
  const same = about.conn === attempt.conn && about.index === attempt.index && Boolean(about.message) === Boolean(attempt.message);
  return same ? { counted: true, miss: attemptMissOf(result.miss) } : uncounted('not-this-question');
}

/** The exchanges whose request began no later than the attempt's; null when the attempt is not among them. */
function exchangesUpTo(exchanges: readonly HttpExchange[], attempt: AttemptRef): HttpExchange[] | null {
  const target = exchanges.find((exchange) => exchange.conn === attempt.conn && exchange.index === attempt.index);
  return target ? exchanges.filter((exchange) => exchange === target || byRequestTime(exchange, target) < 0) : null;
}

/** The messages (oldest first) up to and including the attempt's; null when it is not among them. */
function messagesUpTo(messages: readonly WireMessage[], attempt: AttemptRef): WireMessage[] | null {
  const at = messages.findIndex((message) => message.conn === attempt.conn && message.index === attempt.index);
  return at === -1 ? null : messages.slice(0, at + 1);
}
