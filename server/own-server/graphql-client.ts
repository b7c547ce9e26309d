// GraphQL for the checks: a request over HTTP (POST with JSON, or GET with the query in the URL)
// read as a GraphQL response, and a graphql-transport-ws session over the hand-written WebSocket
// client (it must send what graphql-ws never would: a subscribe before connection_init, a second
// connection_init, a duplicate id). The pure readers at the top are unit-tested.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { SuiteContext } from './check-kit.ts';
import { httpExchange, mediaType, parseJson, type HttpAnswer } from './http-exchange.ts';
import { frameCloseCode, OPCODE, openWebSocket, type CheckedWebSocket, type Frame, type Handshake } from './websocket-client.ts';

export const GRAPHQL_PATH = '/graphql';
/** The subprotocol of graphql-ws (github.com/enisdenjo/graphql-ws, PROTOCOL.md). */
export const TRANSPORT_WS = 'graphql-transport-ws';
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

/** A response body as the GraphQL spec shapes it ("Response"): `data` only when execution started. */
export interface GraphqlBody {
  hasData: boolean;
  data: unknown;
  errors: unknown[] | null;
}

/** The body as a GraphQL response, or null when it is not a JSON object. */
export function readGraphqlBody(text: string): GraphqlBody | null {
  const parsed = parseJson(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const body = parsed as Record<string, unknown>;
  return { hasData: 'data' in body, data: body.data, errors: Array.isArray(body.errors) ? body.errors : null };
}

/** Every error has a string `message`; `locations`, where there are any, are `{ line, column }` of positive integers. */
export function errorsAreWellFormed(errors: readonly unknown[] | null, needLocations: boolean): boolean {
  if (!errors || errors.length === 0) return false;
  return errors.every((error) => {
    const { message, locations } = (error ?? {}) as { message?: unknown; locations?: unknown };
    if (typeof message !== 'string' || message.length === 0) return false;
    if (locations === undefined) return !needLocations;
    return Array.isArray(locations) && locations.length > 0 && locations.every(isLocation);
  });
}

function isLocation(value: unknown): boolean {
  const { line, column } = (value ?? {}) as { line?: unknown; column?: unknown };
  return Number.isInteger(line) && Number.isInteger(column) && (line as number) > 0 && (column as number) > 0;
}

/** Follows a path of keys into parsed JSON: `dig(data, 'user', 'email')`. */
export function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * A query `depth` fields deep over the contract's cycle User → posts → Post → author → User,
 * each list asked with `first: 1` so its cost stays small: only its depth is too much.
 * `nestedUserQuery(4, "1")` is `{ user(id: "1") { posts(first: 1) { author { name } } } }`.
 */
export function nestedUserQuery(depth: number, userId: string): string {
  if (depth < 2) throw new Error('a nested query is at least user and one field in it');
  // even levels are posts (a Post below), odd ones user and author (a User below)
  let selection = depth % 2 === 0 ? 'name' : 'title';
  for (let level = depth - 1; level >= 2; level -= 1) selection = `${level % 2 === 0 ? 'posts(first: 1)' : 'author'} { ${selection} }`;
  return `{ user(id: ${JSON.stringify(userId)}) { ${selection} } }`;
}

/** The path and query string of a GraphQL GET (GraphQL over HTTP, "GET"): the parameters URL-encoded. */
export function graphqlGetPath(request: GraphqlRequest): string {
  const parameters = new URLSearchParams({ query: request.query });
  if (request.variables) parameters.set('variables', JSON.stringify(request.variables));
  if (request.operationName) parameters.set('operationName', request.operationName);
  if (request.extensions) parameters.set('extensions', JSON.stringify(request.extensions));
  return `${GRAPHQL_PATH}?${parameters.toString()}`;
}

export interface GraphqlAnswer extends HttpAnswer {
  body: GraphqlBody | null;
  type: string;
}

function read(answer: HttpAnswer): GraphqlAnswer {
  return { ...answer, body: readGraphqlBody(answer.text), type: mediaType(answer.headers) };
}

export async function postGraphql(context: SuiteContext, request: GraphqlRequest, accept = 'application/json'): Promise<GraphqlAnswer> {
  return read(await httpExchange(context, { method: 'POST', path: GRAPHQL_PATH, headers: { accept, 'content-type': 'application/json' }, body: request }));
}

export async function getGraphql(context: SuiteContext, request: GraphqlRequest, accept = 'application/json'): Promise<GraphqlAnswer> {
  return read(await httpExchange(context, { method: 'GET', path: graphqlGetPath(request), headers: { accept } }));
}

// ——— graphql-transport-ws ———

export interface TransportMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/** A text frame holding a JSON object with a string `type`; null for anything else. */
export function readTransportMessage(frame: Frame): TransportMessage | null {
  if (frame.opcode !== OPCODE.text) return null;
  const parsed = parseJson(frame.payload.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { type?: unknown }).type !== 'string') return null;
  return parsed as TransportMessage;
}

/** How reading messages ended: the one looked for, a close frame, the end of TCP, or silence. */
export interface ReadOutcome {
  found: TransportMessage | null;
  seen: TransportMessage[];
  closeCode: number | null;
  ended: boolean;
  timedOut: boolean;
}

/** One graphql-transport-ws connection: messages out as JSON text frames, messages in read in order. */
export class TransportSession {
  constructor(
    readonly handshake: Handshake,
    private readonly socket: CheckedWebSocket,
    private readonly signal: AbortSignal,
  ) {}

  send(message: TransportMessage | string): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.socket.send({ opcode: OPCODE.text, payload: Buffer.from(text) });
  }

  /**
   * Reads until a message `wanted` accepts, a close frame, the end of the connection, or `ms` of
   * silence (not an error: a check judges it). A server's own `ping` is answered with `pong`,
   * as the protocol asks of either side.
   */
  async readUntil(wanted: (message: TransportMessage) => boolean, ms?: number): Promise<ReadOutcome> {
    const seen: TransportMessage[] = [];
    for (;;) {
      let frame: Frame | null;
      try {
        frame = await this.socket.next(ms);
      } catch (error) {
        if (this.signal.aborted) throw error;
        return { found: null, seen, closeCode: null, ended: false, timedOut: true };
      }
      if (!frame) return { found: null, seen, closeCode: null, ended: true, timedOut: false };
      if (frame.opcode === OPCODE.close) return { found: null, seen, closeCode: frameCloseCode(frame), ended: false, timedOut: false };
      const message = readTransportMessage(frame);
      if (!message) continue;
      seen.push(message);
      if (message.type === 'ping' && !wanted(message)) this.send({ type: 'pong' });
      if (wanted(message)) return { found: message, seen, closeCode: null, ended: false, timedOut: false };
    }
  }

  /** connection_init, then waits for connection_ack. */
  async initialise(): Promise<ReadOutcome> {
    this.send({ type: 'connection_init', payload: {} });
    return this.readUntil((message) => message.type === 'connection_ack');
  }

  /** Both ways, as the report shows them. */
  transcript(): { sent: string; got: string } {
    const log = this.socket.log;
    return {
      sent: `${this.handshake.sent}\n${log.filter((line) => line.startsWith('→')).join('\n')}`,
      got: `${this.handshake.got}\n\n${log.join('\n')}`,
    };
  }

  close(): void {
    this.socket.close();
  }
}

/** Opens `/graphql` offering `graphql-transport-ws`; the session is null when the answer was not 101. */
export async function openTransport(context: SuiteContext): Promise<{ handshake: Handshake; session: TransportSession | null }> {
  const handshake = await openWebSocket(context, GRAPHQL_PATH, TRANSPORT_WS);
  return { handshake, session: handshake.connection ? new TransportSession(handshake, handshake.connection, context.signal) : null };
}

/** The difference a close-code check reports. */
export function closedWith(outcome: ReadOutcome, code: number): [boolean, Bilingual] {
  if (outcome.closeCode === code) return [true, { en: '', ru: '' }];
  if (outcome.closeCode !== null)
    return [false, { en: `closed with ${outcome.closeCode}, not ${code}`, ru: `закрыто с кодом ${outcome.closeCode}, а не ${code}` }];
  if (outcome.ended) return [false, { en: `TCP closed without a close frame (expected ${code})`, ru: `TCP закрыт без закрывающего кадра (ожидался ${code})` }];
  if (outcome.timedOut)
    return [
      false,
      { en: `the connection stayed open (expected a close with ${code})`, ru: `соединение осталось открытым (ожидалось закрытие с кодом ${code})` },
    ];
  const types = outcome.seen.map((message) => message.type).join(', ');
  return [false, { en: `answered ${types} instead of closing with ${code}`, ru: `ответ ${types} вместо закрытия с кодом ${code}` }];
}
