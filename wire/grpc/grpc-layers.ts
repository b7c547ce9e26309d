import type { DescMessage, DescMethod } from '@bufbuild/protobuf';
import { markMessage } from '../message-marks.ts';
import { bytesRu, ru, ruSummary } from '../node-text.ts';
import { rangeOf, type PayloadContext, type PayloadLayer, type PayloadOffsets } from '../payload-layers.ts';
import type { ByteRange, WireNode } from '../types.ts';
import { decodeProtobuf, hex } from '../protobuf/decode-protobuf.ts';
import { methodForPath, messageByName } from '../protobuf/schema.ts';
import { ENVELOPE_FLAGS, ENVELOPE_HEADER_BYTES, envelopeLength } from './envelope.ts';
import { fromBase64, grpcCodeFromConnect, grpcCodeName, grpcStatusNode, pinRanges, type LocatedField } from './grpc-status.ts';

// What travels inside the bodies of gRPC calls. All three protocols frame messages the same way,
// a length-prefixed envelope: 1 flags byte, a 4-byte big-endian length, the message.
// The envelope's rules are in envelope.ts.
//   gRPC (application/grpc…, HTTP/2 DATA): flag 0x01 = compressed; the status is in HTTP/2 trailers.
//   gRPC-Web (application/grpc-web…): flag 0x80 marks the last envelope, the trailers as text.
//   Connect streaming (application/connect+proto|json): flag 0x02 marks the end-stream JSON.
// Connect unary (application/proto) sends the bare message as the body.

type Protocol = 'grpc' | 'grpc-web' | 'connect';
/**
 * Messages of one body decoded field by field: the last ones (the inspector lists the newest
 * first). Older ones keep their envelope and fields but show their bytes only: a long stream of
 * small messages would otherwise make millions of nodes.
 */
export const GRPC_DETAILED_MESSAGES_PER_BODY = 500;
const utf8 = new TextDecoder('utf-8');

/** Is the payload a request (client → server) or a response? */
function directionOf(context: PayloadContext): 'request' | 'response' {
  if (context.carrier === 'http-response-body') return 'response';
  if (context.carrier === 'http-request-body') return 'request';
  return context.headers?.some(([name]) => name === ':status') ? 'response' : 'request';
}

function contentTypeOf(context: PayloadContext): string {
  return (context.contentType ?? '').split(';')[0].trim();
}

export const grpcLayer: PayloadLayer = {
  name: 'grpc',
  accepts: (context) => /^application\/grpc(\+[a-z0-9.-]+)?$/.test(contentTypeOf(context)),
  decode: (payload, offsets, context) => readEnvelopes(payload, offsets, context, 'grpc'),
};

export const grpcWebLayer: PayloadLayer = {
  name: 'grpc-web',
  accepts: (context) => contentTypeOf(context).startsWith('application/grpc-web'),
  decode: (payload, offsets, context) => {
    if (!contentTypeOf(context).startsWith('application/grpc-web-text')) return readEnvelopes(payload, offsets, context, 'grpc-web');
    // grpc-web-text: the envelopes in base64 (for clients that cannot read binary bodies).
    // A decoded byte lies inside the 4 characters that carry its 3-byte group.
    const text = utf8.decode(payload).replace(/\s+/g, '');
    const bytes = fromBase64(text);
    if (!bytes)
      return [
        ru(
          {
            kind: 'grpc-web-text',
            label: 'gRPC-Web text body',
            value: 'not valid base64',
            range: rangeOf(offsets, 0, payload.length),
            error: 'invalid-base64',
          },
          'Текстовое тело gRPC-Web',
          'это не base64',
        ),
      ];
    const charOffsets: PayloadOffsets = (index) => offsets(Math.min(payload.length - 1, Math.floor(index / 3) * 4));
    const node: WireNode = {
      kind: 'grpc-web-text',
      label: 'gRPC-Web text body (base64 of the envelopes)',
      value: `${payload.length} characters → ${bytes.length} bytes`,
      range: rangeOf(offsets, 0, payload.length),
      children: readEnvelopes(bytes, charOffsets, context, 'grpc-web'),
    };
    return [ru(node, 'Текстовое тело gRPC-Web (конверты в base64)', `${payload.length} симв. → ${bytesRu(bytes.length)}`)];
  },
};

export const connectStreamLayer: PayloadLayer = {
  name: 'connect-stream',
  accepts: (context) => /^application\/connect\+/.test(contentTypeOf(context)),
  decode: (payload, offsets, context) => readEnvelopes(payload, offsets, context, 'connect'),
};

export const connectUnaryLayer: PayloadLayer = {
  name: 'connect-unary',
  accepts: (context) => ['application/proto', 'application/json'].includes(contentTypeOf(context)) && methodForPath(context.path) !== undefined,
  decode: (payload, offsets, context) => {
    const direction = directionOf(context);
    const method = methodForPath(context.path)!;
    const schema = direction === 'request' ? method.input : method.output;
    const json = contentTypeOf(context) === 'application/json';
    const range = rangeOf(offsets, 0, payload.length);
    if (json && direction === 'response') {
      // A unary error is a JSON object with a code (and a non-2xx HTTP status), not the output message.
      const error = connectErrorOf(payload);
      if (error) return [connectStatusNode(error, range, context.path, '').node];
    }
    const message = json
      ? ru(
          { kind: 'grpc-json', label: `${schema.typeName} (Connect unary, JSON)`, value: utf8.decode(payload), range },
          `${schema.typeName} (унарный Connect, JSON)`,
        )
      : ru(
          decodeProtobuf(payload, offsets, schema, `${schema.typeName} (Connect unary: the whole body is the message)`),
          `${schema.typeName} (унарный Connect: всё тело и есть сообщение)`,
        );
    ruSummary(message, `${direction === 'request' ? 'запрос' : 'ответ'} ${schema.name} · ${payload.length} Б`);
    return [
      markMessage(message, {
        layer: 'grpc-message',
        summary: `${direction} ${schema.name} · ${payload.length} B`,
        fields: {
          protocol: 'connect',
          dir: direction,
          compressed: false,
          length: payload.length,
          method: context.path ?? '',
          messageType: schema.typeName,
          envelope: false,
          codec: json ? 'json' : 'proto',
          complete: context.complete,
        },
      }),
    ];
  },
};

function connectErrorOf(payload: Uint8Array): ConnectErrorJson | undefined {
  try {
    const parsed = JSON.parse(utf8.decode(payload)) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as ConnectErrorJson).code === 'string') return parsed as ConnectErrorJson;
  } catch {
    // not JSON: shown as the message it claims to be
  }
  return undefined;
}

/** Every layer of this file, most specific first (grpc-web before grpc). */
export const GRPC_PAYLOAD_LAYERS: readonly PayloadLayer[] = [grpcWebLayer, grpcLayer, connectStreamLayer, connectUnaryLayer];

function readEnvelopes(payload: Uint8Array, offsets: PayloadOffsets, context: PayloadContext, protocol: Protocol): WireNode[] {
  const direction = directionOf(context);
  const method = methodForPath(context.path);
  const json = /\+json$/.test(contentTypeOf(context));
  const nodes: WireNode[] = [];
  const firstDetailed = countEnvelopes(payload) - GRPC_DETAILED_MESSAGES_PER_BODY;
  let position = 0;
  let index = 0;
  // A complete envelope decodes the same every time (wire/decode-memo.ts): a long stream is
  // decoded again whenever it grows, and only its new envelopes should cost.
  const memoName = `grpc-envelope:${protocol}:${direction}`;
  const memos = context.memo && {
    detailed: context.memo.table<number, KnownEnvelope>(`${memoName}:detailed`),
    brief: context.memo.table<number, KnownEnvelope>(memoName),
  };
  while (position < payload.length) {
    if (position + ENVELOPE_HEADER_BYTES > payload.length) {
      nodes.push(incomplete(payload, offsets, position, context));
      break;
    }
    const flags = payload[position];
    const length = envelopeLength(payload, position);
    const bodyStart = position + ENVELOPE_HEADER_BYTES;
    const available = Math.min(length, payload.length - bodyStart);
    const isTrailers =
      (protocol === 'grpc-web' && (flags & ENVELOPE_FLAGS.grpcWebTrailers) !== 0) ||
      (protocol === 'connect' && (flags & ENVELOPE_FLAGS.connectEndStream) !== 0);
    const memo = available === length ? (index >= firstDetailed ? memos?.detailed : memos?.brief) : undefined;
    const envelopeIndex = index;
    const known = memo?.get(offsets(position));
    if (known && known.index === envelopeIndex) {
      nodes.push(known.node);
      if (!isTrailers) index += 1;
      position = bodyStart + length;
      continue;
    }
    const body = payload.subarray(bodyStart, bodyStart + available);
    const complete = available === length;
    const header = envelopeHeaderNodes(flags, length, rangeOf(offsets, position, position + 1), rangeOf(offsets, position + 1, bodyStart), protocol);
    const end = bodyStart + available;
    if (isTrailers) {
      const node =
        protocol === 'grpc-web'
          ? grpcWebTrailers(body, offsets, bodyStart, header, context.path)
          : connectEndStream(body, offsets, bodyStart, header, context.path);
      node.range = rangeOf(offsets, position, end);
      if (!complete) node.error = context.complete ? 'truncated' : 'incomplete';
      nodes.push(node);
    } else {
      const envelope = { flags, length, available, body, bodyStart, range: rangeOf(offsets, position, end), index, detailed: index >= firstDetailed };
      nodes.push(messageEnvelopeNode(envelope, header, { offsets, context, protocol, direction, schema: schemaFor(method, direction), json }));
      index += 1;
    }
    if (!complete) break;
    memo?.set(offsets(position), { index: envelopeIndex, node: nodes[nodes.length - 1] });
    position = end;
  }
  return nodes;
}

/** The envelope's 5-byte head: the flags byte and the big-endian length. */
function envelopeHeaderNodes(flags: number, length: number, flagsRange: ByteRange, lengthRange: ByteRange, protocol: Protocol): WireNode[] {
  return [
    ru(
      { kind: 'grpc-flags', label: 'Flags (1 byte)', value: flagText(flags, protocol, 'en'), range: flagsRange },
      'Флаги (1 байт)',
      flagText(flags, protocol, 'ru'),
    ),
    ru(
      { kind: 'grpc-length', label: 'Length (4 bytes, big-endian)', value: `${length} bytes`, range: lengthRange },
      'Длина (4 байта, big-endian)',
      bytesRu(length),
    ),
  ];
}

/** One data envelope of a body, and where it stands in it. */
interface MessageEnvelope {
  flags: number;
  length: number;
  /** its bytes in this payload so far (less than `length` while it arrives) */
  available: number;
  body: Uint8Array;
  bodyStart: number;
  range: ByteRange;
  /** its message number in the stream, from 0 */
  index: number;
  /** among the last messages of a stream, which are read field by field */
  detailed: boolean;
}

/** What every envelope of one body shares. */
interface EnvelopeSetting {
  offsets: PayloadOffsets;
  context: PayloadContext;
  protocol: Protocol;
  direction: 'request' | 'response';
  schema: ReturnType<typeof schemaFor>;
  json: boolean;
}

/** A data envelope: its head, its message (decoded, or as bytes when not detailed) and its facts for the timeline. */
function messageEnvelopeNode(envelope: MessageEnvelope, header: WireNode[], setting: EnvelopeSetting): WireNode {
  const { flags, length, available, body, bodyStart, index } = envelope;
  const { offsets, context, protocol, direction, schema, json } = setting;
  const complete = available === length;
  const compressed = (flags & ENVELOPE_FLAGS.compressed) !== 0;
  const content = envelope.detailed
    ? messageContent(body, offsets, bodyStart, schema, compressed, json, complete, context)
    : ru(
        {
          kind: 'grpc-not-detailed',
          label: `Message bytes (field by field only for the last ${GRPC_DETAILED_MESSAGES_PER_BODY} messages of a stream)`,
          value: hex(body),
          range: rangeOf(offsets, bodyStart, bodyStart + body.length),
        },
        `Байты сообщения (поле за полем разбираются только последние ${GRPC_DETAILED_MESSAGES_PER_BODY} сообщений потока)`,
      );
  const node: WireNode = {
    kind: 'grpc-message',
    label: `${protocolName(protocol)} message ${index + 1}${schema ? ` · ${schema.typeName}` : ''}`,
    value: `${direction} · ${length} B${compressed ? ' · compressed' : ''}${complete ? '' : ` · ${available} of ${length} B so far`}`,
    range: envelope.range,
    children: [...header, content],
    ...(complete ? {} : { error: context.complete ? 'truncated' : 'incomplete' }),
  };
  ru(
    node,
    `Сообщение ${protocolName(protocol)} № ${index + 1}${schema ? ` · ${schema.typeName}` : ''}`,
    `${direction === 'request' ? 'запрос' : 'ответ'} · ${length} Б${compressed ? ' · сжато' : ''}${complete ? '' : ` · пока ${available} из ${length} Б`}`,
  );
  const fields: Record<string, string | number | boolean> = { protocol, dir: direction, compressed, length, index, complete, codec: json ? 'json' : 'proto' };
  if (context.path) fields.method = context.path;
  if (schema) fields.messageType = schema.typeName;
  ruSummary(
    node,
    `${direction === 'request' ? 'запрос' : 'ответ'} ${schema?.name ?? 'сообщение'} · ${length} Б${compressed ? ' · сжато' : ''}${complete ? '' : ' · не полностью'}`,
  );
  return markMessage(node, {
    layer: 'grpc-message',
    summary: `${direction} ${schema?.name ?? 'message'} · ${length} B${compressed ? ' · compressed' : ''}${complete ? '' : ' · incomplete'}`,
    fields,
  });
}

/** A complete envelope as the last decode left it; `index` is its message number then. */
interface KnownEnvelope {
  index: number;
  node: WireNode;
}

/** How many envelopes (messages and trailers) a body holds, by their lengths alone. */
function countEnvelopes(payload: Uint8Array): number {
  let count = 0;
  for (let position = 0; position + ENVELOPE_HEADER_BYTES <= payload.length; count += 1) {
    const length = envelopeLength(payload, position);
    position += ENVELOPE_HEADER_BYTES + length;
  }
  return count;
}

function incomplete(payload: Uint8Array, offsets: PayloadOffsets, position: number, context: PayloadContext): WireNode {
  const have = payload.length - position;
  return ru(
    {
      kind: 'grpc-incomplete',
      label: context.complete ? 'Envelope cut short' : 'Envelope still arriving',
      value: `${have} of the 5 bytes of an envelope header`,
      range: rangeOf(offsets, position, payload.length),
      error: context.complete ? 'truncated' : 'incomplete',
    },
    context.complete ? 'Конверт оборван' : 'Конверт ещё приходит',
    `${have} из 5 байт заголовка конверта`,
  );
}

function protocolName(protocol: Protocol): string {
  return protocol === 'grpc' ? 'gRPC' : protocol === 'grpc-web' ? 'gRPC-Web' : 'Connect';
}

function flagText(flags: number, protocol: Protocol, lang: 'en' | 'ru'): string {
  const parts: string[] = [];
  if (flags & ENVELOPE_FLAGS.compressed) parts.push(lang === 'en' ? 'compressed' : 'сжато');
  if (protocol === 'grpc-web' && flags & ENVELOPE_FLAGS.grpcWebTrailers) parts.push(lang === 'en' ? 'trailers' : 'трейлеры');
  if (protocol === 'connect' && flags & ENVELOPE_FLAGS.connectEndStream) parts.push(lang === 'en' ? 'end of stream' : 'конец потока');
  const plain = lang === 'en' ? 'a message, not compressed' : 'сообщение без сжатия';
  return `0x${flags.toString(16).padStart(2, '0')} = ${parts.length > 0 ? parts.join(', ') : plain}`;
}

function schemaFor(method: DescMethod | undefined, direction: 'request' | 'response'): DescMessage | undefined {
  if (!method) return undefined;
  return direction === 'request' ? method.input : method.output;
}

function messageContent(
  body: Uint8Array,
  offsets: PayloadOffsets,
  bodyStart: number,
  schema: DescMessage | undefined,
  compressed: boolean,
  json: boolean,
  complete: boolean,
  context: PayloadContext,
): WireNode {
  const shifted: PayloadOffsets = (index) => offsets(bodyStart + index);
  const range = rangeOf(shifted, 0, body.length);
  if (compressed) {
    const encoding = context.headers?.find(([name]) => name === 'grpc-encoding' || name === 'connect-content-encoding')?.[1] ?? 'the negotiated encoding';
    return ru(
      { kind: 'grpc-compressed', label: `Message compressed with ${encoding} (not decompressed here)`, value: hex(body), range },
      `Сообщение сжато (${encoding}), здесь не распаковывается`,
    );
  }
  if (json) return ru({ kind: 'grpc-json', label: 'Message (JSON codec)', value: utf8.decode(body), range }, 'Сообщение (кодек JSON)');
  if (!complete) return ru({ kind: 'grpc-partial', label: 'Message bytes so far', value: hex(body), range }, 'Байты сообщения, пришедшие к этому моменту');
  return decodeProtobuf(body, shifted, schema);
}

/** gRPC-Web's last envelope: the trailers as HTTP/1-style text lines. */
function grpcWebTrailers(body: Uint8Array, offsets: PayloadOffsets, bodyStart: number, header: WireNode[], method: string | undefined): WireNode {
  const fields: LocatedField[] = [];
  const lines: WireNode[] = [];
  let lineStart = 0;
  for (let index = 0; index <= body.length; index += 1) {
    const atEnd = index === body.length;
    if (!atEnd && body[index] !== 0x0a) continue;
    const lineEnd = !atEnd && index > lineStart && body[index - 1] === 0x0d ? index - 1 : index;
    const line = utf8.decode(body.subarray(lineStart, lineEnd));
    if (line.length > 0) {
      const colon = line.indexOf(':');
      const name = (colon === -1 ? line : line.slice(0, colon)).trim().toLowerCase();
      const value = colon === -1 ? '' : line.slice(colon + 1).trim();
      const range = rangeOf(offsets, bodyStart + lineStart, bodyStart + (atEnd ? index : index + 1));
      fields.push({ name, value, range });
      lines.push({ kind: 'header', label: name, value, range });
    }
    lineStart = index + 1;
  }
  const lineNodes = ru(
    { kind: 'grpc-web-trailer-lines', label: 'Trailers (text, one per line)', range: rangeOf(offsets, bodyStart, bodyStart + body.length), children: lines },
    'Трейлеры (текст, по одному в строке)',
  );
  const children: WireNode[] = [...header, lineNodes];
  const status = grpcStatusNode(fields, 'grpc-web', method);
  if (status) children.push(status);
  const codeName = status?.label.replace('gRPC status ', '');
  return ru(
    {
      kind: 'grpc-web-trailers',
      label: 'gRPC-Web trailers frame (flag 0x80)',
      value: status?.label ?? 'no grpc-status',
      range: rangeOf(offsets, bodyStart, bodyStart + body.length),
      children,
    },
    'Кадр трейлеров gRPC-Web (флаг 0x80)',
    codeName ? `статус gRPC ${codeName}` : 'нет grpc-status',
  );
}

/** Connect's end-stream message: JSON with an optional error and trailing metadata. */
function connectEndStream(body: Uint8Array, offsets: PayloadOffsets, bodyStart: number, header: WireNode[], method: string | undefined): WireNode {
  const text = utf8.decode(body);
  const range = rangeOf(offsets, bodyStart, bodyStart + body.length);
  const children: WireNode[] = [...header, ru({ kind: 'connect-end-json', label: 'End-stream JSON', value: text, range }, 'JSON конца потока')];
  let parsed: { error?: ConnectErrorJson; metadata?: Record<string, string[]> } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return ru(
      { kind: 'connect-end-stream', label: 'Connect end-of-stream (flag 0x02)', value: 'not valid JSON', range, children, error: 'invalid-json' },
      'Конец потока Connect (флаг 0x02)',
      'это не JSON',
    );
  }
  const status = connectStatusNode(parsed?.error, range, method, 'the stream ended without an error');
  children.push(status.node);
  return ru(
    { kind: 'connect-end-stream', label: 'Connect end-of-stream message (flag 0x02)', value: status.codeName, range, children },
    'Сообщение конца потока Connect (флаг 0x02)',
  );
}

interface ConnectErrorJson {
  code?: string;
  message?: string;
  details?: Array<{ type?: string; value?: string }>;
}

/** A Connect error (end-stream JSON, or a unary error body) as a 'grpc-status' message. */
function connectStatusNode(
  error: ConnectErrorJson | undefined,
  range: ByteRange,
  method: string | undefined,
  okText: string,
): { node: WireNode; codeName: string } {
  const code = error?.code !== undefined ? (grpcCodeFromConnect(error.code) ?? 2) : 0;
  const details: WireNode[] = [];
  const types: string[] = [];
  for (const detail of error?.details ?? []) {
    const bytes = detail.value ? fromBase64(detail.value) : undefined;
    const schema = detail.type ? messageByName(detail.type) : undefined;
    if (detail.type) types.push(detail.type);
    if (!bytes) continue;
    const decoded = ru(
      decodeProtobuf(bytes, () => range.start, schema, `${detail.type ?? 'detail'} (base64-decoded)`),
      `${detail.type ?? 'деталь'} (из base64)`,
    );
    pinRanges(decoded, range);
    details.push(decoded);
  }
  const message = error?.message ?? '';
  const status = ru(
    {
      kind: 'grpc-status',
      label: `Connect status ${grpcCodeName(code)}`,
      value: message || (code === 0 ? okText : ''),
      range,
      children: details,
      ...(code !== 0 ? { error: `grpc-${grpcCodeName(code).toLowerCase().replace(/_/g, '-')}` } : {}),
    },
    `Статус Connect ${grpcCodeName(code)}`,
    message || (code === 0 && okText ? 'поток завершился без ошибки' : ''),
  );
  const fields: Record<string, string | number | boolean> = { protocol: 'connect', code, codeName: grpcCodeName(code), message };
  if (types.length > 0) fields.details = types.join(',');
  if (method) fields.method = method;
  markMessage(status, { layer: 'grpc-status', summary: `${grpcCodeName(code)}${message ? ` · ${message}` : ''}`, fields });
  return { node: status, codeName: grpcCodeName(code) };
}
