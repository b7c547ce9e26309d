export interface FormattedBody {
  kind: 'empty' | 'json' | 'text' | 'binary';
  text: string;
  /** application/problem+json: the server describes an error (RFC 9457) */
  problem: boolean;
}

/** A response body for reading: JSON indented, text as is, binary named rather than garbled. */
export function formatBody(contentType: string | null, body: Uint8Array): FormattedBody {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const problem = type === 'application/problem+json';
  if (body.length === 0) return { kind: 'empty', text: '', problem };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2), problem };
    } catch {
      return { kind: 'text', text, problem };
    }
  }
  if (type.startsWith('text/') || type.endsWith('+xml') || type === 'application/xml' || type === 'application/javascript' || looksLikeText(body)) {
    return { kind: 'text', text, problem };
  }
  return { kind: 'binary', text: `${body.length} bytes (${type || 'no Content-Type'})`, problem };
}

function looksLikeText(body: Uint8Array): boolean {
  const sample = body.subarray(0, 512);
  return sample.every((byte) => byte >= 9);
}

/** 1234 → "1.2 KB" style sizes, exact below a kilobyte. */
export function formatBytes(bytes: number, lang: 'ru' | 'en'): string {
  const unit = lang === 'ru' ? { b: 'Б', kb: 'КБ', mb: 'МБ' } : { b: 'B', kb: 'KB', mb: 'MB' };
  const number = (value: number) => value.toLocaleString(lang, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} ${unit.b}`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024)} ${unit.kb}`;
  return `${number(bytes / 1024 / 1024)} ${unit.mb}`;
}
