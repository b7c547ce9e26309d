import { ATTEMPT_ANSWER_MAX, ATTEMPT_REQUEST_MAX, type AttemptMiss } from '../class-channel/messages.ts';
import type { HttpExchange } from '../../wire/types.ts';
import type { CheckMiss } from './check-types.ts';

/**
 * A miss as the teacher's board and "attempts" panel get it: what the check said and the request
 * it was about — method and path only. Never the query (a token may be in it), headers, cookies
 * or a body: the student's secrets stay in the student's browser. The server records the one it
 * made from its own captures (miss-verdict.ts); the page makes the same for its card.
 */
export function attemptMissOf(miss: CheckMiss): AttemptMiss {
  switch (miss.kind) {
    case 'response-differs':
      return { kind: miss.kind, ...about(miss.exchange), differs: miss.difference.what };
    case 'wrong-answer':
    case 'no-value':
      return { kind: miss.kind, ...about(miss.exchange) };
    case 'wrong-pick':
      return wrongCaptureAnswer(miss.picked);
    default:
      return { kind: miss.kind };
  }
}

/**
 * A miss of a question about a lesson's capture file (`capture`, capture-question.ts) as the board
 * gets it: a wrong pick, or a value that differs from the file's, is `wrong-capture-answer` with
 * the answer itself — the attempt is the answer (the file is the lesson's, the same for everyone,
 * so the exchange or message a value was read from says nothing of the student's). Null when the
 * miss is no wrong answer: none given, or a question the file holds no answer to.
 */
export function captureAttemptMissOf(miss: CheckMiss, answer: string | undefined): AttemptMiss | null {
  switch (miss.kind) {
    case 'wrong-pick':
      return wrongCaptureAnswer(miss.picked);
    case 'wrong-answer':
    case 'wrong-message-answer':
      return answer === undefined || answer.trim() === '' ? null : wrongCaptureAnswer(answer);
    default:
      return null;
  }
}

/** The answer as the board shows it: one line, no control characters, at most ATTEMPT_ANSWER_MAX characters. */
function wrongCaptureAnswer(answer: string): AttemptMiss {
  const line = answer.replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim();
  return { kind: 'wrong-capture-answer', answer: line.length > ATTEMPT_ANSWER_MAX ? `${line.slice(0, ATTEMPT_ANSWER_MAX - 1)}…` : line };
}

/**
 * Which captured exchange or message a miss is about: the capture's connection id (the same on
 * the page and in the server's ring) and its index on that connection; `message` for a decoded
 * message (a WebSocket frame, an MQTT packet…), else an HTTP exchange. The page names it in its
 * report; the server finds it in its own captures and judges it there.
 */
export interface AttemptRef {
  conn: string;
  index: number;
  message?: true;
}

/** The exchange or message a miss names, or null when it names none (nothing sent yet, too few messages, no answer typed). */
export function attemptRefOf(miss: CheckMiss): AttemptRef | null {
  switch (miss.kind) {
    case 'response-differs':
    case 'wrong-answer':
    case 'no-value':
      return { conn: miss.exchange.conn, index: miss.exchange.index };
    case 'wrong-message-answer':
      return { conn: miss.message.conn, index: miss.message.index, message: true };
    default:
      return null;
  }
}

function about(exchange: HttpExchange): Pick<AttemptMiss, 'request' | 'status'> {
  const { method, path } = exchange.request;
  const line = `${method} ${path}`;
  const request = /^[A-Z][A-Z-]{0,19} \/[^\s?#]*$/.test(line) && line.length <= ATTEMPT_REQUEST_MAX ? line : undefined;
  const status = exchange.response?.status;
  return { ...(request ? { request } : {}), ...(status !== undefined ? { status } : {}) };
}
