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
 * `JSON.stringify(value)` encoded as UTF-8, written in steps: the text is encoded a piece at a time
 * and `between()` awaited after every `stepChars` of it (message-turns.ts: a turn of the event
 * loop), so a big answer never holds the loop for more than a step's worth.
 */
export async function jsonBytesInSteps(value: JsonValue, between: () => Promise<void>, stepChars = 2 * SLICE_CHARS): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let pending: string[] = [];
  let pendingChars = 0;
  let sinceStep = 0;
  const flush = () => {
    chunks.push(encoder.encode(pending.join('')));
    sinceStep += pendingChars;
    pending = [];
    pendingChars = 0;
  };
  for (const piece of jsonPieces(value)) {
    pending.push(piece);
    pendingChars += piece.length;
    if (pendingChars < SLICE_CHARS) continue;
    flush();
    if (sinceStep >= stepChars) {
      sinceStep = 0;
      await between();
    }
  }
  flush();
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
