import type { FastifyRequest } from 'fastify';
import { unaryConnectTypeOf } from './unary-connect-call.ts';

/**
 * A unary Connect POST that goes to connect-fastify's route (every call with `fastPaths: false`)
 * gets its body as bytes when node's parser already holds all of it (a small body arrives with
 * the headers): connect-fastify hands a defined `request.body` to connect-es as the request's
 * body, and connect-es's unary Connect handler parses a `Uint8Array` body as it is. Otherwise it
 * reads the request through two async generators (connect-node's `asyncIterableFromNodeServerRequest`
 * over node's stream iterator, whose end-of-stream listeners cost more than the read, and
 * `readAllBytes`). Only where connect-es would read the same bytes and answer the same: an
 * uncompressed body (connect-es decompresses only what it reads itself) whose declared length is
 * within `readMaxBytes` and is exactly what arrived (what `readAllBytes` checks); anything else is
 * left for connect-es to read. Returns whether the body was handed over.
 */
export function handBufferedBodyToPlugin(request: FastifyRequest, readMaxBytes: number): boolean {
  const raw = request.raw;
  const type = unaryConnectTypeOf(raw, readMaxBytes);
  if (!type || !raw.complete || raw.readableLength !== type.length) return false;
  if (type.length === 0) {
    request.body = new Uint8Array(0);
    return true;
  }
  const body = raw.read() as Buffer | null;
  if (body === null) return false;
  if (body.byteLength === type.length) {
    request.body = body;
    return true;
  }
  raw.unshift(body);
  return false;
}
