const STAR = 0x2a;
/** RFC 6455 §5.2: RSV1, set on a compressed message (permessage-deflate) */
const RSV1 = 0x40;

/** Finds what to blank in a stream of payload bytes (offsets into the bytes it is given). */
export interface PayloadScanner {
  find(text: string): Array<[number, number]>;
}

/**
 * A browser's WebSocket frames are masked (RFC 6455 §5.3): a secret in their payload is not in
 * the bytes as they crossed the wire. This walks the client → server frames of one connection,
 * unmasks the payload bytes of each chunk, lets the scanner blank them as one stream, and masks
 * the blanked bytes again with the frame's own key, so the follower's inspector unmasks `*`
 * where the secret was and every other byte is the one captured.
 *
 * A compressed frame (RSV1) cannot be searched: its whole payload is blanked. Wirelab's
 * endpoints do not offer compression; this is for a server that one day does.
 */
export class MaskedFrameFilter {
  private header: number[] = [];
  private headerNeeded = 2;
  private payloadLeft = 0;
  private payloadSeen = 0;
  private mask = [0, 0, 0, 0];
  private compressed = false;

  constructor(private readonly scanner: PayloadScanner) {}

  apply(data: Uint8Array): Uint8Array {
    const positions: number[] = [];
    const keys: number[] = [];
    const opaque: number[] = [];
    let unmasked = '';
    for (let index = 0; index < data.length; index += 1) {
      if (this.payloadLeft > 0) {
        const key = this.mask[this.payloadSeen % 4];
        this.payloadSeen += 1;
        this.payloadLeft -= 1;
        if (this.compressed) opaque.push(positions.length);
        positions.push(index);
        keys.push(key);
        unmasked += String.fromCharCode(data[index] ^ key);
        continue;
      }
      this.header.push(data[index]);
      if (this.header.length === 2) this.headerNeeded = headerLength(this.header);
      if (this.header.length === this.headerNeeded) this.startPayload();
    }
    const ranges = this.scanner.find(unmasked);
    if (ranges.length === 0 && opaque.length === 0) return data;
    const out = Uint8Array.from(data);
    for (const [from, to] of ranges) {
      for (let at = from; at < to; at += 1) out[positions[at]] = STAR ^ keys[at];
    }
    for (const at of opaque) out[positions[at]] = STAR ^ keys[at];
    return out;
  }

  private startPayload(): void {
    const [first, second] = this.header;
    const masked = (second & 0x80) !== 0;
    const short = second & 0x7f;
    let length = short;
    let at = 2;
    if (short === 126) {
      length = (this.header[2] << 8) | this.header[3];
      at = 4;
    } else if (short === 127) {
      // 2^53 is far beyond anything a connection carries; the high bytes only count as large
      length = this.header.slice(2, 10).reduce((sum, byte) => sum * 256 + byte, 0);
      at = 10;
    }
    this.mask = masked ? this.header.slice(at, at + 4) : [0, 0, 0, 0];
    this.compressed = (first & RSV1) !== 0;
    this.payloadLeft = length;
    this.payloadSeen = 0;
    this.header = [];
    this.headerNeeded = 2;
  }
}

function headerLength([, second]: number[]): number {
  const short = second & 0x7f;
  const extended = short === 126 ? 2 : short === 127 ? 8 : 0;
  return 2 + extended + ((second & 0x80) !== 0 ? 4 : 0);
}
