import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedSchemaCompilers } from './schema-compilers.ts';

// A schema compiles once for the process, by its text; what it compiles to still validates and
// serializes as Fastify's own compilers do, in every app that uses it.

const { buildValidator, buildSerializer } = sharedSchemaCompilers;
const AJV_OPTIONS = { customOptions: { allErrors: true } };

function userSchema(): object {
  return { type: 'object', required: ['name'], properties: { id: { type: 'integer' }, name: { type: 'string', minLength: 1 } } };
}

describe('the shared schema compilers', () => {
  it('compile a serializer once for equal schemas, and apart for another', () => {
    const compile = buildSerializer!({}, {});
    const first = compile({ schema: userSchema(), method: 'GET', url: '/a', httpStatus: '200' });
    const again = buildSerializer!({}, {})({ schema: userSchema(), method: 'GET', url: '/b', httpStatus: '200' });
    const other = compile({ schema: { type: 'object', properties: { id: { type: 'integer' } } }, method: 'GET', url: '/c', httpStatus: '200' });
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(JSON.parse(first({ id: 7, name: 'Ann', password: 'secret' }))).toEqual({ id: 7, name: 'Ann' });
  });

  it('compile a validator once for equal schemas; it reports every error of each call', () => {
    const validate = buildValidator!({}, AJV_OPTIONS)({ schema: userSchema(), method: 'POST', url: '/a', httpPart: 'body' });
    expect(buildValidator!({}, AJV_OPTIONS)({ schema: userSchema(), method: 'PUT', url: '/b', httpPart: 'body' })).toBe(validate);
    // another compiler's options are another compiler
    expect(buildValidator!({}, { customOptions: { allErrors: false } })({ schema: userSchema(), method: 'POST', url: '/a', httpPart: 'body' })).not.toBe(
      validate,
    );
    const check = validate as unknown as { (data: unknown): boolean; errors?: unknown[] | null };
    expect(check({ id: 'x', name: '' })).toBe(false);
    expect(check.errors).toHaveLength(2);
    expect(check({ name: 'Ann' })).toBe(true);
  });

  it('stop a build at a headers schema with a capital letter in a field name', () => {
    const compile = buildValidator!({}, AJV_OPTIONS);
    const headers = (name: string) => ({
      schema: { type: 'object', properties: { [name]: { type: 'string' } } },
      method: 'GET',
      url: '/',
      httpPart: 'headers',
    });
    expect(() => compile(headers('If-None-Match'))).toThrow(/lowercase: If-None-Match/);
    expect(() => compile(headers('if-none-match'))).not.toThrow();
  });
});

describe('two apps built with them', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function app(): Promise<FastifyInstance> {
    const built = Fastify({ ajv: AJV_OPTIONS, schemaController: { compilersFactory: sharedSchemaCompilers } });
    built.addSchema({ $id: 'User', ...userSchema() });
    built.post(
      '/users',
      {
        schema: {
          body: { $ref: 'User#' },
          headers: { type: 'object', required: ['x-version'], properties: { 'x-version': { type: 'string', enum: ['1', '2'] } } },
          response: { 201: { $ref: 'User#' } },
        },
      },
      async (request, reply) => reply.code(201).send({ ...(request.body as object), id: 1, password: 'never sent' }),
    );
    await built.ready();
    apps.push(built);
    return built;
  }

  it('each validate, with the header names as the client wrote them, and serialize', async () => {
    for (const built of [await app(), await app()]) {
      const created = await built.inject({ method: 'POST', url: '/users', headers: { 'X-Version': '2' }, payload: { name: 'Ann' } });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toEqual({ id: 1, name: 'Ann' });
      const refused = await built.inject({ method: 'POST', url: '/users', headers: { 'x-version': '3' }, payload: { name: '' } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toMatch(/must NOT have fewer than 1 characters|must be equal to one of the allowed values/);
    }
  });
});
