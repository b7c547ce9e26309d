// Bytes to text and pieces to one, on Uint8Array alone (no Node Buffer: wire/ runs in the browser).

/** Characters per String.fromCharCode call: far below any engine's limit on arguments. */
const CHARS_PER_CALL = 4096;
/** Up to this many bytes, a loop (measured on Node 20: 0.46 µs against 1.08 µs for 20 bytes). */
const SHORT = 64;

/**
 * The bytes as ISO-8859-1 text, byte n → U+00nn, as Node's parser names a request's method and
 * target. Not TextDecoder('latin1'): the Encoding Standard makes that label windows-1252, which
 * turns 0x80–0x9F into other characters (0x85 → "…").
 */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let text = '';
  // A method, a target, a header value: one character at a time is twice as fast as apply here.
  if (end - start <= SHORT) {
    for (let at = start; at < end; at += 1) text += String.fromCharCode(bytes[at]);
    return text;
  }
  for (let from = start; from < end; from += CHARS_PER_CALL) {
    const part = bytes.subarray(from, Math.min(end, from + CHARS_PER_CALL));
    text += String.fromCharCode.apply(null, part as unknown as number[]);
  }
  return text;
}

/** The pieces, one after the other, in one array (the piece itself when there is one). */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let length = 0;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
