// One gRPC call over h2c (HTTP/2 with prior knowledge, what gRPC clients speak without TLS),
// through a guarded socket. Written by hand rather than with a gRPC library because a check must
// do what a library forbids: send a deadline and NOT enforce it itself, so that only the server
// can answer DEADLINE_EXCEEDED; call a method no .proto declares. The report shows the HTTP/2
// frames decoded (headers by name, messages as their length-prefixed bytes).
import { runMarkHeader } from './wirelab-itself.ts';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders, type IncomingHttpStatusHeader } from 'node:http2';
import { hex, noteIfSilent, withSeen, withTimeout, type SuiteContext } from './check-kit.ts';
import { openGuardedHttp2Stream } from './connection.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { encodeEnvelope, wholeEnvelopes } from '../../wire/grpc/envelope.ts';

export interface GrpcAnswer {
  httpStatus: number;
  contentType: string;
  messages: Uint8Array[];
  /**
   * grpc-status from the trailers, or from the headers of a trailers-only answer; without one, the
   * code a gRPC client derives from the HTTP status (`statusFromHttp`); null when there is neither.
   */
  status: number | null;
  /** True when `status` was derived from the HTTP status, not sent as grpc-status. */
  statusFromHttp: boolean;
  /** Where grpc-status came: the response HEADERS (right only for a Trailers-Only answer, no DATA) and the trailers. */
  statusInHeaders: boolean;
  statusInTrailers: boolean;
  statusMessage: string;
  sent: string;
  got: string;
}

/** A message in the gRPC envelope (uncompressed): wire/grpc/envelope.ts. */
export const frameMessage = (message: Uint8Array): Uint8Array => encodeEnvelope(0, message);

/** The whole messages of a body, without their envelopes. */
export const unframeMessages = (body: Uint8Array): Uint8Array[] => wholeEnvelopes(body).map((envelope) => envelope.data);

function headerLines(headers: IncomingHttpHeaders & IncomingHttpStatusHeader): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
}

function openSession(context: SuiteContext): ClientHttp2Session {
  const host = context.target.host.includes(':') ? `[${context.target.host}]` : context.target.host;
  return connect(`http://${host}:${context.target.port}`, { createConnection: () => openGuardedHttp2Stream(context.target, context) });
}

/**
 * gRPC's "HTTP to gRPC Status Code Mapping" (PROTOCOL-HTTP2.md): what a client reports when an
 * answer carries no grpc-status at all, e.g. an HTTP 404 for a method the server does not know.
 */
export function grpcStatusFromHttp(httpStatus: number): number | null {
  const mapping: Record<number, number> = { 400: 13, 401: 16, 403: 7, 404: 12, 429: 14, 502: 14, 503: 14, 504: 14 };
  if (httpStatus === 0 || httpStatus === 200) return null;
  return mapping[httpStatus] ?? 2;
}

export interface GrpcCallSpec {
  path: string;
  /** Already-encoded protobuf messages; all are sent, then the request ends. */
  messages: Uint8Array[];
  /** `grpc-timeout` as sent (e.g. `300m`); never enforced here. */
  timeout?: string;
  /** Custom metadata sent with the call (`-bin` values base64, as PROTOCOL-HTTP2.md says). */
  metadata?: Record<string, string>;
}

export function grpcCall(context: SuiteContext, spec: GrpcCallSpec): Promise<GrpcAnswer> {
  const session = openSession(context);
  const requestHeaders: Record<string, string> = {
    ':method': 'POST',
    ':path': spec.path,
    'content-type': 'application/grpc+proto',
    te: 'trailers',
    ...(spec.timeout ? { 'grpc-timeout': spec.timeout } : {}),
    ...runMarkHeader(context),
    ...spec.metadata,
  };
  const body = Buffer.concat(spec.messages.map(frameMessage));
  const sent = [`→ HEADERS`, ...Object.entries(requestHeaders).map(([name, value]) => `  ${name}: ${value}`), `→ DATA ${hex(body)} (END_STREAM)`].join('\n');
  // node:http2 emits 'response' and 'trailers' a tick late but 'data' at once, so a DATA frame read
  // with its HEADERS would be logged first. A stream's frames come in one order (RFC 9113 §8.1:
  // HEADERS, DATA, trailing HEADERS; node ends the stream on any other), so each kind is kept
  // apart and the transcript lists them in that order, the order they crossed the wire.
  const log = { headers: [] as string[], data: [] as string[], trailers: [] as string[] };
  const got = () => [...log.headers, ...log.data, ...log.trailers].join('\n');
  const call = new Promise<GrpcAnswer>((resolve, reject) => {
    session.once('error', reject);
    const stream = session.request(requestHeaders);
    const chunks: Buffer[] = [];
    let received = 0;
    let headers: IncomingHttpHeaders & IncomingHttpStatusHeader = {};
    let trailers: IncomingHttpHeaders = {};
    stream.once('response', (answer) => {
      headers = answer;
      log.headers.push('← HEADERS', ...headerLines(answer).map((line) => `  ${line}`));
    });
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > OWN_SERVER_LIMITS.bytesReceivedPerConnection) stream.close();
      chunks.push(chunk);
      log.data.push(`← DATA ${hex(chunk)}`);
    });
    stream.once('trailers', (answer) => {
      trailers = answer;
      log.trailers.push('← TRAILERS', ...headerLines(answer).map((line) => `  ${line}`));
    });
    stream.once('error', reject);
    stream.once('close', () => {
      const statusText = trailers['grpc-status'] ?? headers['grpc-status'];
      const messageText = trailers['grpc-message'] ?? headers['grpc-message'];
      const httpStatus = Number(headers[':status'] ?? 0);
      resolve({
        httpStatus,
        contentType: String(headers['content-type'] ?? ''),
        messages: unframeMessages(Buffer.concat(chunks)),
        status: statusText === undefined ? grpcStatusFromHttp(httpStatus) : Number(statusText),
        statusFromHttp: statusText === undefined && grpcStatusFromHttp(httpStatus) !== null,
        statusInHeaders: headers['grpc-status'] !== undefined,
        statusInTrailers: trailers['grpc-status'] !== undefined,
        statusMessage: messageText === undefined ? '' : decodeURIComponent(String(messageText)),
        sent,
        got: got(),
      });
    });
    stream.end(body);
  });
  return withTimeout(call, OWN_SERVER_LIMITS.checkTimeoutMs, context.signal, spec.path)
    .catch((error: unknown) => {
      // an HTTP/2 server sends its SETTINGS first: nothing at all means nobody speaks on this connection
      noteIfSilent(context, error, session.socket?.bytesRead ?? 0);
      throw withSeen(error, { sent, got: got() });
    })
    .finally(() => session.destroy());
}
