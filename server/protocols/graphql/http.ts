import type { FastifyReply } from 'fastify';
import { GRAPHQL_RESPONSE_TYPE } from './errors.ts';
import type { Bilingual } from './messages.ts';

export const LEGACY_RESPONSE_TYPE = 'application/json';

/**
 * The media type of the response (GraphQL over HTTP, "Body"): the newer
 * `application/graphql-response+json` when the client names it (and prefers it at least as much
 * as `application/json`), else `application/json`: a wildcard, which allows both, keeps the legacy
 * type that curl's and browsers' default Accept has always got; no Accept at all counts as
 * `application/graphql-response+json`, as the spec asks since its legacy watershed (1 January 2025).
 * null: the client accepts neither (406).
 */
export function responseMediaType(accept: string | undefined): string | null {
  if (accept === undefined || accept.trim() === '') return GRAPHQL_RESPONSE_TYPE;
  let graphqlResponse = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const qParameter = parameters.find((p) => p.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (type === GRAPHQL_RESPONSE_TYPE) graphqlResponse = Math.max(graphqlResponse, q);
    else if (type === LEGACY_RESPONSE_TYPE || type === 'application/*' || type === '*/*') json = Math.max(json, q);
  }
  if (graphqlResponse > 0 && graphqlResponse >= json) return GRAPHQL_RESPONSE_TYPE;
  if (json > 0) return LEGACY_RESPONSE_TYPE;
  return null;
}

/** `x-wirelab-batching: off` switches batched loading off for one request; anything else keeps it on. */
export function batchingRequested(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim().toLowerCase() !== 'off';
}

/** Answers a request that never reached GraphQL execution, in the shape of a GraphQL response. */
export function sendRequestError(reply: FastifyReply, status: number, code: string, text: Bilingual, details: Record<string, unknown> = {}): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message: text.en, extensions: { code, ...details, localized: text } }] });
}

/** Weak comparison of an If-None-Match header with a strong ETag (RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

const KIND_NAMES: Record<string, Bilingual> = {
  string: { en: 'a string', ru: 'строка' },
  number: { en: 'a number', ru: 'число' },
  boolean: { en: 'a boolean', ru: 'логическое значение' },
  array: { en: 'an array', ru: 'массив' },
  object: { en: 'an object', ru: 'объект' },
  null: { en: 'null', ru: 'null' },
};

function kindOf(value: unknown): Bilingual {
  if (value === null) return KIND_NAMES.null;
  if (Array.isArray(value)) return KIND_NAMES.array;
  return KIND_NAMES[typeof value] ?? KIND_NAMES.object;
}

function isMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrongParameter(name: string, wanted: Bilingual, value: unknown): Bilingual {
  const kind = kindOf(value);
  return { en: `The "${name}" parameter must be ${wanted.en}; it is ${kind.en}.`, ru: `Параметр "${name}" должен быть ${wanted.ru}, а здесь ${kind.ru}.` };
}

const STRING: Bilingual = { en: 'a string', ru: 'строкой' };
const MAP: Bilingual = { en: 'a JSON object (a map)', ru: 'JSON-объектом' };

/**
 * What makes one operation of a POST body not a well-formed GraphQL-over-HTTP request
 * (GraphQL over HTTP, "Request Parameters"): `query` a string, `operationName` a string,
 * `variables` and `extensions` maps; null counts as absent for the optional ones (a missing or
 * null `query` is reported elsewhere, as missing). Checked before Fastify's schema coercion,
 * which would turn `0` into "0" and `["x"]` into "x". null: nothing wrong.
 */
export function postParameterProblem(operation: unknown): Bilingual | null {
  if (!isMap(operation)) {
    const kind = kindOf(operation);
    return {
      en: `A GraphQL request is a JSON object with a "query"; this one is ${kind.en}.`,
      ru: `GraphQL-запрос — это JSON-объект с полем "query", а здесь ${kind.ru}.`,
    };
  }
  const { query, operationName, variables, extensions } = operation as Record<string, unknown>;
  if (query !== undefined && query !== null && typeof query !== 'string') return wrongParameter('query', STRING, query);
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return wrongParameter('operationName', STRING, operationName);
  if (variables !== undefined && variables !== null && !isMap(variables)) return wrongParameter('variables', MAP, variables);
  if (extensions !== undefined && extensions !== null && !isMap(extensions)) return wrongParameter('extensions', MAP, extensions);
  return null;
}

/**
 * The same for a GET's query string: each parameter once; `variables` and `extensions`, when
 * they are JSON, JSON objects or null (JSON that does not parse is reported by mercurius).
 */
export function getParameterProblem(parameters: Record<string, unknown>): Bilingual | null {
  for (const name of ['query', 'operationName', 'variables', 'extensions']) {
    const value = parameters[name];
    if (Array.isArray(value))
      return {
        en: `The "${name}" parameter is given ${value.length} times; once at most.`,
        ru: `Параметр "${name}" указан несколько раз (${value.length}), а можно не больше одного.`,
      };
    if (typeof value !== 'string' || (name !== 'variables' && name !== 'extensions')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      continue;
    }
    if (parsed !== null && !isMap(parsed)) return wrongParameter(name, MAP, parsed);
  }
  return null;
}
