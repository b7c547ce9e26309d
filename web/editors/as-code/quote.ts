// String literals for each language. JSON's escapes (\" \\ \n \uXXXX) are valid in Python,
// JavaScript and Go interpreted strings alike, and JSON.stringify never writes \/ or a raw
// control character, so one quoting serves three languages.

/** A double-quoted literal valid in Python, JavaScript and Go. */
export function literal(text: string): string {
  return JSON.stringify(text);
}

/** Single-quoted for POSIX shells: nothing inside is special except the quote itself. */
export { shellQuote } from '../http/curl-command.ts';

/** A JSON value as source text: compact, one line (valid in Python only through json.loads). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value);
}

/** Indents every line but the first. */
export function indentTail(text: string, spaces: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(spaces)}`);
}

export function hostPort(origin: string): { host: string; port: number; secure: boolean } {
  const url = new URL(origin);
  const secure = url.protocol === 'https:';
  return { host: url.hostname, port: url.port ? Number(url.port) : secure ? 443 : 80, secure };
}

export function wsOrigin(origin: string): string {
  return origin.replace(/^http/, 'ws');
}
