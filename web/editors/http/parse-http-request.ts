/** A request as typed in a `.http` cell. */
export interface HttpRequestText {
  method: string;
  /** as typed: a path (`/api/v1/users?limit=2`) or an absolute URL */
  target: string;
  /** `HTTP/1.1` when typed (the browser picks the version it really uses) */
  version: string | null;
  headers: Array<{ name: string; value: string; line: number }>;
  /** null when nothing follows the blank line */
  body: string | null;
  /** line of the request line, and of the body's first line */
  requestLine: number;
  bodyLine: number | null;
}

export type HttpParseErrorCode =
  | 'empty'
  | 'missing-target'
  | 'space-in-target'
  | 'bad-method'
  | 'bad-target'
  | 'bad-version'
  | 'header-without-colon'
  | 'bad-header-name'
  | 'folded-header';

export interface HttpParseError {
  code: HttpParseErrorCode;
  /** 1-based line number in the cell */
  line: number;
  /** the offending piece of text, quoted in the message */
  text: string;
}

export type HttpParseResult = { ok: true; request: HttpRequestText } | { ok: false; error: HttpParseError };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VERSION = /^HTTP\/\d(\.\d)?$/;
const isComment = (line: string) => line.trimStart().startsWith('#');

/**
 * Parses the `.http` text of a cell: request line (`METHOD /path` or a full URL, optional
 * `HTTP/1.1`), headers, a blank line, the body. Lines starting with `#` before the body are comments.
 */
export function parseHttpRequest(text: string): HttpParseResult {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const fail = (code: HttpParseErrorCode, index: number, piece = lines[index] ?? ''): HttpParseResult => ({
    ok: false,
    error: { code, line: index + 1, text: piece.trim() },
  });

  let index = 0;
  while (index < lines.length && (lines[index].trim() === '' || isComment(lines[index]))) index++;
  if (index === lines.length) return fail('empty', 0, '');

  const requestLine = index;
  const words = lines[index].trim().split(/\s+/);
  if (words.length < 2) return fail('missing-target', index);
  const method = words[0];
  const hasVersion = words.length > 2 && /^HTTP\//i.test(words[words.length - 1]);
  const version = hasVersion ? words[words.length - 1] : null;
  const targetWords = words.slice(1, hasVersion ? -1 : undefined);
  if (!TOKEN.test(method)) return fail('bad-method', index, method);
  if (targetWords.length > 1) return fail('space-in-target', index, targetWords.join(' '));
  const target = targetWords[0];
  if (!isTarget(target)) return fail('bad-target', index, target);
  if (version !== null && !VERSION.test(version)) return fail('bad-version', index, version);
  index++;

  const headers: HttpRequestText['headers'] = [];
  for (; index < lines.length && lines[index].trim() !== ''; index++) {
    const line = lines[index];
    if (isComment(line)) continue;
    if (/^\s/.test(line)) return fail('folded-header', index);
    const colon = line.indexOf(':');
    if (colon === -1) return fail('header-without-colon', index);
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return fail('bad-header-name', index, name);
    headers.push({ name, value: line.slice(colon + 1).trim(), line: index + 1 });
  }

  index++; // the blank line
  const bodyLines = lines.slice(index);
  while (bodyLines.length > 0 && bodyLines[bodyLines.length - 1].trim() === '') bodyLines.pop();
  const body = bodyLines.length > 0 ? bodyLines.join('\n') : null;

  return {
    ok: true,
    request: { method, target, version, headers, body, requestLine: requestLine + 1, bodyLine: body === null ? null : index + 1 },
  };
}

function isTarget(target: string): boolean {
  if (target.startsWith('/')) return true;
  if (!/^https?:\/\//i.test(target)) return false;
  try {
    new URL(target);
    return true;
  } catch {
    return false;
  }
}
