// The gRPC runner's control channel (`/_wirelab/grpc-runner`): the browser drives real gRPC calls
// that the server makes over h2c (client and bidi streaming, which fetch cannot send). Both ends
// import this file: the server (server/protocols/grpc/runner/) parses with `parseClientMessage`,
// the browser (web/editors/grpc/) with `parseRunnerMessage`. PROTOCOL.md beside it describes the
// channel. Pure TypeScript: no Node, no DOM.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { JsonValue } from '@bufbuild/protobuf';

export const RUNNER_CHANNEL_PATH = '/_wirelab/grpc-runner';

/**
 * The same channel with calls to the student's own server (PROTOCOL.md, "Aimed at my server"):
 * `?target=host:port`; Wirelab's server makes every call over h2c through the guarded, tapped
 * connection of server/own-server/.
 */
export const OWN_SERVER_RUNNER_PATH = '/_wirelab/own-server/grpc-runner';

/** Close codes of the channel. */
export const RUNNER_CLOSE = { shuttingDown: 1001, noSession: 1008, messageTooBig: 1009, tooManyChannels: 1013, idle: 4408 } as const;

export const CALL_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Metadata the runner sets itself (or HTTP/2 forbids); the browser may not send it. */
export const RESERVED_HEADERS = new Set([
  'cookie',
  'host',
  'content-type',
  'te',
  'user-agent',
  'grpc-timeout',
  'grpc-encoding',
  'grpc-accept-encoding',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'proxy-connection',
]);
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

/** Browser → server. */
export type RunnerClientMessage =
  | { type: 'start'; call: string; method: string; metadata: Record<string, string>; timeoutMs?: number; messages: unknown[]; end: boolean }
  | { type: 'send'; call: string; message: unknown }
  | { type: 'end'; call: string }
  | { type: 'cancel'; call: string };

export type RunnerErrorReason =
  | 'bad-json'
  | 'bad-message'
  | 'unknown-call'
  | 'duplicate-call'
  | 'unknown-method'
  | 'bad-request-message'
  | 'reserved-header'
  | 'too-many-calls'
  | 'call-ended'
  | 'internal'
  // a call to the student's own server (OWN_SERVER_RUNNER_PATH) that ended without a status:
  | 'refused' // the guard: not the student's machine, OWN_SERVERS=off, too many connections
  | 'connection' // the connection failed: refused, reset after N bytes, more than the byte cap
  | 'no-answer' // no response headers within the wait after the request side closed
  | 'no-grpc-status'; // the answer ended with no grpc-status in its trailers

export interface RunnerError {
  type: 'error';
  call?: string;
  reason: RunnerErrorReason;
  message: Bilingual;
}

/** A browser message the runner refuses: reported as an `error` message, the channel stays open. */
export class RunnerProtocolError extends Error {
  constructor(
    readonly reason: RunnerErrorReason,
    readonly text: Bilingual,
    readonly call?: string,
  ) {
    super(text.en);
  }

  toMessage(): RunnerError {
    return { type: 'error', ...(this.call ? { call: this.call } : {}), reason: this.reason, message: this.text };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badMessage(en: string, ru: string, call?: string): RunnerProtocolError {
  return new RunnerProtocolError('bad-message', { en, ru }, call);
}

/** Parses one text frame from the browser (the server's side); throws RunnerProtocolError with the reason to report. */
export function parseClientMessage(raw: string, maxTimeoutMs: number): RunnerClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new RunnerProtocolError('bad-json', { en: 'A control message must be JSON.', ru: 'Управляющее сообщение должно быть в формате JSON.' });
  }
  if (!isObject(value)) {
    throw new RunnerProtocolError('bad-json', { en: 'A control message must be a JSON object.', ru: 'Управляющее сообщение должно быть JSON-объектом.' });
  }
  const call = value.call;
  if (typeof call !== 'string' || !CALL_ID.test(call)) {
    throw badMessage('"call" must be 1..64 characters of A-Z, a-z, 0-9, "_" or "-".', '«call» — от 1 до 64 символов: латинские буквы, цифры, «_» или «-».');
  }
  switch (value.type) {
    case 'start': {
      if (typeof value.method !== 'string' || value.method.length === 0) {
        throw badMessage('"method" must name a method: "package.Service/Method".', '«method» должен называть метод: «package.Service/Method».', call);
      }
      const metadata = value.metadata ?? {};
      if (!isObject(metadata)) throw badMessage('"metadata" must be an object of strings.', '«metadata» должен быть объектом со строковыми значениями.', call);
      const headers: Record<string, string> = {};
      for (const [rawName, headerValue] of Object.entries(metadata)) {
        const name = rawName.toLowerCase();
        if (typeof headerValue !== 'string' || !HEADER_NAME.test(name) || /[\r\n\0]/.test(headerValue)) {
          throw badMessage(
            `Metadata "${rawName}" must be a valid header name with a string value.`,
            `Метаданные «${rawName}»: нужно допустимое имя заголовка и строковое значение.`,
            call,
          );
        }
        if (RESERVED_HEADERS.has(name) || name.startsWith(':')) {
          throw new RunnerProtocolError('reserved-header', { en: `The runner sets "${name}" itself.`, ru: `Заголовок «${name}» раннер выставляет сам.` }, call);
        }
        headers[name] = headerValue;
      }
      const timeoutMs = value.timeoutMs;
      if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > maxTimeoutMs)) {
        throw badMessage(`"timeoutMs" must be an integer from 1 to ${maxTimeoutMs}.`, `«timeoutMs» — целое число от 1 до ${maxTimeoutMs}.`, call);
      }
      const messages = value.messages ?? [];
      if (!Array.isArray(messages)) throw badMessage('"messages" must be an array.', '«messages» должен быть массивом.', call);
      if (value.end !== undefined && typeof value.end !== 'boolean') throw badMessage('"end" must be true or false.', '«end» — true или false.', call);
      return { type: 'start', call, method: value.method, metadata: headers, timeoutMs: timeoutMs as number | undefined, messages, end: value.end === true };
    }
    case 'send':
      if (!('message' in value)) throw badMessage('"send" needs a "message".', 'В «send» нужно поле «message».', call);
      return { type: 'send', call, message: value.message };
    case 'end':
    case 'cancel':
      return { type: value.type, call };
    default:
      throw badMessage('"type" must be "start", "send", "end" or "cancel".', '«type» должен быть «start», «send», «end» или «cancel».', call);
  }
}

/** A method the server serves, as the hello lists it for the browser's method picker. */
export interface RunnerMethod {
  name: string;
  path: string;
  kind: 'unary' | 'server_streaming' | 'client_streaming' | 'bidi_streaming';
  input: string;
  output: string;
}

export interface RunnerLimitsAnnounced {
  maxCalls: number;
  maxMessageBytes: number;
  idleTimeoutMs: number;
  maxTimeoutMs: number;
}

/** One `google.rpc.Status` detail: protobuf JSON when the runner knows the type, else its bytes. */
export type RunnerStatusDetail = { type: string; value?: JsonValue; base64?: string };

/** Server → browser. `t` is ms since the Unix epoch on the server's clock. */
export type RunnerServerMessage =
  | { type: 'hello'; target: string; limits: RunnerLimitsAnnounced; services: Array<{ name: string; methods: RunnerMethod[] }> }
  | { type: 'started'; call: string; t: number }
  | { type: 'sent'; call: string; index: number; t: number }
  | { type: 'ended'; call: string; t: number }
  /** `trailersOnly`: the headers and the status came in one HEADERS frame (a Trailers-Only answer) */
  | { type: 'headers'; call: string; headers: Record<string, string>; trailersOnly?: boolean; t: number }
  | { type: 'message'; call: string; index: number; message: JsonValue; t: number }
  | {
      type: 'status';
      call: string;
      code: number;
      name: string;
      message: string;
      details: RunnerStatusDetail[];
      trailers: Record<string, string>;
      trailersOnly?: boolean;
      durationMs: number;
      t: number;
    }
  | RunnerError;

/** A server message read defensively (the browser's side): null when it is not one the browser understands. */
export function parseRunnerMessage(raw: string): RunnerServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  switch (value.type) {
    case 'hello':
      return typeof value.target === 'string' && isObject(value.limits) ? (value as unknown as RunnerServerMessage) : null;
    case 'started':
    case 'ended':
    case 'sent':
    case 'headers':
    case 'message':
    case 'status':
      return typeof value.call === 'string' && typeof value.t === 'number' ? (value as unknown as RunnerServerMessage) : null;
    case 'error':
      return typeof value.reason === 'string' && isObject(value.message) ? (value as unknown as RunnerServerMessage) : null;
    default:
      return null;
  }
}
