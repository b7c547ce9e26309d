import {
  getOption,
  hasOption,
  ScalarType,
  type DescField,
  type DescMessage,
  type DescMethod,
  type DescService,
  type JsonObject,
  type JsonValue,
} from '@bufbuild/protobuf';
import { http } from '../../../../proto/gen/google/api/annotations_pb.ts';
import type { HttpRule } from '../../../../proto/gen/google/api/http_pb.ts';

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One HTTP route of one method, as its google.api.http rule (or an additional binding) says. */
export interface HttpBinding {
  method: DescMethod;
  verb: HttpVerb;
  /** the template as written: /v1/users/{id} */
  template: string;
  /** the same as a Fastify route: /v1/users/:id */
  routePath: string;
  /** path variables in order: the request field path of each ("id", "user.id") */
  pathFields: string[];
  /** "" = no body, "*" = the body is the whole request message, else the field the body fills */
  body: string;
  /** "" = the whole response message, else the field that is the response body */
  responseBody: string;
}

/** A template or rule this server does not transcode; thrown at startup, never at a request. */
export class UnsupportedRuleError extends Error {}

const VARIABLE = /^\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}$/;
const LITERAL = /^[A-Za-z0-9._~-]+$/;

/**
 * A path template of the subset this server supports: literal segments and `{field.path}`
 * variables matching exactly one segment. Wildcards (`*`, `**`), `{field=pattern}` and `:verb`
 * suffixes are refused, so a contract using them fails loudly at startup.
 */
export function parseTemplate(template: string): { routePath: string; pathFields: string[] } {
  if (!template.startsWith('/')) throw new UnsupportedRuleError(`path template "${template}" must start with "/"`);
  const pathFields: string[] = [];
  const segments = template
    .slice(1)
    .split('/')
    .map((segment) => {
      const variable = VARIABLE.exec(segment);
      if (variable) {
        pathFields.push(variable[1]);
        // Fastify parameters are names, not paths: number them, the order is kept in pathFields.
        return `:p${pathFields.length - 1}`;
      }
      if (LITERAL.test(segment)) return segment;
      throw new UnsupportedRuleError(`path template "${template}": segment "${segment}" is not supported (only literals and {field})`);
    });
  return { routePath: `/${segments.join('/')}`, pathFields };
}

function bindingOf(method: DescMethod, rule: HttpRule): HttpBinding {
  const { pattern } = rule;
  if (pattern.case === undefined || pattern.case === 'custom') {
    throw new UnsupportedRuleError(`${method.parent.typeName}.${method.name}: custom or empty http patterns are not supported`);
  }
  const verb = pattern.case.toUpperCase() as HttpVerb;
  const { routePath, pathFields } = parseTemplate(pattern.value);
  for (const path of pathFields) fieldAt(method.input, path.split('.'), true);
  if (rule.body !== '' && rule.body !== '*') fieldAt(method.input, [rule.body], false);
  if (rule.responseBody !== '') fieldAt(method.output, [rule.responseBody], false);
  return { method, verb, template: pattern.value, routePath, pathFields, body: rule.body, responseBody: rule.responseBody };
}

/**
 * Every HTTP route the services' `google.api.http` annotations declare. Client and bidi
 * streaming methods cannot be transcoded (an HTTP/1.1 JSON body is one message) and are refused.
 */
export function httpBindings(services: DescService[]): HttpBinding[] {
  const out: HttpBinding[] = [];
  for (const service of services) {
    for (const method of service.methods) {
      if (!hasOption(method, http)) continue;
      if (method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming') {
        throw new UnsupportedRuleError(`${service.typeName}.${method.name}: ${method.methodKind} methods cannot be transcoded`);
      }
      const rule = getOption(method, http);
      out.push(bindingOf(method, rule));
      for (const extra of rule.additionalBindings) out.push(bindingOf(method, extra));
    }
  }
  return out;
}

/** The field a path (["filter", "status"]) names, by proto name or JSON name. */
export function fieldAt(message: DescMessage, path: string[], scalarOnly: boolean): DescField {
  let current = message;
  let field: DescField | undefined;
  path.forEach((name, i) => {
    field = current.fields.find((f) => f.name === name || f.jsonName === name);
    if (!field) throw new UnsupportedRuleError(`${current.typeName} has no field "${name}"`);
    const last = i === path.length - 1;
    if (!last) {
      if (field.fieldKind !== 'message') throw new UnsupportedRuleError(`${current.typeName}.${name} is not a message`);
      current = field.message;
    } else if (scalarOnly && field.fieldKind !== 'scalar' && field.fieldKind !== 'enum' && field.fieldKind !== 'list') {
      throw new UnsupportedRuleError(`${current.typeName}.${name} cannot be set from a URL`);
    }
  });
  return field!;
}

/** A request the client got wrong: 400 INVALID_ARGUMENT with this message. */
export class BadTranscodedRequest extends Error {}

/** A string from a URL as the JSON value protobuf JSON expects for that field. */
function urlValue(field: DescField, value: string): JsonValue {
  const scalar = field.fieldKind === 'scalar' ? field.scalar : field.fieldKind === 'list' && field.listKind === 'scalar' ? field.scalar : undefined;
  const isEnum = field.fieldKind === 'enum' || (field.fieldKind === 'list' && field.listKind === 'enum');
  if (scalar === ScalarType.BOOL) {
    if (value === 'true' || value === 'false') return value === 'true';
    throw new BadTranscodedRequest(`"${field.name}" must be true or false, not "${value}"`);
  }
  // An enum by number ("1") or by name ("USER_STATUS_ACTIVE"): protobuf JSON takes both, the number as a number.
  if (isEnum && /^-?\d+$/.test(value)) return Number(value);
  // Numbers stay strings: protobuf JSON accepts "5" for every integer and float type.
  return value;
}

/** Sets `value` at a field path in a request's JSON, creating the nested objects. */
function setAt(json: JsonObject, message: DescMessage, path: string[], raw: string[], source: string): void {
  let target = json;
  let current = message;
  path.forEach((name, i) => {
    const field = current.fields.find((f) => f.name === name || f.jsonName === name);
    if (!field) throw new BadTranscodedRequest(`${source} "${path.join('.')}": ${current.typeName} has no field "${name}"`);
    const key = field.jsonName;
    if (i < path.length - 1) {
      if (field.fieldKind !== 'message') throw new BadTranscodedRequest(`${source} "${path.join('.')}": "${name}" is not a message`);
      const next = target[key];
      target = (typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (target[key] = {})) as JsonObject;
      current = field.message;
      return;
    }
    if (field.fieldKind === 'list' && field.listKind !== 'message') {
      target[key] = raw.map((v) => urlValue(field, v));
    } else if (field.fieldKind === 'scalar' || field.fieldKind === 'enum') {
      if (raw.length > 1) throw new BadTranscodedRequest(`${source} "${path.join('.')}" is not repeated: give it once`);
      target[key] = urlValue(field, raw[0]);
    } else {
      throw new BadTranscodedRequest(`${source} "${path.join('.')}" cannot be set from a URL (a ${field.fieldKind} field)`);
    }
  });
}

/**
 * The request message's JSON from the three places HTTP carries it (google.api.http rules):
 * the path variables, the body (all of it with `body: "*"`, or one field), and the query
 * string for every other field. Path variables win over the body.
 */
export function requestJson(binding: HttpBinding, pathValues: string[], body: unknown, query: URLSearchParams): JsonObject {
  const input = binding.method.input;
  let json: JsonObject = {};
  if (binding.body !== '') {
    if (binding.body === '*') {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new BadTranscodedRequest(`the body must be a JSON object: the fields of ${input.typeName}`);
      }
      json = { ...(body as JsonObject) };
    } else if (body !== undefined) {
      json[fieldAt(input, [binding.body], false).jsonName] = body as JsonValue;
    }
  }
  const byName = new Map<string, string[]>();
  for (const [name, value] of query) byName.set(name, [...(byName.get(name) ?? []), value]);
  if (binding.body === '*' && byName.size > 0) {
    throw new BadTranscodedRequest(`every field of ${input.typeName} goes in the body here: no query parameters (${[...byName.keys()].join(', ')})`);
  }
  for (const [name, values] of byName) setAt(json, input, name.split('.'), values, 'query parameter');
  binding.pathFields.forEach((path, i) => setAt(json, input, path.split('.'), [pathValues[i]], 'path variable'));
  return json;
}
