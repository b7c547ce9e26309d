// A WebSocket frame's head (RFC 6455 §5.2), read by the inspector's decoder and by the
// classroom's filter of relayed masked frames (server/classroom/blanking/masked-frame-filter.ts).

export interface FrameHead {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  /** the 7-bit length field as sent (126: 16 more bits follow, 127: 64 more) */
  length7: number;
  /** the payload's length in bytes */
  length: number;
  lengthBits: 7 | 16 | 64;
  /** bytes of the head: 2, the extended length, the masking key */
  headerLength: number;
  /** the 64-bit length had its most significant bit set, or does not fit a JS number exactly */
  lengthTooLarge: boolean;
}

/** How long the head whose second byte is `second` is: 2 to 14 bytes. */
export function frameHeadLength(second: number): number {
  const length7 = second & 0x7f;
  const lengthBytes = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  return 2 + lengthBytes + ((second & 0x80) !== 0 ? 4 : 0);
}

/** The frame head at `at`, or null while its bytes are incomplete. */
export function readFrameHead(bytes: Uint8Array, at: number): FrameHead | null {
  if (bytes.length - at < 2) return null;
  const b0 = bytes[at];
  const b1 = bytes[at + 1];
  const length7 = b1 & 0x7f;
  const lengthBits: 7 | 16 | 64 = length7 === 126 ? 16 : length7 === 127 ? 64 : 7;
  const headerLength = frameHeadLength(b1);
  if (bytes.length - at < headerLength) return null;
  let length = length7;
  let lengthTooLarge = false;
  if (lengthBits === 16) length = (bytes[at + 2] << 8) | bytes[at + 3];
  if (lengthBits === 64) {
    const high = ((bytes[at + 2] << 24) | (bytes[at + 3] << 16) | (bytes[at + 4] << 8) | bytes[at + 5]) >>> 0;
    const low = ((bytes[at + 6] << 24) | (bytes[at + 7] << 16) | (bytes[at + 8] << 8) | bytes[at + 9]) >>> 0;
    lengthTooLarge = high >= 0x200000;
    length = high * 2 ** 32 + low;
  }
  return {
    fin: (b0 & 0x80) !== 0,
    rsv1: (b0 & 0x40) !== 0,
    rsv2: (b0 & 0x20) !== 0,
    rsv3: (b0 & 0x10) !== 0,
    opcode: b0 & 0x0f,
    masked: (b1 & 0x80) !== 0,
    length7,
    length,
    lengthBits,
    headerLength,
    lengthTooLarge,
  };
}

/** The masking key of a masked frame whose head starts at `at` (the head's last four bytes). */
export function maskKeyOf(bytes: Uint8Array, at: number, head: FrameHead): Uint8Array | null {
  return head.masked ? bytes.subarray(at + head.headerLength - 4, at + head.headerLength) : null;
}
