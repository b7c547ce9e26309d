// A question about a capture file a lesson carries (issue 52 item 4): "which frame carried the
// trailers?", "what QoS did the broker grant?". The capture is a file recorded from real clients
// (lessons/<nn>-<slug>/captures/), the same bytes for every student, so the question is judged
// over that file's traffic — decoded by wire/ — and the student's answer, never over their
// session's captures. The page (its card, the inspector it opens the file in) and the server
// (the board's verdict) evaluate it with this code.
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import type { CaptureAsk, CaptureQuestion, CheckResult, WrongPick } from './check-types.ts';
import { evaluateCheck, matchesExchange, matchesMessage } from './evaluate-check.ts';

// The question's shape lives in check-types.ts (a `capture` check is one of lesson.json's checks).
export type { CaptureAsk, CaptureQuestion, WrongPick };

/**
 * The answer a pick sends (`answer` of the progress report): the message by its connection, layer,
 * direction and the offset of its first byte in that direction's stream — what stays the same in
 * every decode of the file, unlike `index`, which counts the messages of layers decoded before it.
 */
export function messagePick(message: Pick<WireMessage, 'conn' | 'layer' | 'dir' | 'range'>): string {
  return `message ${message.conn} ${message.layer} ${message.dir} ${message.range.start}`;
}

/** The answer an exchange pick sends: the exchange by its connection and its index there. */
export function exchangePick(exchange: Pick<HttpExchange, 'conn' | 'index'>): string {
  return `exchange ${exchange.conn} ${exchange.index}`;
}

/** The message a pick names, if the capture's traffic holds it. */
export function pickedMessage(messages: readonly WireMessage[], answer: string): WireMessage | undefined {
  const wanted = answer.trim();
  return wanted.startsWith('message ') ? messages.find((message) => messagePick(message) === wanted) : undefined;
}

/** The exchange a pick names, if the capture's traffic holds it. */
export function pickedExchange(exchanges: readonly HttpExchange[], answer: string): HttpExchange | undefined {
  const wanted = answer.trim();
  return wanted.startsWith('exchange ') ? exchanges.find((exchange) => exchangePick(exchange) === wanted) : undefined;
}

/** Is `ask` answered by clicking a message or an exchange (rather than typing a value)? */
export function isPick(ask: CaptureAsk): ask is Extract<CaptureAsk, { type: 'pick-message' | 'pick-exchange' }> {
  return ask.type === 'pick-message' || ask.type === 'pick-exchange';
}

/** A wrong pick is one of CheckMiss's kinds, so a card and the board read it as any miss. */
export type CaptureAskResult = CheckResult;

/** The traffic of one capture file, decoded with every layer loaded (capture-file-traffic.ts reads a file into it). */
export interface CaptureTraffic {
  exchanges: readonly HttpExchange[];
  messages: readonly WireMessage[];
}

/** Does `answer` answer the question about this capture? Values are compared as `answer` checks compare them. */
export function evaluateCaptureAsk(ask: CaptureAsk, traffic: CaptureTraffic, answer: string | undefined): CaptureAskResult {
  if (ask.type === 'answer' || ask.type === 'message-answer') return evaluateCheck(ask, traffic.exchanges, answer, traffic.messages);
  if (answer === undefined || answer.trim() === '') return { passed: false, miss: { kind: 'no-answer' } };
  if (ask.type === 'pick-message') {
    const picked = pickedMessage(traffic.messages, answer);
    return picked && matchesMessage(ask.match, picked)
      ? { passed: true, exchanges: [], messages: [picked] }
      : { passed: false, miss: { kind: 'wrong-pick', picked: answer.trim() } };
  }
  const picked = pickedExchange(traffic.exchanges, answer);
  return picked && matchesExchange(ask.match, picked)
    ? { passed: true, exchanges: [picked] }
    : { passed: false, miss: { kind: 'wrong-pick', picked: answer.trim() } };
}
