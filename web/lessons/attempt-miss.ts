import { ATTEMPT_REQUEST_MAX, type AttemptMiss } from '../../contracts/class-channel/messages.ts';
import type { HttpExchange } from '../../wire/types.ts';
import type { CheckMiss } from '../../contracts/exercise-checks/check-types.ts';

/**
 * A miss as the teacher's "attempts" panel gets it: what the check said and the request it was
 * about — method and path only. Never the query (a token may be in it), headers, cookies or a
 * body: the student's secrets stay in the student's browser.
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

function about(exchange: HttpExchange): Pick<AttemptMiss, 'request' | 'status'> {
  const { method, path } = exchange.request;
  const line = `${method} ${path}`;
  const request = /^[A-Z][A-Z-]{0,19} \/[^\s?#]*$/.test(line) && line.length <= ATTEMPT_REQUEST_MAX ? line : undefined;
  const status = exchange.response?.status;
  return { ...(request ? { request } : {}), ...(status !== undefined ? { status } : {}) };
}
