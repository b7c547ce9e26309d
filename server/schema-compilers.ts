import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

// Fastify compiles each route's JSON schemas as the app is built, with compilers of that app's
// own: an Ajv validator for each body, params, query and headers schema, a fast-json-stringify
// serializer for each response. Nearly every REST route answers with the same problem+json
// schemas, so one build compiled them over and over, and each compile of a serializer read every
// shared schema again (fast-json-stringify takes them anew each time). These compilers keep each
// compiled function by its schema's text, for the process: a schema compiles once however many
// routes or apps use it. One build of the app with listen took 1.14–1.15 s of CPU, 0.58–0.78 s
// with these; each further build in the same process (the tests build hundreds, a server a file
// or a test) 0.31–0.57 s, 0.05–0.23 s (29 Nov, buildApp and listen six times in one process).
// `schema-compilers.test.ts` holds that a schema compiles once.
// The keys are JSON text, so a function in a schema or in Ajv's options (a plugin) does not tell
// two apart: the app passes neither.
//
// Fastify lowercases a headers schema's field names itself only with its own validator compiler
// (header names are case-insensitive, and Node gives them in lowercase): with these, a headers
// schema must name them in lowercase already, and a build stops at one that does not.

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** A compiler factory of Fastify's: the app's shared schemas and options in, a route's compiler out. */
type Factory = (externalSchemas: never, options: never) => (route: never) => unknown;
interface Route {
  readonly schema: unknown;
  readonly httpPart?: string;
}

/** The value `map` holds for `key`, made first when it holds none. */
function remembered<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** Each compiled function by its compiler's options and shared schemas and its own schema's text. */
function compiledOnce<F extends Factory>(factory: F, checkRoute: (route: Route) => void = () => undefined): F {
  const compilers = new Map<string, (route: Route) => unknown>();
  const compiled = new Map<string, unknown>();
  const shared = (externalSchemas: unknown, options: unknown) => {
    const compilerKey = JSON.stringify([externalSchemas, options]);
    const compile = remembered(compilers, compilerKey, () => factory(externalSchemas as never, options as never) as (route: Route) => unknown);
    return (route: Route) => {
      checkRoute(route);
      return remembered(compiled, `${compilerKey}\n${JSON.stringify(route.schema)}`, () => compile(route));
    };
  };
  return shared as unknown as F;
}

/** Stops the build at a headers schema naming a field with a capital letter (see above). */
function lowercaseHeaderNames(route: Route): void {
  if (route.httpPart !== 'headers' || typeof route.schema !== 'object' || route.schema === null) return;
  const { properties, required } = route.schema as { properties?: object; required?: unknown };
  const names = [...Object.keys(properties ?? {}), ...(Array.isArray(required) ? required : [])].map(String);
  const capitalized = names.filter((name) => name !== name.toLowerCase());
  if (capitalized.length > 0) throw new Error(`a headers schema names its fields in lowercase: ${capitalized.join(', ')}`);
}

/** The compilers every app of the process shares (server/app.ts). */
export const sharedSchemaCompilers: CompilersFactory = {
  buildValidator: compiledOnce(AjvCompiler(), lowercaseHeaderNames),
  buildSerializer: compiledOnce(SerializerSelector()),
};
