import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Code, ConnectError, type ContextValues } from '@connectrpc/connect';
import { compressionNegotiate, encodeEnvelope, envelopeCompress } from '@connectrpc/connect/protocol';
import {
  contentTypeJson,
  contentTypeProto,
  grpcStatusOk,
  headerAcceptEncoding,
  headerEncoding,
  headerGrpcStatus,
  headerTimeout,
  parseContentType,
  parseTimeout,
  setTrailerStatus,
} from '@connectrpc/connect/protocol-grpc';
import { ENVELOPE_HEADER_BYTES, exactlyOneEnvelope } from '../../../wire/grpc/envelope.ts';
import { joinChunks, readBoundedBody } from './request-body.ts';
import { IN_TURNS_MIN_BYTES } from './message-turns.ts';
import {
  addNodeHeaders,
  LazySignalContext,
  NodeRequestHeaders,
  mergedHeaders,
  methodMessages,
  unaryInvoker,
  type ConnectHandlerOptions,
  type UnaryImplSpec,
} from './unary-connect-call.ts';

/**
 * The request's gRPC content type, if the fast path may take it: a POST over HTTP/2 with a
 * native gRPC content type and no request compression. Everything else (gRPC-Web, Connect,
 * HTTP/1.1, a `grpc-encoding`) goes to connect-es untouched.
 */
export function unaryGrpcTypeOf(raw: IncomingMessage): { binary: boolean } | null {
  if (raw.method !== 'POST' || raw.httpVersionMajor !== 2) return null;
  const { headers } = raw;
  const encoding = headers['grpc-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return null;
  const type = parseContentType(headers['content-type'] ?? null);
  return type ?? null;
}

export interface UnaryGrpcCall {
  raw: IncomingMessage;
  response: ServerResponse;
  /** what unaryGrpcTypeOf found */
  type: { binary: boolean };
  values: ContextValues;
  /** headers the framework already put on the reply (Fastify's hooks), sent before the call's own */
  frameworkHeaders: Record<string, string | number | string[] | undefined>;
  /** hands the call to connect-es with this body in place of the request's (what the fast path read, then the rest) */
  replay: (body: AsyncIterable<Uint8Array>) => Promise<void>;
  /** called once the fast path has taken the call (it answers it itself) */
  taken: () => void;
}

async function* replayed(chunks: Buffer[], rest: AsyncIterable<Buffer> | null): AsyncIterable<Uint8Array> {
  yield* chunks;
  if (rest) yield* rest;
}

/** The body as one uncompressed envelope's message, else null (connect-es answers every other shape). */
function singleEnvelope(body: Buffer): Uint8Array | null {
  const envelope = exactlyOneEnvelope(body);
  return envelope?.flags === 0 ? envelope.data : null;
}

/**
 * Answers unary native gRPC calls of one method as connect-es's gRPC handler does
 * (`protocol-grpc/handler-factory.ts`), reusing its pieces — content types, `grpc-timeout`
 * parsing, compression negotiation, serialization with the read/write limits, envelopes,
 * `setTrailerStatus` — without its per-call machinery: no AbortSignal unless somebody asks for
 * it, no async-iterable pipeline for a body of one message. A body that is not exactly one
 * uncompressed envelope within the read limit (none, several, compressed, a bad prefix, too
 * large) is replayed to connect-es, which answers it and its errors in full.
 */
export function unaryGrpcMethod(
  spec: UnaryImplSpec,
  options: ConnectHandlerOptions,
  inTurnsFromBytes = IN_TURNS_MIN_BYTES,
): (call: UnaryGrpcCall) => Promise<void> {
  const messages = methodMessages(spec, options, inTurnsFromBytes);
  const invoke = unaryInvoker(spec, options.interceptors);
  return async ({ raw, response, type, values, frameworkHeaders, replay, taken }) => {
    // connect-es starts the deadline before it reads the body: so does the fast path, in effect.
    const arrived = Date.now();
    const read = await readBoundedBody(raw, options.readMaxBytes + ENVELOPE_HEADER_BYTES);
    // Nobody left to answer: connect-es would see its request signal abort and write nothing.
    if (read === null) return;
    const body = read.complete ? joinChunks(read.chunks) : null;
    const message = body === null ? null : singleEnvelope(body);
    if (message === null) {
      await replay(replayed(read.chunks, read.complete ? null : raw));
      return;
    }
    taken();
    const header = new NodeRequestHeaders(raw.headers);
    const timeout = parseTimeout(header.get(headerTimeout), options.maxTimeoutMs);
    const authority = ('authority' in raw ? (raw.authority as string) : undefined) ?? raw.headers.host ?? 'localhost';
    const context = new LazySignalContext(
      spec.method,
      'POST',
      `http://${authority}${raw.url ?? ''}`,
      header,
      values,
      options.shutdownSignal,
      type.binary ? contentTypeProto : contentTypeJson,
      timeout.timeoutMs === undefined ? undefined : timeout.timeoutMs - (Date.now() - arrived),
      'grpc',
    );
    context.responseTrailer.set(headerGrpcStatus, grpcStatusOk);
    const unwatchClient = context.abortWhenClientGoes(response);
    const compression = compressionNegotiate(options.acceptCompression, header.get(headerEncoding), header.get(headerAcceptEncoding), headerAcceptEncoding);
    if (compression.response) context.responseHeader.set(headerEncoding, compression.response.name);
    let out: Uint8Array | null = null;
    try {
      if (timeout.error) throw timeout.error;
      const parsed = messages.parse(type.binary, message);
      const output = await invoke(context, parsed instanceof Promise ? await parsed : parsed);
      const serialized = messages.serialize(type.binary, output, message.byteLength);
      const envelope = await envelopeCompress(
        { flags: 0, data: serialized instanceof Promise ? await serialized : serialized },
        compression.response,
        options.compressMinBytes,
      );
      out = encodeEnvelope(envelope.flags, envelope.data);
    } catch (e) {
      context.abort(e);
      setTrailerStatus(context.responseTrailer, e instanceof ConnectError ? e : new ConnectError('internal error', Code.Internal, undefined, undefined, e));
    } finally {
      context.abort();
    }
    unwatchClient();
    if (response.destroyed) return;
    // As connect-node's universalResponseToNodeResponse: the reply's headers first, the call's own win; the status in trailers.
    const own: OutgoingHttpHeaders = {};
    addNodeHeaders(own, context.responseHeader, '');
    response.writeHead(200, mergedHeaders(frameworkHeaders, own));
    if (out !== null) response.write(out);
    const trailers: OutgoingHttpHeaders = {};
    addNodeHeaders(trailers, context.responseTrailer, '');
    response.addTrailers(trailers);
    response.end();
  };
}
