// The fields of an MQTT packet's body (MQTT 3.1.1 §1.5): bytes, two-byte integers (big-endian),
// and two-byte-length-prefixed strings or binary data. One reader of them for every side: the
// inspector's decoder (decode-mqtt.ts) builds its tree on these reads, the broker's check of a
// client's packet (server/protocols/mqtt/client-packet-rules.ts) reads its fields here.

/** The two-byte integer at `at` (§1.5.2), big-endian; the caller checks two bytes are there. */
export function readUint16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

/** Reads one packet's body field by field, from its start; a read past its end gives undefined (as the old reader of the broker's rules did, a length read stays read). */
export class BodyFields {
  at = 0;
  constructor(readonly body: Uint8Array) {}

  /** bytes not read yet */
  get left(): number {
    return this.body.length - this.at;
  }

  byte(): number | undefined {
    return this.at < this.body.length ? this.body[this.at++] : undefined;
  }

  uint16(): number | undefined {
    if (this.left < 2) return undefined;
    const value = readUint16(this.body, this.at);
    this.at += 2;
    return value;
  }

  /** A 2-byte length and that many bytes (a UTF-8 string §1.5.3, or binary data). */
  lengthPrefixed(): Uint8Array | undefined {
    const length = this.uint16();
    if (length === undefined || this.left < length) return undefined;
    const bytes = this.body.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }
}
