// What a page may put in a close frame (WHATWG WebSockets, close()): the browser throws for
// anything else, so the console checks first and explains.

/** A reason longer than this in UTF-8 does not fit a control frame (125 bytes minus the 2-byte code). */
export const MAX_CLOSE_REASON_BYTES = 123;

export type CloseError =
  | { code: 'code-not-number'; text: string }
  | { code: 'code-not-allowed'; value: number }
  | { code: 'reason-without-code' }
  | { code: 'reason-too-long'; bytes: number };

export type CloseRequest = { ok: true; code?: number; reason?: string } | { ok: false; error: CloseError };

/** 1000, or 3000–4999 (registered and private codes): the only codes a page may send. */
export function isPageCloseCode(code: number): boolean {
  return code === 1000 || (code >= 3000 && code <= 4999);
}

export function parseCloseRequest(codeText: string, reason: string): CloseRequest {
  const trimmed = codeText.trim();
  if (trimmed === '') return reason === '' ? { ok: true } : { ok: false, error: { code: 'reason-without-code' } };
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: { code: 'code-not-number', text: trimmed } };
  const code = Number(trimmed);
  if (!isPageCloseCode(code)) return { ok: false, error: { code: 'code-not-allowed', value: code } };
  const bytes = new TextEncoder().encode(reason).length;
  if (bytes > MAX_CLOSE_REASON_BYTES) return { ok: false, error: { code: 'reason-too-long', bytes } };
  return reason === '' ? { ok: true, code } : { ok: true, code, reason };
}
