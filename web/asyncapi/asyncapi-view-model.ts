// The AsyncAPI 3 document as the page shows it: info, servers, channels with their messages
// (payload schemas as trees, examples), and operations. Pure: no DOM, no fetch; the page
// (asyncapi-page.tsx) renders what this returns. Only the document's own `$ref`s (`#/…`) are
// followed; the page is offline and reads one document.

type Json = Record<string, unknown>;

/** How deep a payload tree goes before it stops (a schema that refers to itself would never end). */
export const MAX_SCHEMA_DEPTH = 8;

export interface ServerView {
  id: string;
  host: string;
  protocol: string;
  protocolVersion?: string;
  pathname?: string;
  description?: string;
}

/** One node of a payload schema: a property, an array's items, one branch of anyOf/oneOf. */
export interface SchemaNode {
  /** the property's name; absent for the root, items and branches */
  name?: string;
  /** what the node is besides a property: items of an array, one branch of anyOf/oneOf/allOf */
  role?: 'items' | 'anyOf' | 'oneOf' | 'allOf';
  required: boolean;
  /** `object`, `string`, `integer`, `string | null`…; empty when the schema says nothing (any value) */
  type: string;
  /** the component the schema came from (`User` for `#/components/schemas/User`) */
  ref?: string;
  format?: string;
  /** a const, as JSON */
  constValue?: string;
  /** an enum's values, as JSON */
  enumValues?: string[];
  /** limits: minimum, maxLength… as `name value` */
  limits: string[];
  description?: string;
  children: SchemaNode[];
  /** cut here: deeper than MAX_SCHEMA_DEPTH, or a schema inside itself */
  truncated?: boolean;
}

export interface MessageView {
  /** the message's key in its channel */
  id: string;
  name?: string;
  title?: string;
  summary?: string;
  contentType?: string;
  payload: SchemaNode | null;
  examples: Array<{ name?: string; summary?: string; payload: string }>;
}

export interface ParameterView {
  name: string;
  description?: string;
  enumValues?: string[];
  examples: string[];
}

export interface OperationView {
  id: string;
  action: 'send' | 'receive';
  channelId: string;
  /** names of the messages the operation limits itself to; empty: all of its channel's */
  messages: string[];
  summary?: string;
  description?: string;
  /** the bindings' settings, `mqtt: qos 1, retain false` */
  bindings: string[];
}

export interface ChannelView {
  id: string;
  address: string;
  title?: string;
  description?: string;
  servers: string[];
  parameters: ParameterView[];
  messages: MessageView[];
  operations: OperationView[];
}

export interface AsyncApiView {
  asyncapi: string;
  title: string;
  version: string;
  description?: string;
  defaultContentType?: string;
  servers: ServerView[];
  channels: ChannelView[];
  operations: OperationView[];
}

export class NotAsyncApiError extends Error {
  constructor(readonly what: string) {
    super(`not an AsyncAPI 3 document: ${what}`);
  }
}

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const entries = (value: unknown): Array<[string, Json]> =>
  isRecord(value) ? Object.entries(value).filter((entry): entry is [string, Json] => isRecord(entry[1])) : [];

/** `#/components/schemas/User` in the document, or undefined (another file, or nothing there). */
export function resolvePointer(document: Json, pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of pointer.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Follows `$ref`s until a node that is not one (a ref to itself or to nothing ends as undefined). */
function deref(document: Json, node: unknown): { node: Json | undefined; ref?: string } {
  let ref: string | undefined;
  const seen = new Set<string>();
  while (isRecord(node) && typeof node.$ref === 'string') {
    if (seen.has(node.$ref)) return { node: undefined, ref };
    seen.add(node.$ref);
    ref = node.$ref;
    node = resolvePointer(document, node.$ref);
  }
  return { node: isRecord(node) ? node : undefined, ref };
}

const LIMIT_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern'] as const;

function typeOf(schema: Json): string {
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (typeof schema.type === 'string') return schema.type;
  if (isRecord(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return '';
}

/** A payload schema as a tree, its `$ref`s followed (and named), cut at MAX_SCHEMA_DEPTH or a cycle. */
export function schemaTree(
  document: Json,
  schema: unknown,
  place: Pick<SchemaNode, 'name' | 'role' | 'required'> = { required: false },
  path: readonly string[] = [],
): SchemaNode {
  const { node, ref } = deref(document, schema);
  const refName = ref?.split('/').pop();
  const base: SchemaNode = { ...place, type: '', limits: [], children: [], ...(refName ? { ref: refName } : {}) };
  if (!node) return base;
  if ((ref && path.includes(ref)) || path.length >= MAX_SCHEMA_DEPTH) return { ...base, type: typeOf(node), truncated: true };
  const inner = ref ? [...path, ref] : [...path, '·'];
  const required = new Set(Array.isArray(node.required) ? node.required.filter((name): name is string => typeof name === 'string') : []);
  const children: SchemaNode[] = [];
  if (isRecord(node.properties)) {
    for (const [name, property] of Object.entries(node.properties))
      children.push(schemaTree(document, property, { name, required: required.has(name) }, inner));
  }
  if (node.items !== undefined && !Array.isArray(node.items)) children.push(schemaTree(document, node.items, { role: 'items', required: false }, inner));
  for (const role of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[role];
    if (Array.isArray(branches)) for (const branch of branches) children.push(schemaTree(document, branch, { role, required: false }, inner));
  }
  return {
    ...base,
    type: typeOf(node),
    ...(text(node.format) ? { format: text(node.format) } : {}),
    ...('const' in node ? { constValue: JSON.stringify(node.const) } : {}),
    ...(Array.isArray(node.enum) ? { enumValues: node.enum.map((value) => JSON.stringify(value)) } : {}),
    limits: LIMIT_KEYWORDS.filter((keyword) => node[keyword] !== undefined).map((keyword) => `${keyword} ${String(node[keyword])}`),
    ...(text(node.description) ? { description: text(node.description) } : {}),
    children,
  };
}

function messageView(document: Json, id: string, raw: unknown): MessageView {
  const message = deref(document, raw).node ?? {};
  const examples = Array.isArray(message.examples) ? message.examples.filter(isRecord) : [];
  return {
    id,
    name: text(message.name),
    title: text(message.title),
    summary: text(message.summary),
    contentType: text(message.contentType) ?? text(document.defaultContentType),
    payload: message.payload === undefined ? null : schemaTree(document, message.payload),
    examples: examples.map((example) => ({
      name: text(example.name),
      summary: text(example.summary),
      payload: JSON.stringify(example.payload, null, 2) ?? '',
    })),
  };
}

function bindingsOf(value: unknown): string[] {
  return entries(value).map(([protocol, settings]) => {
    const shown = Object.entries(settings).filter(([key]) => key !== 'bindingVersion');
    return shown.length === 0
      ? protocol
      : `${protocol}: ${shown.map(([key, setting]) => `${key} ${typeof setting === 'object' ? JSON.stringify(setting) : String(setting)}`).join(', ')}`;
  });
}

function operationView(id: string, operation: Json): OperationView {
  const channelRef = isRecord(operation.channel) && typeof operation.channel.$ref === 'string' ? operation.channel.$ref : '';
  const messages = Array.isArray(operation.messages) ? operation.messages : [];
  return {
    id,
    action: operation.action === 'receive' ? 'receive' : 'send',
    channelId: channelRef.replace(/^#\/channels\//, ''),
    // a message is referred to inside its channel (`#/channels/chat/messages/text`): its key there
    messages: messages.map((message) => (isRecord(message) && typeof message.$ref === 'string' ? (message.$ref.split('/').pop() ?? '') : '')).filter(Boolean),
    summary: text(operation.summary),
    description: text(operation.description),
    bindings: bindingsOf(operation.bindings),
  };
}

/** The page's view of a document; throws NotAsyncApiError when it is not an AsyncAPI 3 document. */
export function asyncApiView(document: unknown): AsyncApiView {
  if (!isRecord(document)) throw new NotAsyncApiError('not a JSON object');
  const version = text(document.asyncapi);
  if (!version || !version.startsWith('3.')) throw new NotAsyncApiError(`asyncapi is ${JSON.stringify(document.asyncapi)}, not 3.x`);
  const info = isRecord(document.info) ? document.info : {};
  const operations = entries(document.operations).map(([id, operation]) => operationView(id, operation));
  return {
    asyncapi: version,
    title: text(info.title) ?? '',
    version: text(info.version) ?? '',
    description: text(info.description),
    defaultContentType: text(document.defaultContentType),
    servers: entries(document.servers).map(([id, server]) => ({
      id,
      host: text(server.host) ?? '',
      protocol: text(server.protocol) ?? '',
      protocolVersion: text(server.protocolVersion),
      pathname: text(server.pathname),
      description: text(server.description),
    })),
    channels: entries(document.channels).map(([id, raw]) => {
      const channel = deref(document, raw).node ?? {};
      return {
        id,
        address: text(channel.address) ?? id,
        title: text(channel.title),
        description: text(channel.description),
        servers: (Array.isArray(channel.servers) ? channel.servers : [])
          .map((server) => (isRecord(server) && typeof server.$ref === 'string' ? (server.$ref.split('/').pop() ?? '') : ''))
          .filter(Boolean),
        parameters: entries(channel.parameters).map(([name, parameter]) => ({
          name,
          description: text(parameter.description),
          enumValues: Array.isArray(parameter.enum) ? parameter.enum.map(String) : undefined,
          examples: Array.isArray(parameter.examples) ? parameter.examples.map(String) : [],
        })),
        messages: Object.entries(isRecord(channel.messages) ? channel.messages : {}).map(([key, message]) => messageView(document, key, message)),
        operations: operations.filter((operation) => operation.channelId === id),
      };
    }),
    operations,
  };
}
