import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import {
  Code,
  ConnectError,
  createContextKey,
  type ContextValues,
  type HandlerContext,
  type Interceptor,
  type MethodImplSpec,
  type UnaryRequest,
  type UnaryResponse,
} from '@connectrpc/connect';
import { compressionNegotiate, type validateUniversalHandlerOptions } from '@connectrpc/connect/protocol';
import {
  codeToHttpStatus,
  contentTypeUnaryJson,
  contentTypeUnaryProto,
  errorToJsonBytes,
  headerUnaryAcceptEncoding,
  parseContentType,
  parseTimeout,
} from '@connectrpc/connect/protocol-connect';
import { clientPresenceKey } from './context.ts';
import { BigBodies } from './big-bodies.ts';
import { readDeclaredBody } from './request-body.ts';
import { isClientFault } from './unparsable-request.ts';
import { methodSerializationLookup } from './json-input.ts';
import { IN_TURNS_MIN_BYTES, messagesInTurns } from './message-turns.ts';

export type ConnectHandlerOptions = ReturnType<typeof validateUniversalHandlerOptions>;
export type UnaryImplSpec = Extract<MethodImplSpec, { kind: 'unary' }>;
type AnyUnaryRequest = UnaryRequest<DescMessage, DescMessage>;
type AnyUnaryResponse = UnaryResponse<DescMessage, DescMessage>;

/**
 * Why a call's signal aborts when nobody gave a reason: the end of the call. One instance for
 * every call: `AbortController.abort()` would construct a DOMException per call, which costs
 * about as much as the rest of the abort.
 */
const CALL_ENDED = new DOMException('This operation was aborted', 'AbortError');

/** The `timeoutMs` of a call without a deadline: one function for all of them, not a closure per call. */
const NO_DEADLINE = (): undefined => undefined;

/**
 * The HandlerContext of one unary Connect call, whose AbortSignal exists only once somebody
 * asks for it (an interceptor, a handler such as `Slow` that waits on it). A call nobody
 * listens to — most unary calls — then costs no AbortController, no listeners linked to the
 * client's and the shutdown's signals, and no abort event at its end. What the signal reports
 * is what connect-es's `createHandlerContext` reports: aborted by the deadline
 * (DEADLINE_EXCEEDED), by the client going away, by the server's shutdown, and at the end of
 * the call; asked for after one of those, it is already aborted with that reason.
 */
export class LazySignalContext implements HandlerContext {
  readonly responseHeader: Headers;
  readonly responseTrailer = new Headers();
  readonly timeoutMs: () => number | undefined;
  private controller: AbortController | undefined;
  private abortReason: { reason: unknown } | undefined;
  private readonly deadlineTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly method: UnaryImplSpec['method'],
    readonly requestMethod: string,
    readonly url: string,
    readonly requestHeader: Headers,
    readonly values: ContextValues,
    private readonly shutdownSignal: AbortSignal | undefined,
    responseContentType: string,
    timeoutMs: number | undefined,
    readonly protocolName: 'connect' | 'grpc' = 'connect',
  ) {
    this.responseHeader = new Headers();
    this.responseHeader.set('content-type', responseContentType);
    if (timeoutMs === undefined) this.timeoutMs = NO_DEADLINE;
    else {
      const deadline = Date.now() + timeoutMs;
      this.timeoutMs = () => deadline - Date.now();
      const expire = (): void => this.abort(new ConnectError('the operation timed out', Code.DeadlineExceeded));
      if (timeoutMs <= 0) expire();
      else this.deadlineTimer = setTimeout(expire, timeoutMs);
    }
  }

  get service(): UnaryImplSpec['method']['parent'] {
    return this.method.parent;
  }

  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = new AbortController();
    this.controller = controller;
    const shutdown = this.shutdownSignal;
    if (this.abortReason) controller.abort(this.abortReason.reason);
    else if (shutdown?.aborted) this.abort(shutdown.reason);
    else if (shutdown) {
      const onShutdown = (): void => this.abort(shutdown.reason);
      shutdown.addEventListener('abort', onShutdown, { once: true });
      controller.signal.addEventListener('abort', () => shutdown.removeEventListener('abort', onShutdown), { once: true });
    }
    return controller.signal;
  }

  /** The client went away before the answer: the call's signal aborts CANCELED. */
  clientWentAway(): void {
    this.abort(new ConnectError('the client went away', Code.Canceled));
  }

  /**
   * Aborts the call when its client goes away before the answer is written, with one listener per
   * call: the presence our routes already watch, else one of its own on the response. Returns the
   * release, for when the answer is about to be written.
   */
  abortWhenClientGoes(response: ServerResponse): () => void {
    const presence = this.values.get(clientPresenceKey);
    // Bound, not a named arrow: under tsx (esbuild's keepNames) a named closure made per call gets a
    // `name` property of its own on every call (`__name`, about a microsecond in a CPU profile).
    const gone = this.clientWentAway.bind(this);
    if (presence.watched) {
      presence.onGone = gone;
      return () => void (presence.onGone = null);
    }
    const onClose = (): void => {
      if (!response.writableEnded) gone();
    };
    response.once('close', onClose);
    return () => void response.off('close', onClose);
  }

  /** Aborts the call's signal (the first reason wins); without a reason: the call ended. */
  abort(reason?: unknown): void {
    if (this.abortReason) return;
    this.abortReason = { reason: reason ?? CALL_ENDED };
    clearTimeout(this.deadlineTimer);
    this.controller?.abort(this.abortReason.reason);
  }
}

/** The call's own context, for the innermost step of a chain built once per method. */
const callContextKey = createContextKey<LazySignalContext | null>(null, { description: 'the unary Connect call of the fast path' });

/**
 * The request the interceptors of the fast path see. A class, not an object literal with a
 * `get signal()`: V8 makes such a literal a dictionary-mode object (a property dictionary
 * allocated per call, every interceptor's `req.header` a hash lookup), and an accessor defined on
 * each instance costs a runtime call per call. `signal` is the prototype's getter, so a spread
 * `{ ...req }` does not copy it: an interceptor that rebuilds the request must pass `signal` on
 * (ours pass `req` itself); the handler's context falls back to the call's signal regardless.
 */
class FastUnaryRequest implements AnyUnaryRequest {
  readonly stream = false as const;
  readonly method: AnyUnaryRequest['method'];
  readonly service: AnyUnaryRequest['service'];
  readonly requestMethod: string;
  readonly url: string;
  readonly header: Headers;
  readonly contextValues: ContextValues;
  readonly #context: LazySignalContext;

  constructor(
    spec: UnaryImplSpec,
    context: LazySignalContext,
    readonly message: MessageShape<DescMessage>,
  ) {
    this.method = spec.method as never;
    this.service = spec.method.parent;
    this.requestMethod = context.requestMethod;
    this.url = context.url;
    this.header = context.requestHeader;
    this.contextValues = context.values;
    this.#context = context;
  }

  get signal(): AbortSignal {
    return this.#context.signal;
  }
}

/** The handler's context on the fast path: connect-es's, the signal made only when asked (see FastUnaryRequest). */
class FastHandlerContext implements HandlerContext {
  readonly method: HandlerContext['method'];
  readonly service: HandlerContext['service'];
  readonly requestMethod: string;
  readonly protocolName: string;
  readonly url: string;
  readonly timeoutMs: () => number | undefined;
  readonly requestHeader: Headers;
  readonly responseHeader: Headers;
  readonly responseTrailer: Headers;
  readonly values: ContextValues;
  readonly #request: AnyUnaryRequest;
  readonly #context: LazySignalContext;

  constructor(context: LazySignalContext, request: AnyUnaryRequest) {
    this.method = context.method;
    this.service = request.service;
    this.requestMethod = context.requestMethod;
    this.protocolName = context.protocolName;
    this.url = context.url;
    this.timeoutMs = context.timeoutMs;
    this.requestHeader = request.header;
    this.responseHeader = context.responseHeader;
    this.responseTrailer = context.responseTrailer;
    this.values = request.contextValues;
    this.#request = request;
    this.#context = context;
  }

  /** The signal of the request that reached the handler (connect-es's), or the call's if an interceptor's copy dropped it. */
  get signal(): AbortSignal {
    return this.#request.signal ?? this.#context.signal;
  }
}

/**
 * connect-es's `invokeUnaryImplementation`, with the signal kept lazy: that function copies
 * `context.signal` into the request and spreads the context for the handler, which would create
 * the signal of every call. Interceptors and the handler see the same objects otherwise. The
 * interceptor chain is built once per method, not per call: the handler finds its call's
 * context in the context values.
 */
export function unaryInvoker(
  spec: UnaryImplSpec,
  interceptors: Interceptor[],
): (context: LazySignalContext, input: MessageShape<DescMessage>) => Promise<MessageShape<DescMessage>> {
  const handler = spec.impl as (message: unknown, ctx: HandlerContext) => unknown;
  const innermost = async (req: AnyUnaryRequest): Promise<AnyUnaryResponse> => {
    const context = req.contextValues.get(callContextKey)!;
    const handlerContext = new FastHandlerContext(context, req);
    return {
      stream: false,
      // A handler may return an init object of the output type (connect-es's normalize).
      message: create(spec.method.output, (await handler(req.message, handlerContext)) as never),
      method: spec.method as never,
      service: spec.method.parent,
      header: context.responseHeader,
      trailer: context.responseTrailer,
    };
  };
  const chain = interceptors.reduceRight<(req: AnyUnaryRequest) => Promise<AnyUnaryResponse>>((n, interceptor) => interceptor(n as never) as never, innermost);
  return async (context, input) => {
    context.values.set(callContextKey, context);
    const { message, header, trailer } = await chain(new FastUnaryRequest(spec, context, input));
    copyHeaders(header, context.responseHeader);
    copyHeaders(trailer, context.responseTrailer);
    return message;
  };
}

function copyHeaders(from: Headers, to: Headers): void {
  if (from === to) return;
  for (const key of [...to.keys()]) to.delete(key);
  from.forEach((value, key) => to.set(key, value));
}

/** An HTTP header name (RFC 9110 token): what Headers accepts. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The request's metadata as WHATWG Headers, as connect-node's `nodeHeaderToWebHeader` builds
 * them, but filled only when a caller needs more than `get` and `has`: most calls only ask for
 * a header or two (content type, deadline), and filling undici's Headers validates and copies
 * every header of the request. Until then, both answer from node's header object, whose names
 * are lower case and whose repeated values node has joined, exactly as the filled Headers would.
 */
/**
 * Node's Headers class (undici's) as the Fetch standard declares it, with methods: @types/node
 * declares them as readonly properties, which a subclass may not override. The same class at
 * run time; only its declared shape differs.
 */
interface FetchHeaders {
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  has(name: string): boolean;
  set(name: string, value: string): void;
  getSetCookie(): string[];
  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void;
  keys(): ReturnType<Headers['keys']>;
  values(): ReturnType<Headers['values']>;
  entries(): ReturnType<Headers['entries']>;
  [Symbol.iterator](): ReturnType<Headers['entries']>;
}
const FetchHeaders = Headers as unknown as new () => FetchHeaders;

export class NodeRequestHeaders extends FetchHeaders {
  #pending: IncomingHttpHeaders | null;

  constructor(node: IncomingHttpHeaders) {
    super();
    this.#pending = node;
  }

  #fill(): void {
    const node = this.#pending;
    if (node === null) return;
    this.#pending = null;
    for (const [name, value] of Object.entries(node)) {
      // HTTP/2's pseudo-headers (:path, :method…) are not metadata (connect-node strips them too).
      if (value === undefined || name.startsWith(':')) continue;
      if (typeof value === 'string') super.append(name, value);
      else for (const v of value) super.append(name, v);
    }
  }

  #lookup(name: string): string | string[] | undefined {
    return this.#pending![name.toLowerCase()];
  }

  override get(name: string): string | null {
    if (this.#pending === null || !HEADER_NAME.test(name)) {
      this.#fill();
      return super.get(name);
    }
    const value = this.#lookup(name);
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  override has(name: string): boolean {
    if (this.#pending === null || !HEADER_NAME.test(name)) {
      this.#fill();
      return super.has(name);
    }
    return this.#lookup(name) !== undefined;
  }

  override set(name: string, value: string): void {
    this.#fill();
    super.set(name, value);
  }

  override append(name: string, value: string): void {
    this.#fill();
    super.append(name, value);
  }

  override delete(name: string): void {
    this.#fill();
    super.delete(name);
  }

  override getSetCookie(): string[] {
    this.#fill();
    return super.getSetCookie();
  }

  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(callback, thisArg);
  }

  override entries(): ReturnType<Headers['entries']> {
    this.#fill();
    return super.entries();
  }

  override keys(): ReturnType<Headers['keys']> {
    this.#fill();
    return super.keys();
  }

  override values(): ReturnType<Headers['values']> {
    this.#fill();
    return super.values();
  }

  override [Symbol.iterator](): ReturnType<Headers['entries']> {
    this.#fill();
    return super[Symbol.iterator]();
  }
}

/**
 * The call's headers and trailers for node's writeHead, trailers as `trailer-` headers
 * (connect-es's trailerMux and connect-node's webHeaderToNodeHeaders in one pass; set-cookie may
 * repeat).
 */
export function addNodeHeaders(out: OutgoingHttpHeaders, header: Headers, prefix: string): void {
  header.forEach((value, key) => {
    const name = prefix + key;
    const existing = out[name];
    out[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [String(existing)]), value];
  });
}

/**
 * `{ ...first, ...second }`, the same names in the same order, without object spreads: V8 clones
 * these small objects of dashed names slowly, some microseconds per call in a micro-benchmark
 * against tens of nanoseconds for this loop.
 */
export function mergedHeaders(first: OutgoingHttpHeaders, second: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in first) out[name] = first[name];
  for (const name in second) out[name] = second[name];
  return out;
}

/** The request body, whose length the caller checked; null if the client went away first. */
function readBody(raw: IncomingMessage, length: number): Uint8Array | null | Promise<Uint8Array | null> {
  if (length === 0) return new Uint8Array(0);
  // A small body has usually arrived with the headers: node's parser has buffered all of it.
  if (raw.complete && raw.readableLength === length) {
    const body = raw.read() as Buffer | null;
    if (body !== null && body.byteLength === length) return body;
    if (body !== null) raw.unshift(body);
  }
  return readDeclaredBody(raw, length);
}

/**
 * Big JSON bodies' buffers: 8 kept for later (8 MiB at the server's 1 MiB read limit), as many as
 * the soak's abuser has such calls at once; read limits up to 4 MiB pooled.
 */
const bigJsonBodies = new BigBodies(8, 4 * 1024 * 1024);

/**
 * The request's message, parsed; null if the client went away before its body came. The body's
 * bytes are held only until they are parsed, not while the call runs and its answer is written: a
 * 1 MB echo's would otherwise outlive a young collection or two and be promoted, to wait for a full
 * one (bench/README.md, "Big bodies' buffers used again"). Not an async function: V8 keeps an
 * async function's locals until it returns, dead or not.
 */
function readMessage(
  raw: IncomingMessage,
  type: { binary: boolean; length: number },
  messages: MethodMessages,
): MessageShape<DescMessage> | null | Promise<MessageShape<DescMessage> | null> {
  // A big JSON body goes into a buffer used again (big-bodies.ts), given back once decoded.
  if (!type.binary && type.length >= messages.inTurnsFromBytes) {
    const into = bigJsonBodies.take(type.length, messages.readMaxBytes);
    const release = (): void => bigJsonBodies.give(into);
    return readDeclaredBody(raw, type.length, into).then((bytes) => {
      if (bytes !== null) return messages.parse(false, bytes, release);
      release();
      return null;
    });
  }
  const body = readBody(raw, type.length);
  if (body instanceof Promise) return body.then((bytes) => (bytes === null ? null : messages.parse(type.binary, bytes)));
  return body === null ? null : messages.parse(type.binary, body);
}

/**
 * The request's Connect content type, if the fast path can answer it: a unary POST over
 * HTTP/1.1 with a declared length within the limit and an uncompressed body. Everything else
 * (GET, compressed requests, chunked bodies, HTTP/2, streaming, wrong content types, bodies over
 * the limit) goes through connect-es, which answers it and its errors in full.
 */
export function unaryConnectTypeOf(raw: IncomingMessage, readMaxBytes: number): { binary: boolean; length: number } | null {
  if (raw.method !== 'POST' || raw.httpVersionMajor !== 1) return null;
  const { headers } = raw;
  const declared = headers['content-length'];
  if (declared === undefined || headers['transfer-encoding'] !== undefined) return null;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return null;
  const length = Number(declared);
  if (!(length <= readMaxBytes)) return null;
  const type = parseContentType(headers['content-type'] ?? null);
  if (!type || type.stream) return null;
  return { binary: type.binary, length };
}

/** What compressionNegotiate answers a request that accepts no compression and sends none. */
const NO_COMPRESSION = { request: null, response: null } as const;

export interface UnaryConnectCall {
  raw: IncomingMessage;
  response: ServerResponse;
  /** what unaryConnectTypeOf found */
  type: { binary: boolean; length: number };
  values: ContextValues;
  /** headers the framework already put on the reply (Fastify's hooks), sent before the call's own */
  frameworkHeaders: Record<string, string | number | string[] | undefined>;
}

/**
 * Answers unary Connect calls of one method as connect-es's Connect handler does
 * (`protocol-connect/handler-factory.ts`, `createUnaryHandler`, POST), reusing its pieces —
 * content types, timeout parsing, compression negotiation, serialization with the read/write
 * limits, error JSON, HTTP status of codes, `trailer-` headers — without its per-call machinery:
 * no AbortSignal unless somebody asks for it, no async iterables for a body of one message, no
 * WHATWG Headers conversions beyond the call's own metadata, one write.
 */
export function unaryConnectMethod(
  spec: UnaryImplSpec,
  options: ConnectHandlerOptions,
  inTurnsFromBytes = IN_TURNS_MIN_BYTES,
): (call: UnaryConnectCall) => Promise<void> {
  const messages = methodMessages(spec, options, inTurnsFromBytes);
  const invoke = unaryInvoker(spec, options.interceptors);
  return async ({ raw, response, type, values, frameworkHeaders }) => {
    const header = new NodeRequestHeaders(raw.headers);
    const timeout = parseTimeout(header.get('connect-timeout-ms'), options.maxTimeoutMs);
    const host = raw.headers.host ?? 'localhost';
    const context = new LazySignalContext(
      spec.method,
      'POST',
      `http://${host}${raw.url ?? ''}`,
      header,
      values,
      options.shutdownSignal,
      type.binary ? contentTypeUnaryProto : contentTypeUnaryJson,
      timeout.timeoutMs,
    );
    const unwatchClient = context.abortWhenClientGoes(response);
    const accepted = header.get(headerUnaryAcceptEncoding);
    const compression = accepted === null ? NO_COMPRESSION : compressionNegotiate(options.acceptCompression, null, accepted, headerUnaryAcceptEncoding);
    let status = 200;
    let body: Uint8Array;
    try {
      if (timeout.error) throw timeout.error;
      const read = readMessage(raw, type, messages);
      const input = read instanceof Promise ? await read : read;
      if (input === null) {
        context.clientWentAway();
        return;
      }
      const output = await invoke(context, input);
      const serialized = messages.serialize(type.binary, output, type.length);
      body = serialized instanceof Promise ? await serialized : serialized;
    } catch (e) {
      context.abort(e);
      const error = e instanceof ConnectError ? e : new ConnectError('internal error', Code.Internal, undefined, undefined, e);
      status = codeToHttpStatus(error.code);
      context.responseHeader.set('content-type', contentTypeUnaryJson);
      error.metadata.forEach((value, key) => context.responseHeader.set(key, value));
      body = errorToJsonBytes(error, options.jsonOptions);
    } finally {
      context.abort();
    }
    if (compression.response && body.byteLength >= options.compressMinBytes) {
      body = await compression.response.compress(body);
      context.responseHeader.set('content-encoding', compression.response.name);
    }
    // As connect-fastify: the reply's headers first, the call's own win.
    const own: OutgoingHttpHeaders = {};
    addNodeHeaders(own, context.responseHeader, '');
    addNodeHeaders(own, context.responseTrailer, 'trailer-');
    const out = mergedHeaders(frameworkHeaders, own);
    out['content-length'] = body.byteLength;
    unwatchClient();
    if (response.destroyed) return;
    response.writeHead(status, out);
    response.end(body);
  };
}

/** What a fast path parses and writes of one method's messages. */
export interface MethodMessages {
  /** the request message; a body that does not decode is the client's error */
  parse(binary: boolean, bytes: Uint8Array, release?: () => void): MessageShape<DescMessage> | Promise<MessageShape<DescMessage>>;
  /** requests of this size or more are parsed and answered in turns */
  readonly inTurnsFromBytes: number;
  /** the largest request read */
  readonly readMaxBytes: number;
  /** the answer to a request of `requestBytes` */
  serialize(binary: boolean, message: MessageShape<DescMessage>, requestBytes: number): Uint8Array | Promise<Uint8Array>;
}

/**
 * A method's messages as connect-es's limited serialization reads and writes them: whole, or in
 * turns of the event loop for a request of `inTurnsFromBytes` or more (message-turns.ts) — the
 * answer to such a request too.
 */
export function methodMessages(spec: UnaryImplSpec, options: ConnectHandlerOptions, inTurnsFromBytes: number): MethodMessages {
  const whole = methodSerializationLookup(spec.method, options.binaryOptions, options.jsonOptions, options);
  const inTurns = messagesInTurns(spec.method, options.binaryOptions, options.jsonOptions, options);
  return {
    inTurnsFromBytes,
    readMaxBytes: options.readMaxBytes,
    parse(binary, bytes, release) {
      if (bytes.byteLength >= inTurnsFromBytes)
        return inTurns.parse(binary, bytes, release).catch((e: unknown) => {
          throw asClientFault(e);
        }) as Promise<MessageShape<DescMessage>>;
      try {
        return whole.getI(binary).parse(bytes) as MessageShape<DescMessage>;
      } catch (e) {
        throw asClientFault(e);
      } finally {
        if (!binary) release?.();
      }
    },
    serialize: (binary, message, requestBytes) =>
      requestBytes >= inTurnsFromBytes ? inTurns.serialize(binary, message) : whole.getO(binary).serialize(message),
  };
}

/**
 * A body that does not decode is the client's error: INVALID_ARGUMENT (connect-es says INTERNAL
 * for undecodable binary; see unparsable-request.ts).
 */
function asClientFault(e: unknown): ConnectError {
  const error = ConnectError.from(e);
  if (error.code === Code.Internal && isClientFault(error.rawMessage))
    return new ConnectError(error.rawMessage, Code.InvalidArgument, error.metadata, undefined, error.cause);
  return error;
}
