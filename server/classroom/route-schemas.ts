import { Ajv } from 'ajv';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { NOTICE_MAX, TIMER_MAX_MINUTES, type ClassServerErrorCode } from '../../contracts/class-channel/messages.ts';

// What the classroom's HTTP routes take, as JSON schemas (so the OpenAPI document shows them).
// A request that does not fit is answered with the class's own problem+json by code
// (class-errors.ts), as before the schemas, not with Fastify's generic 400: every route attaches
// the validation error (`attachValidation`) and names its refusal with `refusalOf`. Bodies are
// checked with exact types (nothing coerced: "5" is not a number of minutes, "true" not a
// result), while path parameters, always strings on the wire, are coerced as Fastify does.
// The handlers still clean and check the values (names, titles, codes, the lesson catalogue):
// a schema says the shape, the handler what it means.

const exact = new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, strict: false });
const coercing = new Ajv({ coerceTypes: true, removeAdditional: false, useDefaults: false, allErrors: false, strict: false });

/** Bodies exactly as sent; params, query and headers coerced from their strings. */
export const classroomValidator: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const validate = (httpPart === 'body' ? exact : coercing).compile(schema);
  return (data: unknown) => (validate(data) ? { value: data } : { error: Object.assign(new Error('invalid request'), { validation: validate.errors ?? [] }) });
};

const text = (maxLength: number, description: string) => ({ type: 'string', maxLength, description }) as const;

export const classCodeParams = {
  type: 'object',
  properties: { code: text(16, 'the class code, e.g. K7F-M3Q (dashes and case ignored)') },
  required: ['code'],
} as const;

export const joinBody = {
  type: 'object',
  properties: {
    code: text(32, 'the class code'),
    name: text(400, 'the name shown on the board: 1 to 40 characters after spaces are folded'),
    rejoinCode: {
      description: 'the rejoin code of an earlier join, to come back under the same name; anything but a string of at most 32 characters is ignored',
    },
  },
  required: ['code', 'name'],
} as const;

export const progressBody = {
  type: 'object',
  properties: {
    lesson: text(64, 'the lesson, e.g. 02-rest'),
    exercise: text(64, 'the exercise id within the lesson'),
    passed: { type: 'boolean', description: 'true asks the server for its verdict (its own captures of this browser session decide); false reports a miss' },
    answer: { type: 'string', maxLength: 1000, description: 'what the student typed, for an exercise that asks for an answer' },
    miss: { description: 'what the page saw the attempt miss (contracts/exercise-checks/attempt-miss.ts), or absent; the server records its own' },
    attempt: { description: 'which captured exchange or message the miss is about: {conn, index, message?: true}, or absent' },
  },
  required: ['lesson', 'exercise', 'passed'],
} as const;

export const classTitleBody = {
  type: 'object',
  properties: { title: text(800, 'the class title: 1 to 80 characters after spaces are folded') },
  required: ['title'],
} as const;

export const noticeBody = {
  type: 'object',
  properties: {
    text: { type: 'string', maxLength: NOTICE_MAX * 10, description: `plain text, shown as text: 1 to ${NOTICE_MAX} characters after spaces are folded` },
  },
  required: ['text'],
} as const;

export const timerBody = {
  type: 'object',
  properties: { minutes: { type: 'integer', minimum: 1, maximum: TIMER_MAX_MINUTES } },
  required: ['minutes'],
} as const;

export const assignmentBody = {
  type: 'object',
  properties: { lesson: text(64, 'the lesson, e.g. 02-rest'), exercise: text(64, 'the exercise id within the lesson') },
  required: ['lesson', 'exercise'],
} as const;

/**
 * The class's refusal of a request its schema refused, or null when it fits: a bad path
 * parameter is "no such class", a bad body the route's own code (by the first failing field,
 * where a route has one per field).
 */
export function refusalOf(
  request: FastifyRequest,
  bodyRefusal: ClassServerErrorCode | ((field: string) => ClassServerErrorCode),
): { status: 400 | 404; error: ClassServerErrorCode } | null {
  const failed = request.validationError;
  if (!failed) return null;
  const context = (failed as { validationContext?: string }).validationContext;
  if (context === 'params') return { status: 404, error: 'NO_SUCH_CLASS' };
  const first = (failed as { validation?: Array<{ instancePath?: string; params?: { missingProperty?: string } }> }).validation?.[0];
  const field = first?.params?.missingProperty ?? first?.instancePath?.split('/')[1] ?? '';
  return { status: 400, error: typeof bodyRefusal === 'function' ? bodyRefusal(field) : bodyRefusal };
}
