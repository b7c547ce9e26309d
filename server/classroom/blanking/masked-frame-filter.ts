import { type FrameHead, frameHeadLength, maskKeyOf, readFrameHead } from '../../../wire/websocket/frame-head.ts';

const STAR = 0x2a;
/** An unmasked frame's payload is XORed with nothing. */
const NO_MASK = [0, 0, 0, 0];

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
 * The frame heads are read by wire/websocket/frame-head.ts. A compressed frame (RSV1, set on a
 * permessage-deflate message) cannot be searched: its whole payload is blanked. Wirelab's
 * endpoints do not offer compression; this is for a server that one day does.
 */
export class MaskedFrameFilter {
  /** the bytes of the frame head being read (2 to 14) */
  private head: number[] = [];
  private headNeeded = 2;
  private payloadLeft = 0;
  private payloadSeen = 0;
  private mask: ArrayLike<number> = NO_MASK;
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
      this.head.push(data[index]);
      if (this.head.length === 2) this.headNeeded = frameHeadLength(this.head[1]);
      if (this.head.length === this.headNeeded) this.startPayload();
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
    const bytes = Uint8Array.from(this.head);
    // (never null: the head has all its bytes)
    const head = readFrameHead(bytes, 0) as FrameHead;
    this.mask = maskKeyOf(bytes, 0, head) ?? NO_MASK;
    this.compressed = head.rsv1;
    // a 64-bit length past 2^53 is far beyond anything a connection carries: it only counts as large
    this.payloadLeft = head.length;
    this.payloadSeen = 0;
    this.head = [];
    this.headNeeded = 2;
  }
}
