import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';

/** The subset of JSON Schema (draft 7) that Monaco's JSON language service reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  required?: string[];
  definitions?: Record<string, JsonSchema>;
  doNotSuggest?: boolean;
  defaultSnippets?: Array<{ label?: string; body: unknown }>;
}

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };
const UINT32_MAX = 4_294_967_295;
/** protobuf JSON writes 64-bit integers as strings (JavaScript numbers lose precision past 2^53) and reads both. */
const SIGNED_64_TEXT = '^-?[0-9]+$';
const UNSIGNED_64_TEXT = '^[0-9]+$';
const BASE64 = '^[A-Za-z0-9+/_-]*={0,2}$';
const DURATION = '^-?[0-9]+(\\.[0-9]{1,9})?s$';

/**
 * A JSON Schema for the protobuf JSON form (https://protobuf.dev/programming-guides/json/) of a
 * message: field names in lowerCamelCase (the proto names are accepted, not suggested), enums by
 * name, 64-bit integers as strings, bytes as base64, maps as objects, `google.protobuf.Timestamp`
 * as an RFC 3339 string, and at most one member of each oneof.
 * Nested types are `definitions` referenced by full name, so recursive messages stay finite.
 */
export function requestJsonSchema(message: DescMessage): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const root = messageRef(message, definitions);
  return { ...root, definitions };
}

function messageRef(message: DescMessage, definitions: Record<string, JsonSchema>): JsonSchema {
  const wellKnown = wellKnownSchema(message);
  if (wellKnown) return wellKnown;
  if (!(message.typeName in definitions)) {
    definitions[message.typeName] = {}; // reserve first: a message may contain itself
    definitions[message.typeName] = messageSchema(message, definitions);
  }
  return { $ref: `#/definitions/${message.typeName}` };
}

function messageSchema(message: DescMessage, definitions: Record<string, JsonSchema>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of message.fields) {
    const schema = fieldSchema(field, definitions);
    const described = { ...schema, description: describeField(field) };
    properties[field.jsonName] = described;
    if (field.name !== field.jsonName) properties[field.name] = { ...described, doNotSuggest: true };
  }
  const schema: JsonSchema = { type: 'object', description: message.typeName, properties, additionalProperties: false };
  const oneofRules = message.oneofs.filter((oneof) => oneof.fields.length > 1).map((oneof) => atMostOneOf(oneof.fields.map((field) => field.jsonName)));
  return oneofRules.length > 0 ? { ...schema, allOf: oneofRules } : schema;
}

/** "no two of these keys at once": not (a and b) and not (a and c)… */
function atMostOneOf(names: string[]): JsonSchema {
  const pairs: JsonSchema[] = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) pairs.push({ required: [names[i], names[j]] });
  return { not: { anyOf: pairs } };
}

function describeField(field: DescField): string {
  const oneof = field.oneof ? ` (oneof ${field.oneof.name}: set at most one)` : '';
  return `${field.number} ${field.name}: ${typeLabel(field)}${oneof}`;
}

function typeLabel(field: DescField): string {
  switch (field.fieldKind) {
    case 'scalar':
      return ScalarType[field.scalar].toLowerCase();
    case 'enum':
      return field.enum.typeName;
    case 'message':
      return field.message.typeName;
    case 'list':
      return `repeated ${field.listKind === 'scalar' ? ScalarType[field.scalar].toLowerCase() : field.listKind === 'enum' ? field.enum.typeName : field.message.typeName}`;
    case 'map': {
      const value =
        field.mapKind === 'scalar' ? ScalarType[field.scalar].toLowerCase() : field.mapKind === 'enum' ? field.enum.typeName : field.message.typeName;
      return `map<${ScalarType[field.mapKey].toLowerCase()}, ${value}>`;
    }
  }
}

function fieldSchema(field: DescField, definitions: Record<string, JsonSchema>): JsonSchema {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarSchema(field.scalar);
    case 'enum':
      return enumSchema(field.enum);
    case 'message':
      return messageRef(field.message, definitions);
    case 'list': {
      const items =
        field.listKind === 'scalar' ? scalarSchema(field.scalar) : field.listKind === 'enum' ? enumSchema(field.enum) : messageRef(field.message, definitions);
      return { type: 'array', items };
    }
    case 'map': {
      const value =
        field.mapKind === 'scalar' ? scalarSchema(field.scalar) : field.mapKind === 'enum' ? enumSchema(field.enum) : messageRef(field.message, definitions);
      return { type: 'object', additionalProperties: value, propertyNames: mapKeySchema(field.mapKey) };
    }
  }
}

export function scalarSchema(scalar: ScalarType): JsonSchema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BOOL:
      return { type: 'boolean' };
    case ScalarType.BYTES:
      return { type: 'string', pattern: BASE64, description: 'bytes, base64' };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }] };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: 'integer', minimum: INT32.min, maximum: INT32.max };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: 'integer', minimum: 0, maximum: UINT32_MAX };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { anyOf: [{ type: 'string', pattern: SIGNED_64_TEXT }, { type: 'integer' }], description: '64-bit: a string in JSON' };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return {
        anyOf: [
          { type: 'string', pattern: UNSIGNED_64_TEXT },
          { type: 'integer', minimum: 0 },
        ],
        description: '64-bit: a string in JSON',
      };
  }
}

function mapKeySchema(key: ScalarType): JsonSchema {
  switch (key) {
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BOOL:
      return { enum: ['true', 'false'] };
    case ScalarType.UINT32:
    case ScalarType.UINT64:
    case ScalarType.FIXED32:
    case ScalarType.FIXED64:
      return { pattern: UNSIGNED_64_TEXT };
    default:
      return { pattern: SIGNED_64_TEXT };
  }
}

/** Enum values by name, as protobuf JSON writes them; the number is accepted too. */
function enumSchema(descEnum: DescEnum): JsonSchema {
  if (descEnum.typeName === 'google.protobuf.NullValue') return { type: 'null' };
  return {
    anyOf: [{ enum: descEnum.values.map((value) => value.name) }, { type: 'integer', doNotSuggest: true }],
    description: descEnum.typeName,
  };
}

const WRAPPERS: Record<string, ScalarType> = {
  'google.protobuf.DoubleValue': ScalarType.DOUBLE,
  'google.protobuf.FloatValue': ScalarType.FLOAT,
  'google.protobuf.Int64Value': ScalarType.INT64,
  'google.protobuf.UInt64Value': ScalarType.UINT64,
  'google.protobuf.Int32Value': ScalarType.INT32,
  'google.protobuf.UInt32Value': ScalarType.UINT32,
  'google.protobuf.BoolValue': ScalarType.BOOL,
  'google.protobuf.StringValue': ScalarType.STRING,
  'google.protobuf.BytesValue': ScalarType.BYTES,
};

/** The well-known types have JSON forms of their own (not objects of their fields). */
function wellKnownSchema(message: DescMessage): JsonSchema | null {
  const name = message.typeName;
  if (name in WRAPPERS) return scalarSchema(WRAPPERS[name]);
  switch (name) {
    case 'google.protobuf.Timestamp':
      return { type: 'string', format: 'date-time', description: 'google.protobuf.Timestamp: RFC 3339, e.g. "2026-01-31T12:00:00Z"' };
    case 'google.protobuf.Duration':
      return { type: 'string', pattern: DURATION, description: 'google.protobuf.Duration: seconds with an "s", e.g. "1.5s"' };
    case 'google.protobuf.FieldMask':
      return { type: 'string', description: 'google.protobuf.FieldMask: comma-separated lowerCamelCase paths' };
    case 'google.protobuf.Empty':
      return { type: 'object', additionalProperties: false };
    case 'google.protobuf.Struct':
      return { type: 'object' };
    case 'google.protobuf.ListValue':
      return { type: 'array' };
    case 'google.protobuf.Value':
      return {};
    case 'google.protobuf.Any':
      return { type: 'object', required: ['@type'], properties: { '@type': { type: 'string', pattern: '^.*/[\\w.]+$' } } };
    default:
      return null;
  }
}
