// Builds WebSocket bytes for unit tests of edge cases that real clients never send (unmasked
// client frames, oversized control frames…). Captured fixtures cover what real clients do.
import type { CaptureChunk, CapturedConnection } from '../types.ts';

export interface FrameSpec {
  fin?: boolean;
  rsv1?: boolean;
  opcode: number;
  payload?: Uint8Array | string;
  /** a masking key makes a masked frame */
  mask?: [number, number, number, number];
  /** write the length with more bits than needed (a protocol violation) */
  lengthBits?: 7 | 16 | 64;
}

export function frameBytes(spec: FrameSpec): Uint8Array {
  const payload = typeof spec.payload === 'string' ? new TextEncoder().encode(spec.payload) : (spec.payload ?? new Uint8Array(0));
  const bits = spec.lengthBits ?? (payload.length < 126 ? 7 : payload.length <= 0xffff ? 16 : 64);
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 ? 0x40 : 0) | spec.opcode];
  const maskBit = spec.mask ? 0x80 : 0;
  if (bits === 7) head.push(maskBit | payload.length);
  else if (bits === 16) head.push(maskBit | 126, payload.length >> 8, payload.length & 0xff);
  else {
    head.push(maskBit | 127, 0, 0, 0, 0);
    head.push((payload.length >>> 24) & 0xff, (payload.length >>> 16) & 0xff, (payload.length >>> 8) & 0xff, payload.length & 0xff);
  }
  if (spec.mask) head.push(...spec.mask);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  for (let index = 0; index < payload.length; index += 1) {
    out[head.length + index] = spec.mask ? payload[index] ^ spec.mask[index & 3] : payload[index];
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The RFC 6455 §1.3 example key and the accept value a server must answer. */
export const RFC_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const RFC_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

export function handshake(options: { path?: string; accept?: string; protocol?: string; offer?: string } = {}): { request: Uint8Array; response: Uint8Array } {
  const encoder = new TextEncoder();
  const request =
    `GET ${options.path ?? '/ws/echo'} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${RFC_KEY}\r\nSec-WebSocket-Version: 13\r\n${options.offer ? `Sec-WebSocket-Protocol: ${options.offer}\r\n` : ''}\r\n`;
  const response =
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Accept: ${options.accept ?? RFC_ACCEPT}\r\n${options.protocol ? `Sec-WebSocket-Protocol: ${options.protocol}\r\n` : ''}\r\n`;
  return { request: encoder.encode(request), response: encoder.encode(response) };
}

/**
 * A connection whose inbound and outbound bytes arrive as the given pieces (each a chunk, in
 * order, 1 ms apart, inbound piece i before outbound piece i).
 */
export function connectionOf(inPieces: Uint8Array[], outPieces: Uint8Array[], closed = false): { connection: CapturedConnection; chunks: CaptureChunk[] } {
  const chunks: CaptureChunk[] = [];
  let seq = 0;
  const offsets = { in: 0, out: 0 };
  const count = Math.max(inPieces.length, outPieces.length);
  for (let index = 0; index < count; index += 1) {
    for (const [dir, pieces] of [
      ['in', inPieces],
      ['out', outPieces],
    ] as const) {
      const data = pieces[index];
      if (!data || data.length === 0) continue;
      chunks.push({ conn: 'c1', seq: seq++, dir, t: 1000 + seq, offset: offsets[dir], data });
      offsets[dir] += data.length;
    }
  }
  return {
    connection: { id: 'c1', transport: 'http/1.1', remote: '127.0.0.1:5000', local: '127.0.0.1:8080', openedAt: 1000, ...(closed ? { closedAt: 2000 } : {}) },
    chunks,
  };
}
