import { ATTEMPT_REQUEST_MAX, type AttemptMiss } from '../class-channel/messages.ts';
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
    default:
      return { kind: miss.kind };
  }
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
