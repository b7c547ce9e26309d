import type { HttpRequestText } from './parse-http-request.ts';

/**
 * Headers a page may not set through fetch (the Fetch standard's forbidden request headers):
 * the browser writes them itself. curl can send them.
 */
const FORBIDDEN_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

export function isForbiddenHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-');
}

export type FetchBlocker =
  | { code: 'forbidden-method'; method: string; line: number }
  | { code: 'body-not-allowed'; method: string; line: number }
  | { code: 'other-origin'; origin: string; line: number };

export interface FetchPlan {
  /** where the request goes: always this page's own server */
  url: string;
  /** what a request matcher sees: path and query as the browser sends them */
  target: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
  /** typed headers the browser will not send (it sets them itself) */
  dropped: Array<{ name: string; line: number }>;
}

/** What fetch can and cannot send of a typed request, before sending anything. */
export function planFetch(request: HttpRequestText, origin: string): { ok: true; plan: FetchPlan } | { ok: false; blocker: FetchBlocker } {
  const method = request.method;
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
    return { ok: false, blocker: { code: 'forbidden-method', method, line: request.requestLine } };
  }
  if (request.body !== null && ['GET', 'HEAD'].includes(method.toUpperCase())) {
    return { ok: false, blocker: { code: 'body-not-allowed', method, line: request.bodyLine ?? request.requestLine } };
  }
  const url = new URL(request.target, origin);
  if (url.origin !== new URL(origin).origin) {
    return { ok: false, blocker: { code: 'other-origin', origin: url.origin, line: request.requestLine } };
  }
  const sent = request.headers.filter((header) => !isForbiddenHeader(header.name));
  return {
    ok: true,
    plan: {
      url: url.href.replace(/#.*$/, ''),
      target: url.pathname + url.search,
      method,
      headers: sent.map((header) => [header.name, header.value]),
      body: request.body,
      dropped: request.headers.filter((header) => isForbiddenHeader(header.name)).map(({ name, line }) => ({ name, line })),
    },
  };
}
