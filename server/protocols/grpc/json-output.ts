import type { JsonValue } from '@bufbuild/protobuf';

/** A string up to this long is stringified in one call; a longer one in slices of this size. */
export const SLICE_CHARS = 64 * 1024;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * `JSON.stringify(value)` (no indentation) as a sequence of pieces whose concatenation is the same
 * text, with long strings stringified in slices. One JSON.stringify of a 1 MB string took 7–35 ms
 * of CPU on the 2-core machine (27 Nov, load 9–12) — the longest thing the event loop ran beside
 * the soak's 1 MB echoes — while its 64 KiB slices took about a millisecond each. A slice never
 * ends between the two halves of a surrogate pair (each half alone would be escaped as a lone
 * surrogate); escapes are JSON.stringify's own.
 */
export function* jsonPieces(value: JsonValue, sliceChars = SLICE_CHARS): Generator<string> {
  if (typeof value === 'string') {
    if (value.length <= sliceChars) {
      yield JSON.stringify(value);
      return;
    }
    yield '"';
    for (let start = 0; start < value.length; ) {
      let end = Math.min(start + sliceChars, value.length);
      if (end < value.length && end - 1 > start && isHighSurrogate(value.charCodeAt(end - 1))) end -= 1;
      yield JSON.stringify(value.slice(start, end)).slice(1, -1);
      start = end;
    }
    yield '"';
  } else if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      // JSON.stringify writes a hole or undefined in an array as null
      yield* jsonPieces(value[i] ?? null, sliceChars);
    }
    yield ']';
  } else if (value !== null && typeof value === 'object') {
    yield '{';
    let first = true;
    // Object.keys: JSON.stringify's own order (integer-like keys first, then insertion order)
    for (const key of Object.keys(value)) {
      const member = value[key];
      if (member === undefined) continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      yield* jsonPieces(member, sliceChars);
    }
    yield '}';
  } else yield JSON.stringify(value);
}

/**
 * `JSON.stringify(value)` encoded as UTF-8, written in steps: the text is stringified a piece at a
 * time and `between()` awaited after every `stepChars` of it (message-turns.ts: a turn of the event
 * loop), so a big answer never holds the loop for more than a step's worth. The pieces are encoded
 * at the end into one array of their exact length (encoding is the cheap part: about 0.3 ms a
 * megabyte), so an answer allocates its bytes once, as in one piece.
 */
export async function jsonBytesInSteps(value: JsonValue, between: () => Promise<void>, stepChars = 2 * SLICE_CHARS): Promise<Uint8Array> {
  const pieces: string[] = [];
  let sinceStep = 0;
  for (const piece of jsonPieces(value)) {
    pieces.push(piece);
    sinceStep += piece.length;
    if (sinceStep >= stepChars) {
      sinceStep = 0;
      await between();
    }
  }
  const bytes = new Uint8Array(pieces.reduce((n, piece) => n + Buffer.byteLength(piece, 'utf8'), 0));
  const encoder = new TextEncoder();
  let at = 0;
  for (const piece of pieces) at += encoder.encodeInto(piece, bytes.subarray(at)).written;
  return bytes;
}
