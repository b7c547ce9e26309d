import { formatHex, parseHex, type HexError } from '../console-kit/hex.ts';

// A PUBLISH payload is bytes; MQTT does not say what they mean. The console lets the student
// write them as text (UTF-8), as JSON (checked, sent as typed) or as hex pairs.

export type PayloadFormat = 'text' | 'json' | 'hex';
export const PAYLOAD_FORMATS: readonly PayloadFormat[] = ['text', 'json', 'hex'];

export type PayloadError = { format: 'hex'; error: HexError } | { format: 'json'; message: string };

export type PayloadParse = { ok: true; bytes: Uint8Array } | { ok: false; error: PayloadError };

export function encodePayload(text: string, format: PayloadFormat): PayloadParse {
  if (format === 'hex') {
    // An empty payload is allowed in MQTT (it clears a retained message): no digits, no bytes.
    if (text.trim() === '') return { ok: true, bytes: new Uint8Array(0) };
    const parsed = parseHex(text);
    return parsed.ok ? { ok: true, bytes: parsed.bytes } : { ok: false, error: { format: 'hex', error: parsed.error } };
  }
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      return { ok: false, error: { format: 'json', message: (error as Error).message } };
    }
  }
  return { ok: true, bytes: new TextEncoder().encode(text) };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A received payload for the log: its text when it is UTF-8 without control bytes, else hex. */
export function describePayload(bytes: Uint8Array): { kind: 'text' | 'hex'; text: string } {
  try {
    const text = strictUtf8.decode(bytes);
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return { kind: 'text', text };
  } catch {
    // not UTF-8: shown as bytes
  }
  return { kind: 'hex', text: formatHex(bytes) };
}
