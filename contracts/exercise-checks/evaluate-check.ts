import type { HeaderList, HttpExchange, WireMessage } from '../../wire/types.ts';
import { isAppTraffic } from './app-traffic.ts';
import { sha1 } from '../../wire/websocket/sha1.ts';
import { WEBSOCKET_GUID } from '../../wire/websocket/websocket-handshake.ts';
import { checkNeedsAnswer, splitReference } from './check-reading.ts';
import { ownServerFixedExchange } from './own-server-fixed.ts';
import type {
  AnswerSource,
  Check,
  CheckMiss,
  CheckResult,
  ExchangeMatch,
  MessageMatch,
  PresenceOrPattern,
  RequestMatch,
  ResponseDifference,
  ResponseMatch,
} from './check-types.ts';

export { checkNeedsAnswer, splitReference };
export type { AnswerSource, Check, CheckMiss, CheckResult, ExchangeMatch, MessageMatch, PresenceOrPattern, RequestMatch, ResponseDifference, ResponseMatch };

/**
 * Does the student's real traffic satisfy a check (lessons/README.md, "Checks")?
 * `exchanges` are the ones captured since the lesson was opened, in any order.
 */
export function evaluateCheck(check: Check, exchanges: readonly HttpExchange[], answer?: string, messages: readonly WireMessage[] = []): CheckResult {
  const chronological = [...exchanges].sort(byRequestTime);
  switch (check.type) {
    case 'message':
      return evaluateMessages([check.match], messages, check.count ?? 1);
    case 'message-sequence':
      return evaluateMessages(check.steps, messages, 1);
    case 'exchange':
      return evaluateSequence([check], chronological);
    case 'sequence':
      return evaluateSequence(check.steps, chronological, true, messages);
    case 'answer':
      return evaluateAnswer(check, chronological, answer);
    case 'message-answer':
      return evaluateMessageAnswer(check, messages, answer);
    case 'own-server-fixed':
      // the page's reading of the server's verdict in its captured answer; the server asks its run history instead
      return evaluateSequence([ownServerFixedExchange(check.protocol)], chronological);
    case 'capture':
      // asked about the lesson's capture file, not the session's traffic: evaluateCaptureAsk judges it over that file
      return { passed: false, miss: { kind: 'capture-file', file: check.file } };
  }
}

function evaluateMessageAnswer(check: Extract<Check, { type: 'message-answer' }>, messages: readonly WireMessage[], answer: string | undefined): CheckResult {
  const newest = [...messages]
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .findLast((message) => matchesMessage(check.match, message) && message.fields?.[check.field] !== undefined);
  if (!newest) return { passed: false, miss: { kind: 'no-message', expected: check.match, found: 0, needed: 1 } };
  if (answer === undefined || answer.trim() === '') return { passed: false, miss: { kind: 'no-answer' } };
  return sameAnswer(answer, String(newest.fields![check.field]))
    ? { passed: true, exchanges: [], messages: [newest] }
    : { passed: false, miss: { kind: 'wrong-message-answer', message: newest } };
}

/** Candidate messages a sequence tries before it gives up (a pathological capture must not hang the page). */
const SEQUENCE_SEARCH_BUDGET = 200_000;

function evaluateMessages(steps: MessageMatch[], messages: readonly WireMessage[], count: number): CheckResult {
  const chronological = [...messages].sort((a, b) => a.at - b.at || a.index - b.index);
  if (steps.length === 1) {
    const matching = chronological.filter((message) => matchesMessage(steps[0], message));
    if (matching.length < count)
      return { passed: false, miss: { kind: 'no-message', expected: steps[0], found: matching.length, needed: count, step: undefined } };
    return { passed: true, exchanges: [], messages: matching.slice(0, count) };
  }
  // Steps may refer to what earlier steps matched (sameAs, sameConnectionAs), so the earliest
  // message for a step is not always the right one: a depth-first search, earliest first.
  const chosen: WireMessage[] = [];
  let deepest = { step: 0, from: 0 };
  let budget = SEQUENCE_SEARCH_BUDGET;
  const search = (step: number, from: number): boolean => {
    if (step === steps.length) return true;
    if (step > deepest.step || (step === deepest.step && from < deepest.from)) deepest = { step, from };
    for (let at = from; at < chronological.length && budget > 0; at++) {
      budget--;
      const message = chronological[at];
      if (!matchesMessage(steps[step], message) || !matchesEarlier(steps[step], message, chosen)) continue;
      if (step > 0 && crossesExcluded(steps[step].without, chronological.slice(from, at), chosen)) continue;
      chosen.push(message);
      if (search(step + 1, at + 1)) return true;
      chosen.pop();
    }
    return false;
  };
  if (search(0, 0)) return { passed: true, exchanges: [], messages: [...chosen] };
  const expected = steps[deepest.step];
  const found = chronological.slice(deepest.from).filter((message) => matchesMessage(expected, message)).length;
  return { passed: false, miss: { kind: 'no-message', expected, found, needed: 1, step: deepest.step } };
}

/** Does any message between two steps match one of a step's `without` patterns? */
function crossesExcluded(without: MessageMatch[] | undefined, between: readonly WireMessage[], earlier: readonly WireMessage[]): boolean {
  if (!without || without.length === 0) return false;
  return between.some((message) => without.some((match) => matchesMessage(match, message) && matchesEarlier(match, message, earlier)));
}

/** Does a message agree with what earlier steps matched (`sameAs`, `sameConnectionAs`)? */
function matchesEarlier(match: MessageMatch, message: WireMessage, earlier: readonly WireMessage[]): boolean {
  if (match.sameConnectionAs !== undefined && earlier[match.sameConnectionAs]?.conn !== message.conn) return false;
  return Object.entries(match.sameAs ?? {}).every(([name, reference]) => {
    const [step, field] = splitReference(reference);
    const value = earlier[step]?.fields?.[field];
    return value !== undefined && message.fields?.[name] === value;
  });
}

export function matchesMessage(match: MessageMatch, message: WireMessage): boolean {
  if (message.layer !== match.layer) return false;
  if (match.dir && message.dir !== match.dir) return false;
  return Object.entries(match.fields ?? {}).every(([name, expected]) => {
    const actual = message.fields?.[name];
    if (actual === undefined) return false;
    if (typeof expected === 'string' && expected.length > 1 && expected.startsWith('/') && expected.endsWith('/')) {
      return new RegExp(expected.slice(1, -1)).test(String(actual));
    }
    return actual === expected;
  });
}

function evaluateSequence(steps: ExchangeMatch[], chronological: HttpExchange[], numbered = false, messages: readonly WireMessage[] = []): CheckResult {
  const found: HttpExchange[] = [];
  let from = 0;
  for (const [step, match] of steps.entries()) {
    const at = chronological.findIndex(
      (exchange, index) => index >= from && matchesExchange(match, exchange) && carriesInTime(match, steps[step - 1], exchange, chronological, messages),
    );
    if (at === -1) return { passed: false, miss: nearestMiss(match, chronological.slice(from), numbered ? step : undefined) };
    found.push(chronological[at]);
    from = at + 1;
  }
  return { passed: true, exchanges: found };
}

/**
 * A step's `carries` (check-types.ts): a message of the exchange's own body matches, earlier than
 * the first request after this exchange's that matches the previous step's request.
 */
function carriesInTime(
  match: ExchangeMatch,
  previous: ExchangeMatch | undefined,
  exchange: HttpExchange,
  chronological: readonly HttpExchange[],
  messages: readonly WireMessage[],
): boolean {
  if (!match.carries) return true;
  const group = `exchange ${exchange.index}`;
  const later = previous?.request
    ? chronological.find((other) => other.request.firstByteAt > exchange.request.firstByteAt && matchesRequest(previous.request!, other))
    : undefined;
  const deadline = later?.request.firstByteAt ?? Number.POSITIVE_INFINITY;
  return messages.some(
    (message) => message.conn === exchange.conn && message.group === group && message.at < deadline && matchesMessage(match.carries!, message),
  );
}

function evaluateAnswer(check: Extract<Check, { type: 'answer' }>, chronological: HttpExchange[], answer: string | undefined): CheckResult {
  const { after } = check;
  const newest = chronological.findLast(
    (exchange, at) => matchesExchange(check.exchange, exchange) && (!after || chronological.slice(0, at).some((earlier) => matchesExchange(after, earlier))),
  );
  if (!newest) {
    const first = after && !chronological.some((exchange) => matchesExchange(after, exchange)) ? after : check.exchange;
    return { passed: false, miss: nearestMiss(first, chronological) };
  }
  if (answer === undefined || answer.trim() === '') return { passed: false, miss: { kind: 'no-answer' } };
  const expected = readAnswer(check.expect, newest, chronological);
  if (expected === undefined || (check.atLeast !== undefined && !(Number(expected) >= check.atLeast)))
    return { passed: false, miss: { kind: 'no-value', exchange: newest } };
  const typed = check.expect.from === 'websocket-key-sha1' ? answer.replace(/\s+/g, '').toLowerCase() : answer;
  return sameAnswer(typed, expected) ? { passed: true, exchanges: [newest] } : { passed: false, miss: { kind: 'wrong-answer', exchange: newest } };
}

function nearestMiss(match: ExchangeMatch, chronological: HttpExchange[], step?: number): CheckMiss {
  const sameRequest = chronological.findLast((exchange) => matchesRequest(match.request ?? {}, exchange));
  if (!sameRequest) return { kind: 'no-request', expected: match.request ?? {}, step };
  return { kind: 'response-differs', exchange: sameRequest, difference: responseDifference(match.response ?? {}, sameRequest)!, step };
}

function byRequestTime(a: HttpExchange, b: HttpExchange): number {
  return a.request.firstByteAt - b.request.firstByteAt || a.index - b.index;
}

export function matchesExchange(match: ExchangeMatch, exchange: HttpExchange): boolean {
  return matchesRequest(match.request ?? {}, exchange) && responseDifference(match.response ?? {}, exchange) === null;
}

export function matchesRequest(match: RequestMatch, exchange: HttpExchange): boolean {
  const { request } = exchange;
  if (match.method !== undefined && request.method.toUpperCase() !== match.method.toUpperCase()) return false;
  if (match.path !== undefined && !new RegExp(match.path).test(request.path)) return false;
  if (match.query && !matchesPairs(match.query, request.query, false)) return false;
  if (match.headers && !matchesPairs(match.headers, request.headers, true)) return false;
  if (match.bodyJson !== undefined) {
    const body = parseJson(request.body);
    if (match.bodyJsonExact ? !sameJson(body, match.bodyJson) : !containsJson(body, match.bodyJson)) return false;
  }
  return true;
}

/** Equal JSON values (objects by key, in any order). */
function sameJson(actual: unknown, expected: unknown): boolean {
  return containsJson(actual, expected) && containsJson(expected, actual);
}

/** null when the response matches; otherwise the first thing that differs. */
export function responseDifference(match: ResponseMatch, exchange: HttpExchange): ResponseDifference | null {
  const { response } = exchange;
  const needsResponse = match.status !== undefined || match.headers !== undefined || match.bodyJson !== undefined || match.bodyText !== undefined;
  if (!needsResponse) return null;
  if (!response || !response.complete) return { what: 'no-response' };
  if (match.status !== undefined) {
    const expected = Array.isArray(match.status) ? match.status : [match.status];
    if (!expected.includes(response.status)) return { what: 'status', got: response.status, expected };
  }
  for (const [name, rule] of Object.entries(match.headers ?? {})) {
    const value = headerValue(response.headers, name);
    if (!matchesRule(rule, value)) return { what: 'header', name, got: value };
  }
  if (match.bodyJson !== undefined && !containsJson(parseJson(response.body), match.bodyJson)) return { what: 'body' };
  if (match.bodyText !== undefined && !new RegExp(match.bodyText).test(new TextDecoder().decode(response.body))) return { what: 'body' };
  return null;
}

function matchesPairs(rules: PresenceOrPattern, pairs: Array<[string, string]>, caseInsensitiveNames: boolean): boolean {
  return Object.entries(rules).every(([name, rule]) => {
    const values = pairs.filter(([key]) => (caseInsensitiveNames ? key.toLowerCase() === name.toLowerCase() : key === name)).map(([, value]) => value);
    if (rule === false) return values.length === 0;
    return values.length > 0 && values.some((value) => matchesRule(rule, value));
  });
}

function matchesRule(rule: boolean | string, value: string | null): boolean {
  if (value === null || rule === false) return false;
  return rule === true || new RegExp(rule).test(value);
}

export function headerValue(headers: HeaderList, name: string): string | null {
  const found = headers.find(([key]) => key.toLowerCase() === name.toLowerCase());
  return found ? found[1] : null;
}

const NOT_JSON = Symbol('not json');

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return NOT_JSON;
  }
}

/** Does `actual` contain `expected`: objects by key, arrays element by element, the rest equal. */
export function containsJson(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length <= actual.length && expected.every((item, index) => containsJson(actual[index], item));
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  const record = actual as Record<string, unknown>;
  return Object.entries(expected).every(([key, value]) => key in record && containsJson(record[key], value));
}

function readAnswer(source: AnswerSource, exchange: HttpExchange, chronological: readonly HttpExchange[]): string | undefined {
  const { request, response } = exchange;
  switch (source.from) {
    case 'request-body-offset':
      return String(request.bodyStart - request.range.start);
    case 'response-body-offset':
      return response ? String(response.bodyStart - response.range.start) : undefined;
    case 'connection-index':
      // the page's own requests (the capture channel, the session…) may share the connection, but
      // the timeline hides them and the student counts what they see: their own requests
      return String(
        chronological.filter((earlier) => earlier.conn === exchange.conn && earlier.index < exchange.index && !isAppTraffic(earlier.request)).length,
      );
    case 'response-header':
      return response ? (headerValue(response.headers, source.name) ?? undefined) : undefined;
    case 'websocket-key-sha1': {
      const key = headerValue(request.headers, 'sec-websocket-key');
      if (key === null) return undefined;
      return [...sha1(new TextEncoder().encode(key.trim() + WEBSOCKET_GUID))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    }
    case 'response-json': {
      if (!response) return undefined;
      let value = parseJson(response.body);
      for (const key of source.path.split('.')) {
        if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      if (value === NOT_JSON || value === undefined) return undefined;
      return typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
}

/** Forgiving about what a person types around a value: spaces, quotes, number formatting. */
function sameAnswer(typed: string, expected: string): boolean {
  const normalize = (text: string) =>
    text
      .trim()
      .replace(/^"(.*)"$/s, '$1')
      .trim();
  const a = normalize(typed);
  const b = normalize(expected);
  if (a === b) return true;
  const numberA = Number(a);
  const numberB = Number(b);
  return a !== '' && b !== '' && Number.isFinite(numberA) && numberA === numberB;
}
