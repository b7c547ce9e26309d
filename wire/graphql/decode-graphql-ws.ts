import { markMessage } from '../message-marks.ts';
import { GRAPHQL_WS_SUBPROTOCOLS } from '../payload-kinds.ts';
import { ru, ruSummary } from '../node-text.ts';
import { rangeOf, type PayloadContext, type PayloadLayer, type PayloadOffsets } from '../payload-layers.ts';
import type { ByteRange, WireNode } from '../types.ts';
import { clip, decodeExecutionResult, decodeGraphqlRequest, jsonRange, jsonTree, type Facts } from './graphql-payload.ts';
import { entryOf, readJsonWithRanges, type JsonEntry, type JsonNode, type JsonSyntaxError } from '../json/json-ranges.ts';

// GraphQL over WebSocket: one JSON message per WebSocket text message, {type, id?, payload?}.
// Two protocols share the idea and differ in their words:
//   graphql-transport-ws (the graphql-ws library): connection_init, connection_ack, ping, pong,
//     subscribe, next, error, complete;
//   graphql-ws (the older subscriptions-transport-ws, despite the name): connection_init,
//     connection_ack, connection_error, ka, start, data, error, complete, stop, connection_terminate.

export const GRAPHQL_WS_LAYER = 'graphql-ws';
export { GRAPHQL_WS_SUBPROTOCOLS };

const MEANING: Record<string, Record<string, string>> = {
  'graphql-transport-ws': {
    connection_init: 'the client opens the GraphQL conversation (payload: connection parameters)',
    connection_ack: 'the server accepts: operations may start',
    ping: 'are you there? (either side; the other answers pong)',
    pong: 'answer to ping',
    subscribe: 'start an operation under this id',
    next: 'one result of the operation with this id',
    error: 'the operation with this id failed before running; no more results',
    complete: 'the operation with this id is over (from the server), or cancel it (from the client)',
  },
  'graphql-ws': {
    connection_init: 'the client opens the GraphQL conversation',
    connection_ack: 'the server accepts',
    connection_error: 'the server refuses the connection',
    ka: 'keep-alive from the server',
    start: 'start an operation under this id',
    data: 'one result of the operation with this id',
    error: 'the operation with this id failed',
    complete: 'the server finished the operation with this id',
    stop: 'the client cancels the operation with this id',
    connection_terminate: 'the client is leaving',
  },
};

const MEANING_RU: Record<string, Record<string, string>> = {
  'graphql-transport-ws': {
    connection_init: 'клиент начинает разговор на GraphQL (payload — параметры соединения)',
    connection_ack: 'сервер согласен: можно запускать операции',
    ping: 'ты здесь? (любая сторона; другая отвечает pong)',
    pong: 'ответ на ping',
    subscribe: 'запусти операцию под этим id',
    next: 'очередной результат операции с этим id',
    error: 'операция с этим id не запустилась; результатов больше не будет',
    complete: 'операция с этим id закончена (от сервера) или отменить её (от клиента)',
  },
  'graphql-ws': {
    connection_init: 'клиент начинает разговор на GraphQL',
    connection_ack: 'сервер согласен',
    connection_error: 'сервер отказывает в соединении',
    ka: 'сервер поддерживает соединение (keep-alive)',
    start: 'запусти операцию под этим id',
    data: 'очередной результат операции с этим id',
    error: 'операция с этим id завершилась ошибкой',
    complete: 'сервер закончил операцию с этим id',
    stop: 'клиент отменяет операцию с этим id',
    connection_terminate: 'клиент уходит',
  },
};

export const graphqlWsLayer: PayloadLayer = {
  name: GRAPHQL_WS_LAYER,
  accepts(context: PayloadContext): boolean {
    return context.carrier === 'ws-message' && (GRAPHQL_WS_SUBPROTOCOLS as readonly string[]).includes(context.subprotocol ?? '');
  },
  decode(payload, offsets, context): WireNode[] {
    return [decodeGraphqlWsMessage(payload, offsets, context.subprotocol ?? 'graphql-transport-ws', context.contentType === 'application/octet-stream')];
  },
};

/** One graphql-ws message; always marked as a WireMessage of layer 'graphql-ws'. */
export function decodeGraphqlWsMessage(payload: Uint8Array, offsets: PayloadOffsets, subprotocol: string, binary = false): WireNode {
  const range = rangeOf(offsets, 0, payload.length);
  const fields: Facts = { protocol: subprotocol };
  if (binary) return binaryMessage(range, fields);
  const { json, error } = readJsonWithRanges(payload);
  if (error) return notJsonMessage(error, payload, offsets, range, fields);
  const type = entryOf(json, 'type');
  const id = entryOf(json, 'id');
  const payloadEntry = entryOf(json, 'payload');
  const typeName = type?.value.type === 'string' ? type.value.value : undefined;
  fields.type = typeName ?? 'missing';
  if (!typeName) fields.error = 'missing-type';
  if (id?.value.type === 'string') fields.id = id.value.value;
  const meaning = typeName ? MEANING[subprotocol]?.[typeName] : undefined;
  const meaningRu = typeName ? MEANING_RU[subprotocol]?.[typeName] : undefined;
  if (typeName && !meaning) fields.error = 'unknown-type';
  const children: WireNode[] = [];
  if (type) children.push(typeNode(type, typeName, { en: meaning, ru: meaningRu }, offsets));
  if (id) children.push(idNode(id, offsets));
  if (payloadEntry) children.push(payloadNode(payloadEntry, typeName, offsets, fields));
  const summary = [typeName ?? 'no type', fields.id !== undefined ? `id ${fields.id}` : '', describe(fields)].filter(Boolean).join(' · ');
  const node = ru<WireNode>(
    {
      kind: 'graphql-ws-message',
      label: `graphql-ws ${typeName ?? 'message'}`,
      value: meaning ?? '',
      range,
      children,
      ...(fields.error ? { error: String(fields.error) } : {}),
    },
    `graphql-ws ${typeName ?? 'сообщение'}`,
    meaningRu ?? '',
  );
  ruSummary(node, [typeName ?? 'без type', fields.id !== undefined ? `id ${fields.id}` : '', describe(fields, 'ru')].filter(Boolean).join(' · '));
  return markMessage(node, { layer: GRAPHQL_WS_LAYER, summary, fields });
}

/** Both protocols allow text messages only; graphql-ws closes with 4400 on anything else. */
function binaryMessage(range: ByteRange, fields: Facts): WireNode {
  fields.type = 'binary';
  fields.error = 'binary-message';
  const node = ru<WireNode>(
    { kind: 'graphql-ws-message', label: 'graphql-ws: binary message', value: 'the protocol allows text messages only', range, error: 'binary-message' },
    'graphql-ws: двоичное сообщение',
    'протокол допускает только текстовые сообщения',
  );
  ruSummary(node, 'двоичное сообщение (запрещено)');
  return markMessage(node, { layer: GRAPHQL_WS_LAYER, summary: 'binary message (not allowed)', fields });
}

function notJsonMessage(error: JsonSyntaxError, payload: Uint8Array, offsets: PayloadOffsets, range: ByteRange, fields: Facts): WireNode {
  fields.type = 'invalid';
  fields.error = 'invalid-json';
  const at = error.at;
  const node = ru<WireNode>(
    {
      kind: 'graphql-ws-message',
      label: 'graphql-ws: not JSON',
      value: error.message,
      range,
      error: 'invalid-json',
      children: [
        ru(
          {
            kind: 'json-error',
            label: 'JSON error here',
            range: rangeOf(offsets, Math.min(at, payload.length - 1), Math.min(at + 1, payload.length)),
            error: 'invalid-json',
          },
          'здесь ошибка JSON',
        ),
      ],
    },
    'graphql-ws: не JSON',
  );
  ruSummary(node, 'не JSON');
  return markMessage(node, { layer: GRAPHQL_WS_LAYER, summary: 'not JSON', fields });
}

function typeNode(type: JsonEntry, typeName: string | undefined, meaning: { en?: string; ru?: string }, offsets: PayloadOffsets): WireNode {
  return ru(
    {
      kind: 'graphql-ws-type',
      label: `type: ${meaning.en ?? 'not a message type of this protocol'}`,
      value: typeName ?? JSON.stringify(plainValue(type.value)),
      range: jsonRange(offsets, { start: type.key.start, end: type.value.end }),
      ...(meaning.en ? {} : { error: 'unknown-type' }),
    },
    `type: ${meaning.ru ?? 'в этом протоколе такого типа сообщений нет'}`,
  );
}

function idNode(id: JsonEntry, offsets: PayloadOffsets): WireNode {
  return ru(
    {
      kind: 'graphql-ws-id',
      label: 'id: which operation this message belongs to',
      value: id.value.type === 'string' ? id.value.value : JSON.stringify(plainValue(id.value)),
      range: jsonRange(offsets, { start: id.key.start, end: id.value.end }),
    },
    'id: к какой операции относится сообщение',
  );
}

/** The payload, read as what its message type carries: a request, a result, a list of errors, or plain JSON. */
function payloadNode(payloadEntry: JsonEntry, typeName: string | undefined, offsets: PayloadOffsets, fields: Facts): WireNode {
  const payloadRange = jsonRange(offsets, { start: payloadEntry.key.start, end: payloadEntry.value.end });
  let inner: WireNode;
  if (typeName === 'subscribe' || typeName === 'start') {
    const request = decodeGraphqlRequest(payloadEntry.value, offsets);
    for (const [key, value] of Object.entries(request.facts)) if (!(key in fields)) fields[key] = value;
    inner = request.node;
  } else if (typeName === 'next' || typeName === 'data') {
    const result = decodeExecutionResult(payloadEntry.value, offsets);
    for (const [key, value] of Object.entries(result.facts)) if (!(key in fields)) fields[key] = value;
    inner = result.node;
  } else if (typeName === 'error' && payloadEntry.value.type === 'array') {
    // graphql-transport-ws: the payload is the list of GraphQL errors itself.
    const result = decodeExecutionResult(
      {
        type: 'object',
        start: payloadEntry.value.start,
        end: payloadEntry.value.end,
        entries: [{ key: { ...payloadEntry.key, value: 'errors' }, value: payloadEntry.value }],
      },
      offsets,
    );
    fields.errors = result.facts.errors ?? 0;
    if (result.facts.errorMessage !== undefined) fields.errorMessage = result.facts.errorMessage;
    if (result.facts.errorCode !== undefined) fields.errorCode = result.facts.errorCode;
    inner = result.node.children?.[0] ?? jsonTree(payloadEntry.value, 'payload', offsets);
  } else {
    inner = jsonTree(payloadEntry.value, 'payload', offsets);
  }
  return { kind: 'graphql-ws-payload', label: 'payload', range: payloadRange, children: [inner] };
}

function describe(fields: Facts, lang: 'en' | 'ru' = 'en'): string {
  if (fields.type === 'subscribe' || fields.type === 'start') {
    return [fields.operationType, fields.operationName, fields.selection !== undefined ? clip(String(fields.selection), 50) : ''].filter(Boolean).join(' ');
  }
  if (fields.type === 'next' || fields.type === 'data') {
    const errors = fields.errors ? (lang === 'ru' ? `ошибок: ${fields.errors}` : `${fields.errors} errors`) : '';
    return [fields.data ? 'data' : '', errors].filter(Boolean).join(', ');
  }
  if (fields.type === 'error') return String(fields.errorMessage ?? '');
  return '';
}

function plainValue(node: JsonNode): unknown {
  return node.type === 'object' || node.type === 'array' ? node.type : node.type === 'null' ? null : node.value;
}
