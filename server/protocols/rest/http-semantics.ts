import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from './problem.ts';

/**
 * A strong ETag: readable kind, id and version ("u1-v3-…"), plus a hash of the representation,
 * so two different bodies never share a tag (a sandbox reset restarts ids and versions).
 */
export function entityTag(kind: string, id: number, version: number, representation: unknown): string {
  return `"${kind}${id}-v${version}-${hashOf(representation).slice(0, 8)}"`;
}

/** A collection has no version: its tag is the hash of what was sent. */
export function collectionTag(representation: unknown): string {
  return `"${hashOf(representation).slice(0, 16)}"`;
}

function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url');
}

function tagsOf(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
export function noneMatch(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  const strip = (tag: string) => tag.replace(/^W\//, '');
  return tagsOf(header).some((tag) => tag === '*' || strip(tag) === strip(etag));
}

/** Throws 412 when If-Match is present and names no current tag (strong comparison). */
export function checkIfMatch(request: FastifyRequest, currentEtag: string): void {
  const header = request.headers['if-match'];
  if (!header) return;
  const tags = tagsOf(header);
  if (tags.includes('*') || tags.includes(currentEtag)) return;
  throw new HttpProblem(
    412,
    'precondition-failed',
    'Precondition Failed',
    `The resource has changed: its ETag is now ${currentEtag}, not ${header}. GET it again, then retry.`,
    { etag: currentEtag },
  );
}

/**
 * Sends a representation with its ETag, or 304 when the client already has it. GET responses
 * say `no-cache`: a browser may keep them but must revalidate, which is exactly the 304 dance.
 */
export function sendRepresentation(request: FastifyRequest, reply: FastifyReply, body: unknown, etag: string): FastifyReply {
  reply.header('etag', etag);
  if (request.method === 'GET' || request.method === 'HEAD') {
    reply.header('cache-control', 'no-cache');
    if (noneMatch(request, etag)) return reply.code(304).send();
  }
  return reply.send(body);
}

// The vendor types are JSON too: /users/:id picks its version by them (user-header-version-routes.ts).
const JSON_RANGES = new Set([
  '*/*',
  'application/*',
  'application/json',
  'application/problem+json',
  'application/vnd.wirelab.v1+json',
  'application/vnd.wirelab.v2+json',
]);

/** Does the Accept header allow a JSON answer? No header means anything goes. */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [mediaRange, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    return JSON_RANGES.has(mediaRange);
  });
}

export interface PageLinks {
  first: string;
  prev?: string;
  next?: string;
  last: string;
}

/** URLs of the neighbouring pages: the request's own path and query, only the page changed. */
export function pageLinks(request: FastifyRequest, page: number, limit: number, total: number): PageLinks {
  const lastPage = Math.max(1, Math.ceil(total / limit));
  const at = (n: number) => withQuery(request, { page: String(n), limit: String(limit) }, ['cursor']);
  return {
    first: at(1),
    ...(page > 1 ? { prev: at(Math.min(page - 1, lastPage)) } : {}),
    ...(page < lastPage ? { next: at(page + 1) } : {}),
    last: at(lastPage),
  };
}

export function cursorLink(request: FastifyRequest, cursor: string, limit: number): string {
  return withQuery(request, { cursor, limit: String(limit) }, ['page']);
}

export function withQuery(request: FastifyRequest, set: Record<string, string>, drop: string[] = []): string {
  const url = new URL(request.url, 'http://x');
  for (const name of drop) url.searchParams.delete(name);
  for (const [name, value] of Object.entries(set)) url.searchParams.set(name, value);
  return url.pathname + url.search;
}

/** RFC 8288 Link header value */
export function linkHeader(links: Record<string, string | undefined>): string {
  return Object.entries(links)
    .filter(([, url]) => url !== undefined)
    .map(([rel, url]) => `<${url}>; rel="${rel}"`)
    .join(', ');
}

/** `name,-created_at` → sort keys (the query schema already checked the field names) */
export function parseSort<F extends string>(sort: string | undefined): { field: F; direction: 'asc' | 'desc' }[] | undefined {
  if (!sort) return undefined;
  return sort
    .split(',')
    .map((part) => (part.startsWith('-') ? { field: part.slice(1) as F, direction: 'desc' as const } : { field: part as F, direction: 'asc' as const }));
}
