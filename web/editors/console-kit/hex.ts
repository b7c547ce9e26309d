/** Bytes written as hex pairs, spaces allowed anywhere: "01 02 ff", "0102FF". */
// bytes of an ArrayBuffer (never shared): what WebSocket.send and the other senders take (lib.dom's BufferSource)
export type HexParse = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; error: HexError };

export type HexError = { code: 'not-hex'; char: string; position: number } | { code: 'odd-digits'; digits: number } | { code: 'empty' };

export function parseHex(text: string): HexParse {
  const digits: string[] = [];
  for (let position = 0; position < text.length; position += 1) {
    const char = text[position];
    if (/\s/.test(char)) continue;
    if (!/[0-9a-fA-F]/.test(char)) return { ok: false, error: { code: 'not-hex', char, position } };
    digits.push(char);
  }
  if (digits.length === 0) return { ok: false, error: { code: 'empty' } };
  if (digits.length % 2 === 1) return { ok: false, error: { code: 'odd-digits', digits: digits.length } };
  const bytes = new Uint8Array(digits.length / 2);
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = Number.parseInt(digits[2 * index] + digits[2 * index + 1], 16);
  return { ok: true, bytes };
}

export function formatHex(bytes: Uint8Array, max = 64): string {
  const shown = Array.from(bytes.subarray(0, max), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} …` : shown;
}
