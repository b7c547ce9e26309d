import { base64Decode, base64Encode } from '@bufbuild/protobuf/wire';

// base64 (RFC 4648 §4, and §5's URL-safe alphabet where a protocol allows it) read the way the
// decoders need: the bytes by @bufbuild/protobuf's base64Decode, after a check of the text's
// shape, because that function reads anything (it skips what it does not know) while a decoder
// must flag text that is not base64.

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const ANY_ALPHABET = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * The bytes of `text`, or null when it is not base64: a character outside the alphabet, padding
 * anywhere but at the end, padded text that is not whole 4-character groups, or one character
 * past a whole group (too few bits for a byte). Padding may be left out.
 */
export function decodeBase64(text: string, alphabet: 'standard' | 'standard-or-url' = 'standard'): Uint8Array | null {
  if (!(alphabet === 'standard' ? STANDARD : ANY_ALPHABET).test(text)) return null;
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length !== text.length && text.length % 4 !== 0) return null;
  if (unpadded.length % 4 === 1) return null;
  return base64Decode(unpadded);
}

/** Standard base64 with padding (RFC 4648 §4), by @bufbuild/protobuf's encoder (no btoa: it takes strings). */
export function encodeBase64(bytes: Uint8Array): string {
  return base64Encode(bytes, 'std');
}
