import type { Bilingual } from '../../../../shared/bilingual.ts';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { pipelineMessages as text } from './messages.ts';
import { MAX_BODY_DEPTH } from './limits.ts';

/** The body of `PUT /api/v1/pipeline/consumers/:name`: each field optional. */
export const consumerChangeSchema = (maxDelayMs: number) => ({
  type: 'object',
  properties: {
    role: { type: 'string', enum: ['subscriber', 'member'] },
    running: { type: 'boolean' },
    delayMs: { type: 'integer', minimum: 0, maximum: maxDelayMs },
  },
  additionalProperties: false,
});

/** The body of `POST /api/v1/pipeline/notifications`. */
export const directCallSchema = {
  type: 'object',
  properties: {
    order: { type: ['number', 'string'] },
    text: { type: 'string' },
  },
  required: ['order'],
  additionalProperties: false,
};

export const CONSUMER_KEYS = Object.keys(consumerChangeSchema(0).properties);
export const NOTIFICATION_KEYS = Object.keys(directCallSchema.properties);

/**
 * The lab's own validator: exact types, nothing coerced ("5" is not a delay, 1 is not `true`) and
 * nothing silently removed (an unknown field is refused), unlike Fastify's defaults. Checking a
 * type never walks into a value, so a deeply nested one costs nothing.
 */
const ajv = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false, strict: true, allowUnionTypes: true });

export const strictValidatorCompiler: FastifySchemaCompiler<object> = ({ schema }) => {
  const validate: ValidateFunction = ajv.compile(schema);
  // An absent body is an empty change (PUT); the handler decides what an absent body means elsewhere.
  return (data: unknown) =>
    data === undefined || validate(data) ? { value: data } : { error: Object.assign(new Error('invalid body'), { validation: validate.errors ?? [] }) };
};

export interface BodyProblem {
  slug: string;
  message: Bilingual;
}

/** The first schema error of a body, told in the words of the field it is about. */
export function bodyProblem(errors: readonly ErrorObject[], data: unknown, known: readonly string[], maxDelayMs: number): BodyProblem {
  const error = errors[0];
  const field = error?.instancePath.split('/')[1];
  const value = field !== undefined && typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[field] : data;
  if (!error || error.instancePath === '') {
    if (error?.keyword === 'additionalProperties') {
      return { slug: 'invalid-body', message: text.unknownFields([describe(String(error.params.additionalProperty))], known) };
    }
    if (error?.keyword === 'required') return { slug: 'invalid-order', message: text.orderRequired() };
    return { slug: 'invalid-body', message: text.notObject() };
  }
  switch (field) {
    case 'role':
      return { slug: 'invalid-consumer', message: text.badRole(typeof value === 'string' ? value.slice(0, 40) : describe(value)) };
    case 'running':
      return { slug: 'invalid-consumer', message: text.badRunning() };
    case 'delayMs':
      return { slug: 'delay-out-of-range', message: text.badDelay(describe(value), maxDelayMs) };
    case 'order':
      return { slug: 'invalid-order', message: text.orderRequired() };
    case 'text':
      return { slug: 'invalid-order', message: text.textIsText(describe(value)) };
    default:
      return { slug: 'invalid-body', message: text.notObject() };
  }
}

/** A value named in an error without walking into it: a nested one would overflow the stack. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/**
 * How deep the JSON text nests, counted without parsing it (brackets outside strings), stopping
 * past `MAX_BODY_DEPTH`: the parser and whatever reads the value never meet a deep one.
 */
export function tooDeep(json: string, max = MAX_BODY_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
