import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import type { FastifyContextConfig } from 'fastify';
import type { HttpBinding } from './http-rules.ts';

// What /api/openapi.json says about a transcoded route, derived from the same descriptors and
// google.api.http rule as the route itself, so the two cannot drift apart. The route checks its
// input itself (protobuf JSON, google.rpc.Status on a mistake), so this only describes it
// (config.openapi, server/protocols/rest/openapi.ts).

type RouteDocs = NonNullable<FastifyContextConfig['openapi']>;
type JsonSchema = Record<string, unknown>;

/** The OpenAPI tag of a service's transcoded routes; each needs its entry in openapi.ts's tag list. */
export const transcodingTag = (serviceName: string) => `gRPC ${serviceName} (REST transcoding)`;

/** Protobuf JSON (the proto3 JSON mapping) of the well-known types this API uses or may. */
const WELL_KNOWN: Record<string, JsonSchema> = {
  'google.protobuf.Timestamp': { type: 'string', format: 'date-time' },
  'google.protobuf.Duration': { type: 'string', pattern: '^-?\\d+(\\.\\d+)?s$', examples: ['1.5s'] },
  'google.protobuf.Empty': { type: 'object', maxProperties: 0 },
  'google.protobuf.Struct': { type: 'object' },
  'google.protobuf.Value': {},
  'google.protobuf.ListValue': { type: 'array' },
  'google.protobuf.FieldMask': { type: 'string', description: 'Comma-separated field paths in lowerCamelCase' },
  'google.protobuf.StringValue': { type: ['string', 'null'] },
  'google.protobuf.BoolValue': { type: ['boolean', 'null'] },
  'google.protobuf.Int32Value': { type: ['integer', 'null'] },
  'google.protobuf.Int64Value': { type: ['string', 'null'] },
};

function scalarSchema(scalar: ScalarType): JsonSchema {
  switch (scalar) {
    case ScalarType.BOOL:
      return { type: 'boolean' };
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BYTES:
      return { type: 'string', contentEncoding: 'base64' };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: 'number' };
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return { type: 'string', pattern: '^-?\\d+$', description: '64-bit: a string in protobuf JSON (a number is accepted too)' };
    default:
      return { type: 'integer' };
  }
}

const enumSchema = (desc: DescEnum): JsonSchema => ({ type: 'string', enum: desc.values.map((value) => value.name) });

function messageSchema(desc: DescMessage, seen: ReadonlySet<string> = new Set()): JsonSchema {
  const known = WELL_KNOWN[desc.typeName];
  if (known) return known;
  if (seen.has(desc.typeName)) return { type: 'object', description: desc.typeName };
  const inside = new Set([...seen, desc.typeName]);
  return {
    type: 'object',
    description: desc.typeName,
    properties: Object.fromEntries(desc.fields.map((field) => [field.jsonName, fieldSchema(field, inside)])),
  };
}

function fieldSchema(field: DescField, seen: ReadonlySet<string>): JsonSchema {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarSchema(field.scalar);
    case 'enum':
      return enumSchema(field.enum);
    case 'message':
      return messageSchema(field.message, seen);
    case 'list': {
      const item =
        field.listKind === 'scalar' ? scalarSchema(field.scalar) : field.listKind === 'enum' ? enumSchema(field.enum) : messageSchema(field.message, seen);
      return { type: 'array', items: item };
    }
    case 'map': {
      const value =
        field.mapKind === 'scalar' ? scalarSchema(field.scalar) : field.mapKind === 'enum' ? enumSchema(field.enum) : messageSchema(field.message, seen);
      return { type: 'object', additionalProperties: value };
    }
  }
}

/** google.rpc.Status as JSON: what every transcoded call answers when it fails. */
const statusSchema = {
  type: 'object',
  description: 'google.rpc.Status: the gRPC code, its message, and details such as google.rpc.BadRequest',
  properties: {
    code: { type: 'integer', description: 'The gRPC status code (3 INVALID_ARGUMENT, 5 NOT_FOUND…)' },
    message: { type: 'string' },
    details: { type: 'array', items: { type: 'object', required: ['@type'], properties: { '@type': { type: 'string' } } } },
  },
};
const failure = (description: string) => ({ description, content: { 'application/json': { schema: statusSchema } } });

/** The docs of one transcoded route, its path named by the rule's own variables (`/v1/users/{id}`, where the route has `:p0`). */
export function transcodingDocs(binding: HttpBinding): RouteDocs {
  const { method } = binding;
  const input = method.input;
  const topField = (path: string) => input.fields.find((field) => field.name === path.split('.')[0]);
  const pathParams = {
    type: 'object',
    required: binding.pathFields,
    properties: Object.fromEntries(
      binding.pathFields.map((path) => [path, { ...fieldSchema(topField(path)!, new Set()), description: `The request’s ${path}` }]),
    ),
  };
  const queryFields =
    binding.body === ''
      ? input.fields.filter((field) => !binding.pathFields.includes(field.name) && field.fieldKind !== 'message' && field.fieldKind !== 'map')
      : [];
  const output =
    binding.responseBody === ''
      ? messageSchema(method.output)
      : fieldSchema(method.output.fields.find((field) => field.name === binding.responseBody)!, new Set());
  const streaming = method.methodKind === 'server_streaming';
  const success = streaming
    ? {
        description: 'Newline-delimited JSON: one {"result": …} per message, and a last {"error": Status} if the stream fails after it started',
        content: { 'application/x-ndjson': { schema: { type: 'object', properties: { result: output, error: statusSchema } } } },
      }
    : { description: `${method.output.typeName} as protobuf JSON`, content: { 'application/json': { schema: output } } };
  return {
    path: binding.template.replace(/\{([^}]+)\}/g, ':$1'),
    operationId: `${method.parent.name}_${method.name}`,
    summary: `${method.name} of the gRPC ${method.parent.name}, as JSON over HTTP`,
    description: `${method.parent.typeName}/${method.name} through its google.api.http rule (\`${binding.verb} ${binding.template}\`): the same call as over gRPC, its errors as google.rpc.Status JSON with the HTTP status of the gRPC code.`,
    tags: [transcodingTag(method.parent.name)],
    ...(binding.pathFields.length > 0 ? { params: pathParams } : {}),
    ...(queryFields.length > 0
      ? { querystring: { type: 'object', properties: Object.fromEntries(queryFields.map((field) => [field.jsonName, fieldSchema(field, new Set())])) } }
      : {}),
    ...(binding.body === '*' ? { body: { ...messageSchema(input), description: `${input.typeName} as protobuf JSON` } } : {}),
    response: {
      200: success,
      400: failure('INVALID_ARGUMENT or FAILED_PRECONDITION: a bad field, path variable or query parameter'),
      ...(binding.pathFields.length > 0 ? { 404: failure('NOT_FOUND') } : {}),
      ...(binding.body !== '' ? { 413: failure('RESOURCE_EXHAUSTED: the body is over 64 KiB') } : {}),
      429: failure('RESOURCE_EXHAUSTED: too many requests from this address'),
    },
  };
}
