// What a lesson's check says and what evaluating it gives, in a module of its own: the evaluator
// (evaluate-check.ts) and what reads a check without evaluating it (check-reading.ts) both use it.
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import type { CheckedProtocol } from '../own-server/check-result.ts';

/** `true`: present; a string: a regular expression the value must match; `false` (request headers): absent. */
export type PresenceOrPattern = Record<string, boolean | string>;

export interface RequestMatch {
  method?: string;
  /** regular expression over the path, without the query */
  path?: string;
  query?: PresenceOrPattern;
  /** names in lower case */
  headers?: PresenceOrPattern;
  bodyJson?: unknown;
  /** with `bodyJson`: the body is exactly that JSON, nothing more ("send only her status") */
  bodyJsonExact?: boolean;
}

export interface ResponseMatch {
  status?: number | number[];
  headers?: PresenceOrPattern;
  bodyJson?: unknown;
  /** a regular expression over the body as text (a number at least so large: `"waitedMs":\\s*[1-9]\\d{3,}`) */
  bodyText?: string;
}

export interface ExchangeMatch {
  request?: RequestMatch;
  response?: ResponseMatch;
  /**
   * Only in a `sequence`: the exchange's body carried a message matching this (an SSE event of
   * that stream, a stream's third response message), which arrived before any later request
   * matching the previous step's (from the second step): what the resumed stream replayed, not
   * what a request made after it caused.
   */
  carries?: MessageMatch;
}

export type AnswerSource =
  | { from: 'request-body-offset' }
  | { from: 'response-body-offset' }
  | { from: 'response-json'; path: string }
  | { from: 'response-header'; name: string }
  | { from: 'connection-index' }
  /** SHA-1 of the request's Sec-WebSocket-Key + the RFC 6455 GUID, in hex: the step before base64 that no header shows */
  | { from: 'websocket-key-sha1' };

/**
 * A decoded message (HTTP/2 frame, WebSocket frame, …) of a layer: `fields` must all match its
 * `WireMessage.fields` — a number or boolean exactly, a string exactly or, written `/…/`, as a
 * regular expression.
 */
export interface MessageMatch {
  layer: string;
  dir?: 'in' | 'out';
  fields?: Record<string, string | number | boolean>;
  /**
   * Only in a `message-sequence`: fields that must equal a field of the message an earlier step
   * matched, written `"<step>.<field>"` — `{ "packetId": "0.packetId" }` (the acknowledgement of
   * that very PUBLISH), `{ "topic": "0.willTopic" }` (a message on the topic a CONNECT named).
   */
  sameAs?: Record<string, string>;
  /** Only in a `message-sequence`: on the connection of the message an earlier step matched. */
  sameConnectionAs?: number;
  /**
   * Only in a `message-sequence`, from the second step: no message matching any of these may lie
   * between the previous step's message and this one (they may use `sameAs` and
   * `sameConnectionAs` too) — e.g. a will's PUBLISH that no client published by hand.
   */
  without?: MessageMatch[];
}

/** The student types an answer; it must equal the value `expect` reads off the newest exchange matching `exchange`. */
export interface AnswerCheck {
  type: 'answer';
  exchange: ExchangeMatch;
  expect: AnswerSource;
  /** an exchange that must come before the one the answer is read from (the binary call before the JSON one) */
  after?: ExchangeMatch;
  /** the value read must be at least this (a request count of 0 proves nothing was repeated) */
  atLeast?: number;
}

/** The student types an answer; it must equal `field` of the newest decoded message matching `match`. */
export interface MessageAnswerCheck {
  type: 'message-answer';
  match: MessageMatch;
  field: string;
}

export type Check =
  | ({ type: 'exchange' } & ExchangeMatch)
  | { type: 'message'; match: MessageMatch; count?: number }
  | { type: 'message-sequence'; steps: MessageMatch[] }
  | { type: 'sequence'; steps: ExchangeMatch[] }
  | AnswerCheck
  | MessageAnswerCheck
  /**
   * Lesson 15: a run of "check my server" for `protocol` fixed the student's own server — checks
   * it failed in an earlier run pass now and none fails (own-server-fixed.ts). The server decides
   * from the runs it made itself (server/own-server/run-history.ts), never from captured bytes; the
   * page reads that verdict in the route's answer it captured.
   */
  | { type: 'own-server-fixed'; protocol: CheckedProtocol }
  /**
   * A question about a capture file the lesson carries (issue 52 item 4): judged over that file's
   * traffic and the student's answer (capture-question.ts), never over a session's captures.
   */
  | CaptureQuestion;

/** What the student is asked about a lesson's capture file (capture-question.ts judges it). */
export type CaptureAsk =
  /** a value read off an exchange of the capture (a header, a body offset…): typed, or a field clicked in the inspector */
  | AnswerCheck
  /** a field of a decoded message (a granted QoS, a close code…): typed, or the field clicked in the inspector */
  | MessageAnswerCheck
  /** the student clicks a message (a frame, a packet) in the inspector: the one picked must match */
  | { type: 'pick-message'; match: MessageMatch }
  /** the student clicks an exchange (a request with its response) in the inspector: the one picked must match */
  | { type: 'pick-exchange'; match: ExchangeMatch };

/** lesson.json's check of such an exercise: `file` is relative to the lesson's folder ("captures/grpc-not-found.pcapng"). */
export interface CaptureQuestion {
  type: 'capture';
  file: string;
  ask: CaptureAsk;
}

/** A pick that names nothing the question asks for: another message, or none of the capture's. */
export interface WrongPick {
  kind: 'wrong-pick';
  /** the answer as sent */
  picked: string;
}

/** Why a request matched but its response did not. */
export type ResponseDifference =
  | { what: 'no-response' }
  | { what: 'status'; got: number; expected: number[] }
  | { what: 'header'; name: string; got: string | null }
  | { what: 'body' };

export type CheckResult = { passed: true; exchanges: HttpExchange[]; messages?: WireMessage[] } | { passed: false; miss: CheckMiss };

export type CheckMiss =
  /** nothing sent yet that looks like the request (step: which sequence step, from 0) */
  | { kind: 'no-request'; expected: RequestMatch; step?: number }
  /** the request was sent, the answer was not the one asked for (the newest such exchange) */
  | { kind: 'response-differs'; exchange: HttpExchange; difference: ResponseDifference; step?: number }
  /** an answer check before the student typed anything */
  | { kind: 'no-answer' }
  /** the answer differs from the value in the newest matching exchange */
  | { kind: 'wrong-answer'; exchange: HttpExchange }
  /** the exchange holds no such value (e.g. the JSON path does not exist) */
  | { kind: 'no-value'; exchange: HttpExchange }
  /** the answer differs from the field of the newest matching message */
  | { kind: 'wrong-message-answer'; message: WireMessage }
  /** fewer matching messages than asked for (step: which sequence step, from 0) */
  | { kind: 'no-message'; expected: MessageMatch; found: number; needed: number; step?: number }
  /** a pick of a capture question (`capture`) that is not the message or exchange asked for */
  | WrongPick
  /** a `capture` check evaluated over traffic: it is judged over the lesson's capture file (evaluateCaptureAsk), never over a session's */
  | { kind: 'capture-file'; file: string };
