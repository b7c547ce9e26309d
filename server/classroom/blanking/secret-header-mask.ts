/** Headers whose values would hand the teacher's session (or key) to a follower. */
const SECRET_HEADERS = new Set([
  'cookie',
  'set-cookie',
  'x-wirelab-sandbox',
  'x-wirelab-teacher-key',
  'x-wirelab-member',
  'authorization',
  'proxy-authorization',
]);
const STAR = 0x2a;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
/** a header name longer than this is no header we blank */
const MAX_NAME = 32;
/** the secret headers' names as lowercase latin1 bytes, by length: compared in place, no string made per header */
const SECRET_NAMES_BY_LENGTH = new Map<number, Uint8Array[]>();
for (const name of SECRET_HEADERS) {
  const list = SECRET_NAMES_BY_LENGTH.get(name.length) ?? [];
  list.push(Buffer.from(name, 'latin1'));
  SECRET_NAMES_BY_LENGTH.set(name.length, list);
}

/**
 * Blanks the values of the teacher's secret request headers (`Cookie`, `x-wirelab-sandbox`…)
 * in an HTTP/1.1 connection's client → server bytes, byte for byte with `*`: lengths and
 * offsets stay those of the captured bytes, so the follower's decoders read the very frames
 * the teacher's connection carried, without the session id that would let a student act as the
 * teacher. Streaming: a header split over two chunks is still blanked.
 * Any line that starts with such a name is blanked, in a body too; a false positive hides a
 * few bytes of the teacher's body, never shows a secret.
 */
export class SecretHeaderMask {
  private atLineStart = true;
  /** the current line's header name so far (it may straddle chunks), up to MAX_NAME bytes */
  private readonly name = new Uint8Array(MAX_NAME);
  private nameLength = 0;
  private inName = false;
  private blanking = false;

  /**
   * `shown`: values that stay even under a secret header's name, because they are no secret (the
   * gRPC lesson's demo tokens, printed in its text: `Bearer wirelab-teacher`). Only a line whose
   * value is whole in one chunk can be recognised; a split one is blanked.
   */
  constructor(private readonly shown: ReadonlySet<string> = new Set()) {}

  apply(data: Uint8Array): Uint8Array {
    let out: Uint8Array | null = null;
    for (let index = 0; index < data.length; index += 1) {
      const byte = data[index];
      if (byte === LF) {
        this.atLineStart = true;
        this.blanking = false;
        this.inName = false;
        continue;
      }
      if (this.blanking) {
        if (byte !== CR && byte !== 0x20) {
          out ??= Uint8Array.from(data);
          out[index] = STAR;
        }
        continue;
      }
      if (this.atLineStart) {
        this.atLineStart = false;
        this.inName = true;
        this.nameLength = 0;
      }
      if (!this.inName) continue;
      if (byte === COLON) {
        this.inName = false;
        this.blanking = this.isSecretName() && !this.isShownValue(data, index + 1);
      } else if (byte === CR || this.nameLength >= MAX_NAME) {
        this.inName = false;
      } else {
        this.name[this.nameLength] = byte;
        this.nameLength += 1;
      }
    }
    return out ?? data;
  }

  /** Is the name read so far one of SECRET_HEADERS, in any letter case (ASCII)? */
  private isSecretName(): boolean {
    const candidates = SECRET_NAMES_BY_LENGTH.get(this.nameLength);
    if (!candidates) return false;
    return candidates.some((secret) => {
      for (let at = 0; at < secret.length; at += 1) {
        const byte = this.name[at];
        // ASCII upper case to lower; other bytes as they are (toLowerCase did the same for these names)
        const lower = byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
        if (lower !== secret[at]) return false;
      }
      return true;
    });
  }

  /** Is the header value starting at `from` one of the shown values, whole in this chunk? */
  private isShownValue(data: Uint8Array, from: number): boolean {
    if (this.shown.size === 0) return false;
    const end = data.indexOf(LF, from);
    if (end === -1) return false;
    const value = Buffer.from(data.buffer, data.byteOffset + from, end - from)
      .toString('latin1')
      .trim();
    return this.shown.has(value);
  }
}
