// The 5-byte envelope every message of gRPC, gRPC-Web and Connect streaming travels in: one flags
// byte, the message length as a 4-byte big-endian unsigned integer, the message. gRPC's
// PROTOCOL-HTTP2.md ("Length-Prefixed-Message"), gRPC-Web's PROTOCOL-WEB.md (flag 0x80: the
// trailers), the Connect protocol's streaming envelope (flag 0x02: the end-stream message).
// One copy of these rules: the inspector's decoder, the server's own answers and fast paths,
// and the bench all use it (connect-es keeps the same in its envelope.ts).

export const ENVELOPE_HEADER_BYTES = 5;

/** The flag bits, by protocol (the same byte carries all). */
export const ENVELOPE_FLAGS = {
  /** gRPC, gRPC-Web, Connect: the message is compressed with the call's `grpc-encoding`/`connect-content-encoding` */
  compressed: 0x01,
  /** Connect streaming: the last envelope, its message the end-stream JSON (error and trailers) */
  connectEndStream: 0x02,
  /** gRPC-Web: the last envelope, its message the trailers as HTTP/1.1 header lines */
  grpcWebTrailers: 0x80,
} as const;

/** The message length the envelope at `at` declares (the caller checked 5 bytes are there). */
export function envelopeLength(bytes: Uint8Array, at = 0): number {
  return bytes[at + 1]! * 0x1000000 + ((bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!);
}

/** `data` in an envelope with `flags`. */
export function encodeEnvelope(flags: number, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(ENVELOPE_HEADER_BYTES + data.byteLength);
  bytes[0] = flags;
  bytes[1] = data.byteLength >>> 24;
  bytes[2] = (data.byteLength >>> 16) & 0xff;
  bytes[3] = (data.byteLength >>> 8) & 0xff;
  bytes[4] = data.byteLength & 0xff;
  bytes.set(data, ENVELOPE_HEADER_BYTES);
  return bytes;
}

/**
 * The bytes as exactly one whole envelope (its flags and a view of its message, no copy), else
 * null: fewer than 5 bytes, or a length that does not end where the bytes end.
 */
export function exactlyOneEnvelope<Bytes extends Uint8Array>(bytes: Bytes): { flags: number; data: Bytes } | null {
  if (bytes.byteLength < ENVELOPE_HEADER_BYTES) return null;
  if (envelopeLength(bytes) + ENVELOPE_HEADER_BYTES !== bytes.byteLength) return null;
  return { flags: bytes[0]!, data: bytes.subarray(ENVELOPE_HEADER_BYTES) as Bytes };
}

/** The whole envelopes at the start of `bytes` (views, no copy); an unfinished one is left out. */
export function wholeEnvelopes<Bytes extends Uint8Array>(bytes: Bytes): Array<{ flags: number; data: Bytes }> {
  const envelopes: Array<{ flags: number; data: Bytes }> = [];
  let at = 0;
  while (bytes.byteLength - at >= ENVELOPE_HEADER_BYTES) {
    const end = at + ENVELOPE_HEADER_BYTES + envelopeLength(bytes, at);
    if (end > bytes.byteLength) break;
    envelopes.push({ flags: bytes[at]!, data: bytes.subarray(at + ENVELOPE_HEADER_BYTES, end) as Bytes });
    at = end;
  }
  return envelopes;
}
