import type { HttpRequestText } from './parse-http-request.ts';

/** Single-quoted for POSIX shells: nothing inside is special except the quote itself. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The typed request as a curl command against this server, in the same sandbox as the browser:
 * `x-wirelab-sandbox` carries the session's curl token (never the session id: whoever holds the
 * id could read the student's captures), so curl's changes and bytes show up here.
 * Every typed header goes along, including those the browser refuses to send.
 */
export function curlCommand(request: HttpRequestText, origin: string, curlToken: string): string {
  const url = new URL(request.target, origin);
  const absolute = url.origin === new URL(origin).origin ? url.href : new URL(url.pathname + url.search, origin).href;
  // curl -X HEAD waits for a body that never comes; -I sends HEAD and expects none
  const method = request.method.toUpperCase() === 'HEAD' ? ['-I'] : ['-i', '-X', request.method];
  const parts = ['curl', ...method, shellQuote(absolute)];
  for (const header of request.headers) parts.push('-H', shellQuote(`${header.name}: ${header.value}`));
  parts.push('-H', shellQuote(`x-wirelab-sandbox: ${curlToken}`));
  if (request.body !== null) parts.push('--data-raw', shellQuote(request.body));
  return parts.join(' ');
}
