// Whole WebSocket frames (RFC 6455 §5.2) written and split: for a client that must send what a
// library never would (an unmasked frame, reserved bits, a reserved opcode) and see every frame
// as it came, masked ones included. The head is read by frame-head.ts, as the inspector reads it.
import { maskKeyOf, readFrameHead } from './frame-head.ts';

export interface WholeFrame {
  fin: boolean;
  /** RSV1–RSV3 as 0b100–0b001 */
  rsv: number;
  opcode: number;
  /** unmasked */
  payload: Uint8Array;
  /** the mask bit was set */
  masked: boolean;
}

export interface FrameToWrite {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload?: Uint8Array;
  /** the 4-byte masking key (a client's frame, §5.3), or null for an unmasked frame */
  maskKey: Uint8Array | null;
}

/** The payload XOR the masking key (§5.3): masking and unmasking are the same. */
export function applyMask(payload: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length);
  for (let index = 0; index < payload.length; index++) out[index] = payload[index]! ^ key[index % 4]!;
  return out;
}

/** A frame's bytes; a payload past 2^53 bytes cannot be given, so every length fits the 64-bit field. */
export function encodeFrame(frame: FrameToWrite): Uint8Array {
  const payload = frame.payload ?? new Uint8Array(0);
  const { length } = payload;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const key = frame.maskKey;
  const head = new Uint8Array(2 + lengthBytes + (key ? 4 : 0));
  head[0] = ((frame.fin ?? true) ? 0x80 : 0) | (((frame.rsv ?? 0) & 0b111) << 4) | (frame.opcode & 0x0f);
  head[1] = (key ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) {
    head[2] = length >>> 8;
    head[3] = length & 0xff;
  } else if (lengthBytes === 8) {
    const high = Math.floor(length / 2 ** 32);
    for (let index = 0; index < 4; index++) {
      head[2 + index] = (high >>> (24 - 8 * index)) & 0xff;
      head[6 + index] = (length >>> (24 - 8 * index)) & 0xff;
    }
  }
  if (key) head.set(key.subarray(0, 4), head.length - 4);
  const bytes = new Uint8Array(head.length + length);
  bytes.set(head);
  bytes.set(key ? applyMask(payload, key) : payload, head.length);
  return bytes;
}

/** The whole frames at the start of `bytes` (payloads unmasked, copied); the rest waits for more bytes. */
export function splitFrames(bytes: Uint8Array): { frames: WholeFrame[]; rest: Uint8Array } {
  const frames: WholeFrame[] = [];
  let offset = 0;
  for (;;) {
    const head = readFrameHead(bytes, offset);
    if (!head || head.lengthTooLarge || bytes.length - offset - head.headerLength < head.length) break;
    const start = offset + head.headerLength;
    const raw = bytes.subarray(start, start + head.length);
    const key = maskKeyOf(bytes, offset, head);
    frames.push({
      fin: head.fin,
      rsv: (head.rsv1 ? 0b100 : 0) | (head.rsv2 ? 0b010 : 0) | (head.rsv3 ? 0b001 : 0),
      opcode: head.opcode,
      payload: key ? applyMask(raw, key) : raw.slice(),
      masked: head.masked,
    });
    offset = start + head.length;
  }
  return { frames, rest: bytes.subarray(offset) };
}
