import type { Bilingual } from '../../../shared/bilingual.ts';
import type { JsonValue } from '@bufbuild/protobuf';
import { grpcCodeName, type CallStatus, type StatusDetail } from './call-status.ts';
import { parseRunnerMessage, type RunnerMethod, type RunnerServerMessage } from '../../../contracts/grpc-runner/messages.ts';

export type HeaderPairs = Array<[string, string]>;

/**
 * Everything one call showed, in arrival order: what the cell renders, the same for a call made
 * with fetch (Connect, gRPC-Web) and one made by the server's runner (client and bidi streaming).
 * `at` is milliseconds since the call started, on the clock that saw the event.
 */
export type CallEvent =
  | { kind: 'started'; at: number }
  | { kind: 'sent'; index: number; message?: JsonValue; at: number }
  | { kind: 'ended'; at: number }
  | { kind: 'headers'; headers: HeaderPairs; at: number; trailersOnly?: boolean }
  | { kind: 'message'; index: number; message: JsonValue; at: number }
  | { kind: 'status'; status: CallStatus; trailers: HeaderPairs; at: number; trailersOnly?: boolean }
  | { kind: 'error'; text: Bilingual | string; at: number };

export interface CallLog {
  events: CallEvent[];
  /** true once the status (or an error that ends the call) arrived */
  done: boolean;
  /** messages dropped from the front of `events` past `MAX_LOGGED_MESSAGES` */
  droppedMessages: number;
  /** how many of `events` are messages (counted as they come: a stream appends thousands) */
  messageCount: number;
}

/** A server stream may send up to 10 000 messages (Ticks); the cell keeps the newest 500. */
export const MAX_LOGGED_MESSAGES = 500;

export function emptyLog(): CallLog {
  return { events: [], done: false, droppedMessages: 0, messageCount: 0 };
}

export function appendEvent(log: CallLog, event: CallEvent): CallLog {
  const events = [...log.events, event];
  let { droppedMessages, messageCount } = log;
  if (event.kind === 'message') messageCount += 1;
  if (messageCount > MAX_LOGGED_MESSAGES) {
    events.splice(
      events.findIndex((entry) => entry.kind === 'message'),
      1,
    );
    messageCount -= 1;
    droppedMessages += 1;
  }
  const done = log.done || event.kind === 'status' || event.kind === 'error';
  return { events, done, droppedMessages, messageCount };
}

export function statusOf(log: CallLog): CallStatus | null {
  const event = log.events.find((entry) => entry.kind === 'status');
  return event?.kind === 'status' ? event.status : null;
}

/** Headers in a stable order for display: `Headers` iterates lower-case names, sorted. */
export function headerPairs(headers: Headers): HeaderPairs {
  return [...headers.entries()];
}

// ---- the runner (server/protocols/grpc/README.md, "The runner") ----

/**
 * A failed call's status carries the response headers and the HTTP/2 trailers merged (ConnectError's
 * metadata): what the call's `headers` event already showed is not a trailer.
 */
function trailersApartFromHeaders(trailers: Record<string, string>, log: CallLog): HeaderPairs {
  const headersEvent = log.events.findLast((event) => event.kind === 'headers');
  const headers = new Map(headersEvent?.kind === 'headers' ? headersEvent.headers : []);
  return Object.entries(trailers).filter(([name, value]) => headers.get(name) !== value);
}

// The runner's messages are its contract's (contracts/grpc-runner/), read defensively there.
export { parseRunnerMessage, type RunnerMethod, type RunnerServerMessage };

/**
 * One runner message applied to the log of its call. `startedAt` is the server time of the call's
 * `started` event (null before it), so every later event shows "ms since start" on the server's clock.
 * `sentMessages` are the request messages the browser handed over, by index, to show beside `sent`.
 */
export function applyRunnerMessage(
  log: CallLog,
  message: RunnerServerMessage,
  startedAt: number | null,
  sentMessages: readonly JsonValue[] = [],
): { log: CallLog; startedAt: number | null } {
  if (message.type === 'hello') return { log, startedAt };
  if (message.type === 'error') {
    // An error about one message (a request that does not fit the input type, a send after the
    // end) leaves the call running; one before the call started ends it (README: no status follows).
    const endsCall = startedAt === null;
    const event: CallEvent = { kind: 'error', text: message.message, at: 0 };
    const events = [...log.events, event];
    return { log: { ...log, events, done: log.done || endsCall }, startedAt };
  }
  const zero = startedAt ?? message.t;
  const at = Math.max(0, message.t - zero);
  switch (message.type) {
    case 'started':
      return { log: appendEvent(log, { kind: 'started', at: 0 }), startedAt: message.t };
    case 'sent': {
      const sent = sentMessages[message.index];
      const event: CallEvent = sent === undefined ? { kind: 'sent', index: message.index, at } : { kind: 'sent', index: message.index, message: sent, at };
      return { log: appendEvent(log, event), startedAt: zero };
    }
    case 'ended':
      return { log: appendEvent(log, { kind: 'ended', at }), startedAt: zero };
    case 'headers':
      return {
        log: appendEvent(log, {
          kind: 'headers',
          headers: Object.entries(message.headers),
          at,
          ...(message.trailersOnly === true ? { trailersOnly: true } : {}),
        }),
        startedAt: zero,
      };
    case 'message':
      return { log: appendEvent(log, { kind: 'message', index: message.index, message: message.message, at }), startedAt: zero };
    case 'status': {
      const details: StatusDetail[] = message.details.map((detail) =>
        detail.value !== undefined ? { type: detail.type, json: detail.value } : { type: detail.type, base64: detail.base64 ?? '' },
      );
      const status: CallStatus = { code: message.code, name: message.name || grpcCodeName(message.code), message: message.message, details };
      const trailers = trailersApartFromHeaders(message.trailers, log);
      return {
        log: appendEvent(log, { kind: 'status', status, trailers, at, ...(message.trailersOnly === true ? { trailersOnly: true } : {}) }),
        startedAt: zero,
      };
    }
  }
}
