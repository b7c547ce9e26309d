/**
 * The runner's control protocol (README.md beside the folder, "Control protocol"): what the
 * browser may send, checked here, and what the server sends back. One module owns the format.
 */

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

export type ClientMessage =
  | { type: 'start'; call: string; method: string; metadata: Record<string, string>; timeoutMs?: number; messages: unknown[]; end: boolean }
  | { type: 'send'; call: string; message: unknown }
  | { type: 'end'; call: string }
  | { type: 'cancel'; call: string };

export type ErrorReason =
  | 'bad-json'
  | 'bad-message'
  | 'unknown-call'
  | 'duplicate-call'
  | 'unknown-method'
  | 'bad-request-message'
  | 'reserved-header'
  | 'too-many-calls'
  | 'call-ended'
  | 'internal';

export interface RunnerError {
  type: 'error';
  call?: string;
  reason: ErrorReason;
  message: { en: string; ru: string };
}

export class ProtocolError extends Error {
  constructor(
    readonly reason: ErrorReason,
    readonly text: { en: string; ru: string },
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

function badMessage(en: string, ru: string, call?: string): ProtocolError {
  return new ProtocolError('bad-message', { en, ru }, call);
}

/** Parses one text frame from the browser; throws ProtocolError with the reason to report. */
export function parseClientMessage(raw: string, maxTimeoutMs: number): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ProtocolError('bad-json', { en: 'A control message must be JSON.', ru: 'Управляющее сообщение должно быть в формате JSON.' });
  }
  if (!isObject(value)) {
    throw new ProtocolError('bad-json', { en: 'A control message must be a JSON object.', ru: 'Управляющее сообщение должно быть JSON-объектом.' });
  }
  const call = value.call;
  if (typeof call !== 'string' || !CALL_ID.test(call)) {
    throw badMessage(
      '"call" must be 1..64 characters of A-Z, a-z, 0-9, "_" or "-".',
      '«call» — от 1 до 64 символов: латинские буквы, цифры, «_» или «-».',
    );
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
          throw badMessage(`Metadata "${rawName}" must be a valid header name with a string value.`, `Метаданные «${rawName}»: нужно допустимое имя заголовка и строковое значение.`, call);
        }
        if (RESERVED_HEADERS.has(name) || name.startsWith(':')) {
          throw new ProtocolError(
            'reserved-header',
            { en: `The runner sets "${name}" itself.`, ru: `Заголовок «${name}» раннер выставляет сам.` },
            call,
          );
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
      throw badMessage(
        '"type" must be "start", "send", "end" or "cancel".',
        '«type» должен быть «start», «send», «end» или «cancel».',
        call,
      );
  }
}
