import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DescService } from '@bufbuild/protobuf';
import { Http2ServerResponse } from 'node:http2';
import { ENVELOPE_FLAGS, encodeEnvelope } from '../../../wire/grpc/envelope.ts';

/**
 * A call to a method nobody serves (`/pkg.Service/Method` with no route) reached the app's 404,
 * which answers problem+json: a gRPC client then reports a status made up from the HTTP 404
 * ("Received http2 header with status: 404") and a Connect client a bare UNIMPLEMENTED without
 * the server's words. Answered here instead as gRPC servers answer it, in each protocol's shape
 * (grpc-go's "unknown service …" / "unknown method … for service …"):
 * - gRPC: HTTP 200, trailers-only (`grpc-status: 12` and `grpc-message` in the only HEADERS frame);
 * - gRPC-Web: the same, headers only (the gRPC-Web protocol's trailers-only response);
 * - Connect unary (POST or GET `?connect=v1`): HTTP 404 with the Connect error JSON
 *   `{"code":"unimplemented"}` (the Connect protocol maps unimplemented to 404);
 * - Connect streaming: HTTP 200 with one end-stream message carrying that error.
 * Anything else (not POST, not RPC-shaped, not an RPC media type) is left to the app's 404.
 */
const RPC_PATH = /^\/([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+)\/([A-Za-z_]\w*)$/;
const GRPC_WEB = /^application\/grpc-web(-text)?(\+\w+)?$/;
const GRPC = /^application\/grpc(\+\w+)?$/;
const CONNECT_STREAM = /^application\/connect\+\w+$/;
const CONNECT_UNARY = /^application\/(json|proto)$/;
const GRPC_UNIMPLEMENTED = '12';

type Shape = 'grpc' | 'grpc-web' | 'connect-unary' | 'connect-stream';

function shapeOf(request: FastifyRequest, contentType: string): Shape | null {
  if (request.method === 'GET') return (request.query as Record<string, unknown>)?.connect === 'v1' ? 'connect-unary' : null;
  if (request.method !== 'POST') return null;
  if (GRPC_WEB.test(contentType)) return 'grpc-web';
  if (GRPC.test(contentType)) return 'grpc';
  if (CONNECT_STREAM.test(contentType)) return 'connect-stream';
  if (CONNECT_UNARY.test(contentType)) return 'connect-unary';
  return null;
}

/** grpc-go's wording: a service nobody serves, or a method its service does not have. */
export function unimplementedMessage(service: string, method: string, served: readonly DescService[]): string {
  const known = served.find((s) => s.typeName === service);
  return known ? `unknown method ${method} for service ${service}` : `unknown service ${service}`;
}

/** gRPC's percent-encoding of grpc-message (printable ASCII but '%' stays as is). */
function grpcMessage(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), (byte) =>
    byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}

/** Answers an RPC-shaped request to an unknown method, or returns false and leaves it alone. */
export function answerUnknownMethod(request: FastifyRequest, reply: FastifyReply, served: readonly DescService[]): boolean {
  const path = request.url.split('?')[0];
  const match = RPC_PATH.exec(path);
  if (!match) return false;
  const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const shape = shapeOf(request, contentType);
  if (!shape) return false;
  const message = unimplementedMessage(match[1], match[2], served);
  const headers: Record<string, string | number | string[]> = {};
  for (const [key, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[key] = value;
  reply.hijack();
  const raw = reply.raw;
  if (shape === 'grpc' || shape === 'grpc-web') {
    const status = { ...headers, 'content-type': contentType, 'grpc-status': GRPC_UNIMPLEMENTED, 'grpc-message': grpcMessage(message) };
    // Trailers-only: on HTTP/2 the status goes in the one HEADERS frame, which ends the stream.
    if (raw instanceof Http2ServerResponse) raw.stream.respond({ ':status': 200, ...status }, { endStream: true });
    else raw.writeHead(200, { ...status, 'content-length': 0 }).end();
    return true;
  }
  const error = JSON.stringify({ code: 'unimplemented', message });
  if (shape === 'connect-unary') {
    raw.writeHead(404, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(error) });
    raw.end(error);
    return true;
  }
  const envelope = encodeEnvelope(ENVELOPE_FLAGS.connectEndStream, Buffer.from(JSON.stringify({ error: JSON.parse(error) })));
  raw.writeHead(200, { ...headers, 'content-type': contentType, 'content-length': envelope.byteLength });
  raw.end(envelope);
  return true;
}
