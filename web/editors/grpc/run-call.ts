import type { Bilingual } from '../../../shared/bilingual.ts';
import { describeProtobufJsonError } from '../json-error.ts';
import {
  create,
  fromJson,
  toJson,
  type DescMethod,
  type DescMethodStreaming,
  type DescMethodUnary,
  type JsonValue,
  type Message,
  type Registry,
} from '@bufbuild/protobuf';
import { Code, ConnectError, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web';
import type { GrpcProtocol } from './grpc-cell-config.ts';
import { headerPairs, type CallEvent, type HeaderPairs } from './call-log.ts';
import { OK_STATUS, statusOfError } from './call-status.ts';

export function transportFor(protocol: GrpcProtocol, registry: Registry, baseUrl: string, fetch: typeof globalThis.fetch = globalThis.fetch): Transport {
  // The page's own origin: the session cookie goes along by itself (same origin), so the call
  // runs in the student's sandbox and its bytes land in their inspector.
  const jsonOptions = { registry };
  switch (protocol) {
    case 'connect-json':
      return createConnectTransport({ baseUrl, useBinaryFormat: false, jsonOptions, fetch });
    case 'connect-binary':
      return createConnectTransport({ baseUrl, useBinaryFormat: true, jsonOptions, fetch });
    case 'grpc-web':
      return createGrpcWebTransport({ baseUrl, useBinaryFormat: true, jsonOptions, fetch });
  }
}

/**
 * The trailers of a failed call. ConnectError's metadata holds the HTTP response headers and the
 * trailers together; only what did not come as a response header is a trailer: gRPC-Web's trailers
 * frame inside the body, Connect streaming's end-of-stream metadata, Connect unary's `trailer-`
 * headers (the transport strips the prefix). A Connect unary error has no other trailers: its
 * status is the JSON body.
 */
export function trailersOfError(metadata: Headers, responseHeaders: Headers | undefined): HeaderPairs {
  if (!responseHeaders) return headerPairs(metadata);
  return headerPairs(metadata).filter(([name, value]) => responseHeaders.get(name) !== value);
}

/** Longest stretch of handling streamed messages before the page gets a turn. */
const YIELD_EVERY_MS = 30;

export interface RunCallOptions {
  method: DescMethod;
  protocol: GrpcProtocol;
  registry: Registry;
  baseUrl: string;
  request: JsonValue;
  metadata: Record<string, string>;
  timeoutMs?: number;
  signal: AbortSignal;
  /** every event as it happens: headers, each message of a server stream, then the status */
  onEvent(event: CallEvent): void;
  now?(): number;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
}

/** Whether the call's request left the browser (only then can the tap have captured it). */
export interface CallOutcome {
  reachedServer: boolean;
}

/**
 * A unary or server-streaming call over Connect or gRPC-Web with fetch. Never throws: a failure
 * (bad request JSON, a non-OK status, an abort) ends in a `status` or `error` event.
 */
export async function runBrowserCall(options: RunCallOptions): Promise<CallOutcome> {
  const { method, registry, signal, onEvent } = options;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const at = () => Math.round((now() - started) * 10) / 10;
  let input: Message;
  try {
    input = fromJson(method.input, options.request, { registry });
  } catch (error) {
    onEvent({ kind: 'error', text: requestJsonProblem(error, method), at: 0 });
    return { reachedServer: false };
  }
  // The HTTP response as fetch gave it: on an error the transport hands over only its headers
  // and trailers merged, and the log shows them apart.
  let httpResponse: Response | undefined;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const fetchKeepingResponse: typeof globalThis.fetch = async (input, init) => {
    const response = await baseFetch(input, init);
    httpResponse = response;
    return response;
  };
  const transport = transportFor(options.protocol, registry, options.baseUrl, fetchKeepingResponse);
  let header: Headers;
  try {
    header = new Headers(options.metadata);
  } catch {
    onEvent({ kind: 'error', text: METADATA_REFUSED, at: 0 });
    return { reachedServer: false };
  }
  let answered = false;
  const deadline = clientDeadline(options.protocol, options.timeoutMs, header, signal);
  onEvent({ kind: 'started', at: 0 });
  let sawHeaders = false;
  try {
    if (method.methodKind === 'unary') {
      const response = await transport.unary(method as DescMethodUnary, deadline.signal, undefined, header, input);
      answered = true;
      onEvent({ kind: 'headers', headers: headerPairs(response.header), at: at() });
      onEvent({ kind: 'message', index: 0, message: toJson(method.output, response.message, { registry }), at: at() });
      onEvent({ kind: 'status', status: OK_STATUS, trailers: headerPairs(response.trailer), at: at() });
    } else if (method.methodKind === 'server_streaming') {
      const response = await transport.stream(method as DescMethodStreaming, deadline.signal, undefined, header, oneMessage(create(method.input, input)));
      answered = true;
      onEvent({ kind: 'headers', headers: headerPairs(response.header), at: at() });
      sawHeaders = true;
      let index = 0;
      let slice = performance.now();
      for await (const message of response.message) {
        onEvent({ kind: 'message', index: index++, message: toJson(method.output, message, { registry }), at: at() });
        // One network read can hold thousands of messages, and the iterator hands them all out
        // in microtasks: give the page (rendering, the inspector) a turn now and then.
        if (performance.now() - slice > YIELD_EVERY_MS) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          slice = performance.now();
        }
      }
      onEvent({ kind: 'status', status: OK_STATUS, trailers: headerPairs(response.trailer), at: at() });
    } else {
      onEvent({
        kind: 'error',
        text: { en: 'This method streams requests: use the runner.', ru: 'Этот метод принимает поток запросов: нужен раннер.' },
        at: 0,
      });
      return { reachedServer: false };
    }
    return { reachedServer: true };
  } catch (error) {
    const connectError = ConnectError.from(error);
    const responseHeaders = httpResponse?.headers;
    const trailers = trailersOfError(connectError.metadata, responseHeaders);
    // The page's own Cancel: the browser's abort reason ("signal is aborted without reason") is
    // no status a server sent, so the log says what happened in the reader's language.
    if (signal.aborted) {
      onEvent({ kind: 'error', text: answered ? CANCELLED_STREAM : CANCELLED_CALL, at: at() });
      onEvent({ kind: 'status', status: { ...statusOfError(connectError, registry), message: '' }, trailers, at: at() });
      return { reachedServer: answered };
    }
    // fetch itself failed (no answer at all): nothing came back to show as a status
    if (!answered && httpResponse === undefined && isNetworkFailure(connectError)) {
      onEvent({ kind: 'error', text: NETWORK_FAILURE, at: at() });
      return { reachedServer: false };
    }
    const headersShown = method.methodKind === 'server_streaming' && sawHeaders;
    if (responseHeaders && !headersShown) onEvent({ kind: 'headers', headers: headerPairs(responseHeaders), at: at() });
    onEvent({ kind: 'status', status: statusOfError(connectError, registry), trailers, at: at() });
    return { reachedServer: true };
  } finally {
    deadline.clear();
  }
}

const METADATA_REFUSED = {
  en: 'The browser refused this metadata: a header value may hold only printable ASCII characters.',
  ru: 'Браузер не принял эти метаданные: значение заголовка может содержать только печатные символы ASCII.',
};
const CANCELLED_CALL = {
  en: 'You cancelled the call before the server answered.',
  ru: 'Вы отменили вызов до ответа сервера.',
};
const CANCELLED_STREAM = {
  en: 'You cancelled the call: the browser stopped reading the stream and closed the request.',
  ru: 'Вы отменили вызов: браузер перестал читать поток и закрыл запрос.',
};
const NETWORK_FAILURE = {
  en: 'The request did not reach the server (the network or the browser stopped it), so there is no status to show.',
  ru: 'Запрос не дошёл до сервера (его остановила сеть или браузер), поэтому статуса нет.',
};

function isNetworkFailure(error: ConnectError): boolean {
  return error.cause instanceof TypeError || /Failed to fetch|NetworkError|Load failed/.test(error.rawMessage);
}

/**
 * How long after the deadline the client gives up by itself. A real client stops waiting at the
 * deadline; here the server's own DEADLINE_EXCEEDED answer should reach the wire (and the
 * inspector, and the exercise checks) first, so the page waits this much longer.
 */
export const CLIENT_DEADLINE_GRACE_MS = 1000;

/**
 * The deadline goes out as the protocol's header (`connect-timeout-ms: 500`, `grpc-timeout: 500m`),
 * set here rather than by the transport, whose own timer would race the server's answer.
 */
export function clientDeadline(
  protocol: GrpcProtocol,
  timeoutMs: number | undefined,
  header: Headers,
  signal: AbortSignal,
): { signal: AbortSignal; clear(): void } {
  if (timeoutMs === undefined) return { signal, clear: () => undefined };
  if (protocol === 'grpc-web') header.set('grpc-timeout', `${timeoutMs}m`);
  else header.set('connect-timeout-ms', String(timeoutMs));
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new ConnectError(`no answer ${CLIENT_DEADLINE_GRACE_MS} ms after the deadline`, Code.DeadlineExceeded)),
    timeoutMs + CLIENT_DEADLINE_GRACE_MS,
  );
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}

async function* oneMessage<T>(message: T): AsyncIterable<T> {
  yield message;
}

function requestJsonProblem(error: unknown, method: DescMethod): Bilingual {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    en: `The request JSON does not fit the input message: ${describeProtobufJsonError(detail, 'en', method.input.typeName)}`,
    ru: `JSON запроса не соответствует входному сообщению метода: ${describeProtobufJsonError(detail, 'ru', method.input.typeName)}`,
  };
}
