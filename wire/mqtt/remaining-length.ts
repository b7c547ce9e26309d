// MQTT 3.1.1 §2.2.3: the remaining length after a packet's first byte, 1 to 4 bytes of 7 bits
// each, least significant first, the high bit set when another byte follows; at most
// 268 435 455. One copy of the rule: the one-port listener's sniff, the broker's size guard and
// packet gate (server/), and the check kit's packets (server/own-server/) read and write it here.

export const MAX_REMAINING_LENGTH_BYTES = 4;
export const MAX_REMAINING_LENGTH = 268_435_455;

/** A remaining length read from bytes: its value and where the packet's body starts; or why not. */
export type RemainingLengthRead = { length: number; bodyStart: number } | 'need-more' | 'malformed';

/**
 * Reads one byte at a time, for a stream whose length may arrive split over chunks: `push`
 * answers the length once its last byte came, `more` before, `malformed` after a fourth byte
 * that still says another follows. It keeps the (at most four) bytes and reads them with
 * readRemainingLength: the rule is written once.
 */
export class RemainingLengthReader {
  private readonly bytes = new Uint8Array(MAX_REMAINING_LENGTH_BYTES);
  private count = 0;

  push(byte: number): number | 'more' | 'malformed' {
    this.bytes[this.count++] = byte;
    const read = readRemainingLength(this.bytes, 0, this.count);
    if (read === 'need-more') return 'more';
    this.count = 0;
    return read === 'malformed' ? 'malformed' : read.length;
  }
}

/** The remaining length whose first byte is at `at` (the byte after the packet's first); `end`: where the bytes read end. */
export function readRemainingLength(bytes: Uint8Array, at: number, end = bytes.length): RemainingLengthRead {
  let length = 0;
  for (let index = 0; index < MAX_REMAINING_LENGTH_BYTES; index++) {
    if (at + index >= end) return 'need-more';
    const byte = bytes[at + index]!;
    length += (byte & 0x7f) * 128 ** index;
    if ((byte & 0x80) === 0) return { length, bodyStart: at + index + 1 };
  }
  return 'malformed';
}

/** How a remaining length is written (1 to 4 bytes); a length past MAX_REMAINING_LENGTH throws, as no packet can carry it. */
export function encodeRemainingLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > MAX_REMAINING_LENGTH)
    throw new RangeError(`an MQTT remaining length is 0 to ${MAX_REMAINING_LENGTH}: ${length}`);
  const bytes: number[] = [];
  let rest = length;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    bytes.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return Uint8Array.from(bytes);
}

/**
 * The remaining length of a PUBLISH (§3.3): the topic's 2-byte length and its UTF-8 bytes, the
 * packet identifier at QoS 1 and 2, the payload.
 */
export function publishRemainingLength(topicBytes: number, payloadBytes: number, qos: 0 | 1 | 2): number {
  return 2 + topicBytes + (qos > 0 ? 2 : 0) + payloadBytes;
}
