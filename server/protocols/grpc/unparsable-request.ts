import type { UniversalHandler } from '@connectrpc/connect/protocol';
import type { UniversalServerResponse } from '@connectrpc/connect/protocol';
import { ENVELOPE_FLAGS, encodeEnvelope, exactlyOneEnvelope } from '../../../wire/grpc/envelope.ts';

/**
 * connect-es reports a request message it cannot decode as INTERNAL ("parse binary: …", and a
 * compressed envelope without a `grpc-encoding`), so a client's garbage was answered as a server
 * fault (HTTP 500 over Connect). Both are the client's error: INVALID_ARGUMENT (HTTP 400), as
 * connect-go and grpc-go answer. The status is set in four shapes, one per protocol: Connect
 * unary (HTTP status + JSON body), Connect streaming (end-stream JSON envelope), gRPC (HTTP/2
 * trailers) and gRPC-Web (trailer envelope in the body).
 */
const CLIENT_FAULTS = [/^parse binary: /, /^received compressed envelope, but do not know how to decompress/];
const GRPC_INTERNAL = '13';
const GRPC_INVALID_ARGUMENT = '3';
const GRPC_WEB_TRAILER_FLAG = ENVELOPE_FLAGS.grpcWebTrailers;
const CONNECT_END_STREAM_FLAG = ENVELOPE_FLAGS.connectEndStream;

export function isClientFault(message: unknown): boolean {
  return typeof message === 'string' && CLIENT_FAULTS.some((pattern) => pattern.test(message));
}

function grpcMessageOf(encoded: string | null): string {
  if (encoded === null) return '';
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** `grpc-status: 13` with a client-fault message (headers or trailers) becomes 3. */
function fixGrpcStatus(headers: Headers | undefined): void {
  if (headers?.get('grpc-status') === GRPC_INTERNAL && isClientFault(grpcMessageOf(headers.get('grpc-message')))) {
    headers.set('grpc-status', GRPC_INVALID_ARGUMENT);
  }
}

/** The last envelope of a gRPC-Web or Connect streaming body, rewritten if it carries such a fault. */
function fixFinalEnvelope(chunk: Uint8Array): Uint8Array {
  if (chunk[0] !== GRPC_WEB_TRAILER_FLAG && chunk[0] !== CONNECT_END_STREAM_FLAG) return chunk;
  const parsed = exactlyOneEnvelope(chunk);
  if (!parsed) return chunk;
  if (parsed.flags === GRPC_WEB_TRAILER_FLAG) {
    const text = new TextDecoder().decode(parsed.data);
    const status = /^grpc-status:\s*(\d+)\s*$/im.exec(text)?.[1];
    const message = /^grpc-message:\s*(.*?)\s*$/im.exec(text)?.[1] ?? null;
    if (status !== GRPC_INTERNAL || !isClientFault(grpcMessageOf(message))) return chunk;
    const fixed = text.replace(/^grpc-status:\s*\d+/im, `grpc-status: ${GRPC_INVALID_ARGUMENT}`);
    return encodeEnvelope(parsed.flags, new TextEncoder().encode(fixed));
  }
  if (parsed.flags === CONNECT_END_STREAM_FLAG) {
    let end: { error?: { code?: string; message?: string } };
    try {
      end = JSON.parse(new TextDecoder().decode(parsed.data));
    } catch {
      return chunk;
    }
    if (end.error?.code !== 'internal' || !isClientFault(end.error.message)) return chunk;
    end.error.code = 'invalid_argument';
    return encodeEnvelope(parsed.flags, new TextEncoder().encode(JSON.stringify(end)));
  }
  return chunk;
}

/**
 * The body, each envelope passed on at once (connect-es joins envelopes one by one) and the last
 * one corrected; the trailers corrected once the body has ended (native gRPC fills them while the
 * body ends and writes them after it). A plain iterator, not an async generator: this wraps every
 * streaming and gRPC response, and a generator costs a few promises per chunk.
 */
function withFixedEnd(body: AsyncIterable<Uint8Array>, trailer: Headers | undefined): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const it = body[Symbol.asyncIterator]();
      const fixed = (result: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
        if (result.done) fixGrpcStatus(trailer);
        else result = { done: false, value: fixFinalEnvelope(result.value) };
        return result;
      };
      return {
        next: () => it.next().then(fixed),
        return: (value?: unknown) => (it.return ? it.return(value) : Promise.resolve({ done: true as const, value: undefined })),
        throw: (error?: unknown) => (it.throw ? it.throw(error) : Promise.reject(error)),
      };
    },
  };
}

async function fixUnaryConnect(res: UniversalServerResponse): Promise<UniversalServerResponse> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  let error: { code?: string; message?: string };
  try {
    error = JSON.parse(bytes.toString('utf8'));
  } catch {
    return {
      ...res,
      body: (async function* () {
        yield bytes;
      })(),
    };
  }
  if (error.code !== 'internal' || !isClientFault(error.message))
    return {
      ...res,
      body: (async function* () {
        yield bytes;
      })(),
    };
  const fixed = Buffer.from(JSON.stringify({ ...error, code: 'invalid_argument' }));
  const header = new Headers(res.header);
  header.set('content-length', String(fixed.byteLength));
  return {
    ...res,
    status: 400,
    header,
    body: (async function* () {
      yield fixed;
    })(),
  };
}

/** The handler, with a client's undecodable request answered INVALID_ARGUMENT in every protocol. */
export function answerUnparsableRequests(handler: UniversalHandler): UniversalHandler {
  const wrapped = async (req: Parameters<UniversalHandler>[0]): Promise<UniversalServerResponse> => {
    const res = await handler(req);
    fixGrpcStatus(res.header);
    if (!res.body || !(Symbol.asyncIterator in Object(res.body))) return res;
    const contentType = res.header?.get('content-type') ?? '';
    const unaryConnect = contentType.startsWith('application/json') || contentType.startsWith('application/proto');
    if (unaryConnect && res.status === 500 && !res.header?.get('content-encoding')) return fixUnaryConnect(res);
    // Any other unary Connect answer is one message or an error, no envelopes: nothing to correct.
    if (unaryConnect) return res;
    return { ...res, body: withFixedEnd(res.body as AsyncIterable<Uint8Array>, res.trailer) };
  };
  return Object.assign(wrapped, handler);
}
