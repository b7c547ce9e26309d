import { fromJson, toJson, type DescMethod, type JsonValue, type Message, type Registry } from '@bufbuild/protobuf';
import { Code, ConnectError, type Interceptor, type Transport } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import type { ClientSessionOptions } from 'node:http2';
import { base64Encode } from '@bufbuild/protobuf/wire';
import { countRu } from '../../../../shared/russian-plural.ts';
import { connectAsSession } from '../../../session/self-connections.ts';
import { AsyncQueue } from '../async-queue.ts';
import { GuardedHttp2SessionManager } from './guarded-session-manager.ts';
import { CODE_NAMES } from '../lab-service.ts';
import {
  RunnerProtocolError,
  type RunnerClientMessage as ClientMessage,
  type RunnerServerMessage,
  type RunnerStatusDetail,
} from '../../../../contracts/grpc-runner/messages.ts';

export interface RunnerLimits {
  /** open calls per channel. @default 8 */
  maxCalls: number;
  /** one control message from the browser, in bytes. @default 256 KiB */
  maxMessageBytes: number;
  /** a channel with no open call and no message for this long is closed (4408). @default 10 minutes */
  idleTimeoutMs: number;
  /** the longest deadline a call may ask for. @default 5 minutes */
  maxTimeoutMs: number;
  /** runner channels open at once per browser session (1013 past it). @default 4 */
  maxChannelsPerSession: number;
}

interface Call {
  id: string;
  method: DescMethod;
  input: AsyncQueue<Message>;
  abort: AbortController;
  sentCount: number;
  requestClosed: boolean;
  /** the response headers came (the server answered) */
  answered: boolean;
  /** the outbound answer wait ran out (RunnerOutbound.answerWaitMs) */
  silent: boolean;
}

/**
 * A runner whose calls go to a student's own server (server/own-server/grpc-relay.ts) rather
 * than to this server: its connection comes through the guard and the tap, no session cookie is
 * sent, and what went wrong with the connection is told as a fact, not as a status.
 */
export interface RunnerOutbound {
  /** node:http2's options for the one connection: `createConnection` opens the guarded, tapped socket */
  http2: ClientSessionOptions;
  /** a call that failed, as an `error` message (a fact about the connection), or null: report its status */
  failure(error: ConnectError, call: { silent: boolean; answered: boolean }): Omit<Extract<RunnerServerMessage, { type: 'error' }>, 'type' | 'call'> | null;
  /** how long a call without a deadline waits for the server's answer once its request side closed */
  answerWaitMs: number;
  /** before each call: the connection is up (rejects with what stopped it, told by `failure`) */
  beforeCall(): Promise<void>;
}

type Send = (message: RunnerServerMessage) => void;

/** Response headers (or trailers) as a plain object; repeated values joined with ", ". */
function headerObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/**
 * Response headers that carry a grpc-status: the server answered Trailers-Only (gRPC over HTTP/2,
 * "Responses": `Trailers-Only → HTTP-Status Content-Type Trailers`), one HEADERS frame with
 * END_STREAM. By that grammar its Content-Type is the response header and every other field a
 * trailer. connect-es throws for an error status before handing over any headers, so there the
 * block is the error's metadata. Null when no grpc-status came with the headers.
 */
export function trailersOnlyBlock(metadata: Headers): { headers: Record<string, string>; trailers: Record<string, string> } | null {
  if (!metadata.has('grpc-status')) return null;
  const headers: Record<string, string> = {};
  const trailers: Record<string, string> = {};
  metadata.forEach((value, name) => {
    if (name === 'content-type') headers[name] = value;
    else trailers[name] = value;
  });
  return { headers, trailers };
}

/**
 * A call the server refused unprocessed (RST_STREAM REFUSED_STREAM: it reached the server after
 * the server's GOAWAY) as gRPC maps it, UNAVAILABLE (PROTOCOL-HTTP2.md, "Errors"): the call may
 * be made again. connect-node 2.1.2 says INTERNAL, because Node's stream error
 * (ERR_HTTP2_STREAM_ERROR) reaches it before the stream's close, where it reads the reset code.
 */
export function refusedStreamAsUnavailable(error: ConnectError): ConnectError {
  const cause = error.cause instanceof Error ? (error.cause as Error & { code?: unknown }) : null;
  const refused = cause?.code === 'ERR_HTTP2_STREAM_ERROR' && cause.message.endsWith('NGHTTP2_REFUSED_STREAM');
  return error.code === Code.Internal && refused ? new ConnectError(error.rawMessage, Code.Unavailable, error.metadata, undefined, cause) : error;
}

/** "wirelab.users.v1.UserService/Chat" (or with a leading "/") → the method, if served. */
export function findMethod(registry: Registry, path: string): DescMethod | undefined {
  const match = /^\/?([A-Za-z_][\w.]*)\/([A-Za-z_]\w*)$/.exec(path);
  if (!match) return undefined;
  return registry.getService(match[1])?.methods.find((m) => m.name === match[2]);
}

/**
 * One runner channel (one browser WebSocket): a real gRPC client (connect-node's gRPC transport)
 * on ONE h2c connection to this server's own port, every request carrying the browser's session
 * cookie. Calls are driven step by step by control messages; everything that happens is sent
 * back as it happens.
 */
export class RunnerSession {
  private readonly calls = new Map<string, Call>();
  private readonly sessionManager: GuardedHttp2SessionManager;
  private readonly transport: Transport;
  private closed = false;

  constructor(
    private readonly options: {
      session: string;
      /** origin of this server's listening port: http://127.0.0.1:8080 */
      target: string;
      registry: Registry;
      limits: RunnerLimits;
      send: Send;
      /** absent: calls go to this server's own port, in the browser's sandbox */
      outbound?: RunnerOutbound;
    },
  ) {
    // One connection for the channel's lifetime; it is opened at the first call.
    // Into Wirelab, the connection itself names the browser's session (server/session/self-connections.ts):
    // no cookie in the call's headers, where the teacher's projected inspector would show it.
    const http2 = options.outbound?.http2 ?? { createConnection: () => connectAsSession(options.target, options.session) };
    // Guarded: a GOAWAY on the idle connection must never become an uncaught exception (its doc).
    this.sessionManager = new GuardedHttp2SessionManager(options.target, { idleConnectionTimeoutMs: options.limits.idleTimeoutMs }, http2);
    const announce: Interceptor = (next) => async (req) => {
      // The request is handed to the HTTP/2 session now: its HEADERS frame goes out.
      const call = req.contextValues.get(callIdKey);
      if (call) options.send({ type: 'started', call, t: Date.now() });
      return next(req);
    };
    this.transport = createGrpcTransport({
      // No httpVersion option: connect-node's gRPC transport always speaks HTTP/2.
      baseUrl: options.target,
      sessionManager: this.sessionManager,
      interceptors: [announce],
      readMaxBytes: 4 * 1024 * 1024,
      jsonOptions: { registry: options.registry },
    });
  }

  get openCalls(): number {
    return this.calls.size;
  }

  handle(message: ClientMessage): void {
    if (this.closed) return;
    if (message.type === 'start') {
      this.start(message);
      return;
    }
    const call = this.calls.get(message.call);
    if (!call) {
      throw new RunnerProtocolError('unknown-call', { en: `No open call "${message.call}".`, ru: `Нет открытого вызова «${message.call}».` }, message.call);
    }
    if (message.type === 'cancel') {
      call.abort.abort(new ConnectError('cancelled by the runner', Code.Canceled));
      return;
    }
    if (call.requestClosed) {
      throw new RunnerProtocolError(
        'call-ended',
        {
          en: `Call "${call.id}" has already half-closed: nothing more can be sent.`,
          ru: `Вызов «${call.id}» уже закрыл свою сторону: отправить больше ничего нельзя.`,
        },
        call.id,
      );
    }
    if (message.type === 'send') this.enqueue(call, message.message);
    else this.closeRequest(call);
  }

  /** Cancels every call and closes the h2c connection (the WebSocket closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const call of this.calls.values()) call.abort.abort(new ConnectError('the runner channel closed', Code.Canceled));
    this.calls.clear();
    this.sessionManager.abort();
  }

  private start(message: Extract<ClientMessage, { type: 'start' }>): void {
    const { call: id } = message;
    if (this.calls.has(id)) {
      throw new RunnerProtocolError('duplicate-call', { en: `Call "${id}" is already open.`, ru: `Вызов «${id}» уже открыт.` }, id);
    }
    if (this.calls.size >= this.options.limits.maxCalls) {
      throw new RunnerProtocolError(
        'too-many-calls',
        {
          en: `At most ${this.options.limits.maxCalls} call${this.options.limits.maxCalls === 1 ? '' : 's'} may be open at once.`,
          ru: `Одновременно можно держать открытыми не больше ${countRu(this.options.limits.maxCalls, 'вызова', 'вызовов', 'вызовов')}.`,
        },
        id,
      );
    }
    const method = findMethod(this.options.registry, message.method);
    if (!method) {
      throw new RunnerProtocolError(
        'unknown-method',
        { en: `This server has no method "${message.method}".`, ru: `На этом сервере нет метода «${message.method}».` },
        id,
      );
    }
    // Every initial message must fit the input type before anything goes on the wire.
    const initial = message.messages.map((json) => this.parse(id, method, json));
    const call: Call = {
      id,
      method,
      input: new AsyncQueue(),
      abort: new AbortController(),
      sentCount: 0,
      requestClosed: false,
      answered: false,
      silent: false,
    };
    this.calls.set(id, call);
    for (const m of initial) call.input.push(m);
    if (message.end) call.requestClosed = true;
    void this.run(call, message.metadata, message.timeoutMs, message.end);
  }

  private parse(id: string, method: DescMethod, json: unknown): Message {
    try {
      return fromJson(method.input, json as JsonValue, { registry: this.options.registry });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RunnerProtocolError(
        'bad-request-message',
        {
          en: `The message does not fit ${method.input.typeName}: ${reason}`,
          ru: `Сообщение не подходит к типу ${method.input.typeName}: ${reason}`,
        },
        id,
      );
    }
  }

  private enqueue(call: Call, json: unknown): void {
    call.input.push(this.parse(call.id, call.method, json));
  }

  private closeRequest(call: Call): void {
    call.requestClosed = true;
    call.input.end();
  }

  private async run(call: Call, metadata: Record<string, string>, timeoutMs: number | undefined, endNow: boolean): Promise<void> {
    const { send, outbound } = this.options;
    const started = performance.now();
    const input = call.input;
    if (endNow) input.end();
    const waitForAnswer = outbound && timeoutMs === undefined ? () => this.waitForAnswer(call, outbound.answerWaitMs) : () => undefined;
    const outgoing = (async function* announceSent() {
      for await (const message of input) {
        send({ type: 'sent', call: call.id, index: call.sentCount, t: Date.now() });
        call.sentCount += 1;
        yield message;
      }
      send({ type: 'ended', call: call.id, t: Date.now() });
      waitForAnswer();
    })();
    // The browser's session goes with the connection (constructor), never in the headers.
    const header = new Headers(metadata);
    let responseTrailer: Headers | undefined;
    let headersArrived = false;
    try {
      await outbound?.beforeCall();
      const response = await this.transport.stream(call.method as never, call.abort.signal, timeoutMs, header, outgoing, contextWithCall(call.id));
      headersArrived = true;
      call.answered = true;
      // A grpc-status among the headers: a Trailers-Only answer that connect-es let through (OK).
      const okTrailersOnly = trailersOnlyBlock(response.header);
      if (okTrailersOnly) send({ type: 'headers', call: call.id, headers: okTrailersOnly.headers, trailersOnly: true, t: Date.now() });
      else send({ type: 'headers', call: call.id, headers: headerObject(response.header), t: Date.now() });
      let index = 0;
      for await (const message of response.message) {
        send({
          type: 'message',
          call: call.id,
          index: index++,
          message: toJson(call.method.output, message as Message, { registry: this.options.registry }),
          t: Date.now(),
        });
      }
      responseTrailer = response.trailer;
      if (okTrailersOnly) this.finish(call, { code: 0, message: '', details: [], trailers: okTrailersOnly.trailers, trailersOnly: true }, started);
      else this.finish(call, { code: 0, message: '', details: [], trailers: headerObject(responseTrailer) }, started);
    } catch (error) {
      const connectError = refusedStreamAsUnavailable(ConnectError.from(error));
      const fact = outbound?.failure(connectError, call);
      if (fact) return this.fail(call, fact);
      const status = {
        code: connectError.code,
        message: connectError.rawMessage,
        details: connectError.details.map((d) => this.detailJson(d)),
        trailers: headerObject(connectError.metadata),
      };
      const block = headersArrived ? null : trailersOnlyBlock(connectError.metadata);
      if (block) {
        // One HEADERS frame carried both parts; the page gets each under its own name.
        send({ type: 'headers', call: call.id, headers: block.headers, trailersOnly: true, t: Date.now() });
        this.finish(call, { ...status, trailers: block.trailers, trailersOnly: true }, started);
      } else if (!headersArrived && [...connectError.metadata.keys()].length > 0) {
        // An answer that was no gRPC one (an HTTP error status): what came were its headers.
        send({ type: 'headers', call: call.id, headers: status.trailers, t: Date.now() });
        this.finish(call, { ...status, trailers: {} }, started);
      } else this.finish(call, status, started);
    }
  }

  /** No answer within `ms` of the request side closing: the call is cancelled and told as silence. */
  private waitForAnswer(call: Call, ms: number): void {
    if (call.answered) return;
    const timer = setTimeout(() => {
      if (call.answered || !this.calls.has(call.id)) return;
      call.silent = true;
      call.abort.abort(new ConnectError(`no answer within ${ms} ms`, Code.DeadlineExceeded));
    }, ms);
    timer.unref();
    call.abort.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }

  /** The call is over without a status: what happened to it, as an `error` (the contract's "a call that failed"). */
  private fail(call: Call, fact: Omit<Extract<RunnerServerMessage, { type: 'error' }>, 'type' | 'call'>): void {
    if (!this.calls.has(call.id)) return;
    this.calls.delete(call.id);
    call.input.end();
    this.options.send({ type: 'error', call: call.id, ...fact });
  }

  private detailJson(detail: ConnectError['details'][number]): RunnerStatusDetail {
    if ('desc' in detail) return { type: detail.desc.typeName, value: toJson(detail.desc, detail.value as never, { registry: this.options.registry }) };
    const desc = this.options.registry.getMessage(detail.type);
    if (desc) {
      try {
        return { type: detail.type, value: toJson(desc, fromBinaryOf(desc, detail.value), { registry: this.options.registry }) };
      } catch {
        // fall through: show the bytes
      }
    }
    return { type: detail.type, base64: base64Encode(detail.value) };
  }

  private finish(
    call: Call,
    status: { code: number; message: string; details: RunnerStatusDetail[]; trailers: Record<string, string>; trailersOnly?: boolean },
    started: number,
  ): void {
    if (!this.calls.has(call.id)) return;
    this.calls.delete(call.id);
    call.input.end();
    this.options.send({
      type: 'status',
      call: call.id,
      code: status.code,
      name: CODE_NAMES[status.code] ?? 'UNKNOWN',
      message: status.message,
      details: status.details,
      trailers: status.trailers,
      ...(status.trailersOnly ? { trailersOnly: true } : {}),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      t: Date.now(),
    });
  }
}

import { createContextKey, createContextValues } from '@connectrpc/connect';
import { fromBinary, type DescMessage } from '@bufbuild/protobuf';

const callIdKey = createContextKey<string | null>(null, { description: 'runner call id' });

function contextWithCall(id: string) {
  return createContextValues().set(callIdKey, id);
}

function fromBinaryOf(desc: DescMessage, bytes: Uint8Array): Message {
  return fromBinary(desc, bytes);
}
