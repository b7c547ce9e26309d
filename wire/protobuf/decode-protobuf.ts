import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { bytesRu, ru, setValue } from '../node-text.ts';
import type { Bilingual } from '../../shared/bilingual.ts';
import { countRu } from '../../shared/russian-plural.ts';
import { rangeOf, type PayloadOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { messageByName } from './schema.ts';

// Protocol Buffers' binary encoding, field by field: tags (field number, wire type), varints byte
// by byte, zigzag, fixed32/64, length-delimited values (strings, bytes, nested messages, packed
// repeated scalars, map entries). With the message's schema each field gets its name and type;
// without it the decoder shows what the bytes alone say. Every node carries its byte range.

/** Nested messages deeper than this are shown as bytes (a hostile message could nest forever). */
export const PROTOBUF_MAX_DEPTH = 32;
/** The largest field number: a tag is a 32-bit varint, 3 bits of it the wire type (protoc refuses larger ones). */
export const PROTOBUF_MAX_FIELD_NUMBER = 536_870_911;
/** Nodes in one decoded message; past it the rest is one "not shown" node (a 4 MiB message has ~1M fields). */
export const PROTOBUF_MAX_NODES = 5000;

const WIRE_TYPES = ['VARINT', 'I64', 'LEN', 'SGROUP', 'EGROUP', 'I32'] as const;
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Context {
  bytes: Uint8Array;
  offsets: PayloadOffsets;
  nodes: number;
  /** where a length-delimited value's bytes are in `bytes` (for Any, decoded after its type_url) */
  spans: WeakMap<WireNode, { start: number; end: number }>;
}

interface Varint {
  value: bigint;
  end: number;
}

/** Decodes `bytes` as one message; `schema` names its fields when known. */
export function decodeProtobuf(bytes: Uint8Array, offsets: PayloadOffsets, schema?: DescMessage, label?: string): WireNode {
  const context: Context = { bytes, offsets, nodes: 0, spans: new WeakMap() };
  const children = readFields(context, 0, bytes.length, schema, 0);
  const node: WireNode = {
    kind: 'pb-message',
    label: label ?? (schema ? schema.typeName : 'protobuf message (no schema: raw decode)'),
    value: `${bytes.length} bytes`,
    range: rangeOf(offsets, 0, bytes.length),
    children,
  };
  ru(node, label ?? (schema ? schema.typeName : 'сообщение protobuf (схемы нет: разбор по байтам)'), bytesRu(bytes.length));
  const error = children.find((child) => child.error)?.error;
  if (error) node.error = error;
  return node;
}

/** True when `bytes` parse as a message to their last byte without an error (for guessing). */
export function parsesCleanly(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let position = 0;
  while (position < bytes.length) {
    const tag = readVarint(bytes, position, bytes.length);
    if (!tag || tag.value === 0n || tag.value >> 3n > BigInt(PROTOBUF_MAX_FIELD_NUMBER)) return false;
    position = tag.end;
    const wireType = Number(tag.value & 7n);
    if (wireType === 0) {
      const value = readVarint(bytes, position, bytes.length);
      if (!value) return false;
      position = value.end;
    } else if (wireType === 1) position += 8;
    else if (wireType === 5) position += 4;
    else if (wireType === 2) {
      const length = readVarint(bytes, position, bytes.length);
      if (!length) return false;
      position = length.end + Number(length.value);
    } else return false;
    if (position > bytes.length) return false;
  }
  return true;
}

function readVarint(bytes: Uint8Array, start: number, end: number): Varint | undefined {
  let value = 0n;
  for (let index = 0; index < 10; index += 1) {
    const at = start + index;
    if (at >= end) return undefined;
    value |= BigInt(bytes[at] & 0x7f) << BigInt(7 * index);
    // a 10th byte may carry bits above 2^64: protoc (like every parser) keeps the value modulo 2^64
    if ((bytes[at] & 0x80) === 0) return { value: BigInt.asUintN(64, value), end: at + 1 };
  }
  return undefined;
}

function readFields(context: Context, start: number, end: number, schema: DescMessage | undefined, depth: number): WireNode[] {
  const nodes: WireNode[] = [];
  let position = start;
  while (position < end) {
    if (context.nodes >= PROTOBUF_MAX_NODES) {
      nodes.push(notShownNode(context, position, end));
      break;
    }
    context.nodes += 1;
    const read = readField(context, position, end, schema, depth);
    nodes.push(read.node);
    // no next field: this one was broken, and nothing after it can be framed
    if (read.next === undefined) break;
    position = read.next;
  }
  return nodes;
}

/** One field read: its node, and where the next field starts (absent when this one is broken). */
type FieldRead = { node: WireNode; next?: number };

/** A field whose tag was read: what its value's reader needs to know. */
interface FieldHead {
  fieldStart: number;
  /** the first byte after the tag */
  valueStart: number;
  end: number;
  /** "number name" */
  name: string;
  field: DescField | undefined;
  /** the tag's node, then the value's */
  children: WireNode[];
  /** the field's node, once its value ends at `valueEnd` */
  node(valueEnd: number, value: string | Bilingual, extra?: Partial<WireNode>): WireNode;
}

function readField(context: Context, fieldStart: number, end: number, schema: DescMessage | undefined, depth: number): FieldRead {
  const tag = readVarint(context.bytes, fieldStart, end);
  if (!tag) {
    return {
      node: errorNode(
        context,
        fieldStart,
        end,
        'truncated-varint',
        'Tag: a varint that never ends (every byte has its continuation bit set, or the bytes run out)',
        'Тег: varint не заканчивается (у всех байтов стоит бит продолжения или байты кончились)',
      ),
    };
  }
  const fieldNumber = Number(tag.value >> 3n);
  const wireType = Number(tag.value & 7n);
  const field = schema?.fields.find((candidate) => candidate.number === fieldNumber);
  const wireName = WIRE_TYPES[wireType];
  const tagNode = ru(
    varintNode(context, 'pb-tag', 'tag', fieldStart, tag, `field ${fieldNumber} · wire type ${wireType} ${wireName ?? '(invalid)'}`),
    'тег',
    `поле ${fieldNumber} · тип ${wireType} ${wireName ?? '(недопустимый)'}`,
  );
  const badNumber = fieldNumberError(context, fieldStart, end, fieldNumber, tagNode);
  if (badNumber) return { node: badNumber };
  const name = field ? `${fieldNumber} ${field.name}` : `${fieldNumber}`;
  const typeName = field ? fieldTypeName(field) : undefined;
  const children: WireNode[] = [tagNode];
  const node = (valueEnd: number, value: string | Bilingual, extra: Partial<WireNode> = {}): WireNode => {
    const text = typeof value === 'string' ? { en: value, ru: value } : value;
    const label = `${name}${typeName ? `: ${typeName}` : ''}`;
    const unknown = schema && !field;
    return ru(
      {
        kind: 'pb-field',
        label: `${label}${unknown ? ' (unknown field: not in the schema)' : ''}`,
        value: text.en,
        range: rangeOf(context.offsets, fieldStart, valueEnd),
        children,
        ...extra,
      },
      `${label}${unknown ? ' (неизвестное поле: его нет в схеме)' : ''}`,
      text.ru,
    );
  };
  const head: FieldHead = { fieldStart, valueStart: tag.end, end, name, field, children, node };
  if (wireType === 0) return varintField(context, head);
  if (wireType === 1 || wireType === 5) return fixedField(context, head, wireType === 1 ? 8 : 4);
  if (wireType === 2) return lengthDelimitedField(context, head, depth);
  return { node: wireTypeError(context, fieldStart, end, fieldNumber, wireType, children) };
}

/** Wire type 0: a varint. */
function varintField(context: Context, head: FieldHead): FieldRead {
  const { fieldStart, valueStart, end, name, field, children } = head;
  const value = readVarint(context.bytes, valueStart, end);
  if (!value) {
    return {
      node: errorNode(
        context,
        fieldStart,
        end,
        'truncated-varint',
        `Field ${name}: the varint value is cut short`,
        `Поле ${name}: значение varint оборвано`,
        children,
      ),
    };
  }
  const shown = field ? { en: scalarText(field, value.value), ru: scalarText(field, value.value, 'ru') } : rawVarintText(value.value);
  const shownEn = typeof shown === 'string' ? shown : shown.en;
  const shownRu = typeof shown === 'string' ? shown : shown.ru;
  children.push(ru(varintNode(context, 'pb-value', 'value (varint)', valueStart, value, shownEn), 'значение (varint)', shownRu));
  return { node: head.node(value.end, { en: shownEn, ru: shownRu }), next: value.end };
}

/** Wire types 1 and 5: 8 or 4 bytes, little-endian. */
function fixedField(context: Context, head: FieldHead, size: 4 | 8): FieldRead {
  const { fieldStart, valueStart, end, name, field, children } = head;
  if (valueStart + size > end) {
    return {
      node: errorNode(
        context,
        fieldStart,
        end,
        'truncated-fixed',
        `Field ${name}: ${size} bytes needed, ${end - valueStart} left`,
        `Поле ${name}: нужно ${bytesRu(size)}, осталось ${end - valueStart}`,
        children,
      ),
    };
  }
  const shown = fixedText(context.bytes.subarray(valueStart, valueStart + size), field);
  children.push(fixedValueNode(context, valueStart, size, shown));
  return { node: head.node(valueStart + size, shown), next: valueStart + size };
}

/** Wire type 2: a varint length and that many bytes (a string, bytes, a message, packed scalars). */
function lengthDelimitedField(context: Context, head: FieldHead, depth: number): FieldRead {
  const { fieldStart, valueStart: lengthStart, end, name, field, children } = head;
  const length = readVarint(context.bytes, lengthStart, end);
  if (!length) {
    return {
      node: errorNode(context, fieldStart, end, 'truncated-varint', `Field ${name}: the length is cut short`, `Поле ${name}: длина оборвана`, children),
    };
  }
  children.push(
    ru(
      varintNode(context, 'pb-length', 'length (varint)', lengthStart, length, `${length.value} bytes follow`),
      'длина (varint)',
      `дальше ${bytesRu(Number(length.value))}`,
    ),
  );
  const valueStart = length.end;
  const valueEnd = valueStart + Number(length.value);
  if (length.value > BigInt(end - valueStart)) {
    return {
      node: errorNode(
        context,
        fieldStart,
        end,
        'length-past-end',
        `Field ${name}: length ${length.value} goes past the end (${end - valueStart} bytes left)`,
        `Поле ${name}: длина ${length.value} выходит за конец (осталось ${bytesRu(end - valueStart)})`,
        children,
      ),
    };
  }
  const value = lengthDelimited(context, valueStart, valueEnd, field, depth);
  children.push(value.node);
  return { node: head.node(valueEnd, { en: value.text, ru: value.textRu ?? value.text }, value.error ? { error: value.error } : {}), next: valueEnd };
}

/** Where the decoder stops showing fields: the node budget is spent. */
function notShownNode(context: Context, position: number, end: number): WireNode {
  return ru(
    {
      kind: 'pb-not-shown',
      label: `More fields, not shown (over ${PROTOBUF_MAX_NODES} nodes)`,
      value: `${end - position} bytes`,
      range: rangeOf(context.offsets, position, end),
    },
    `Остальные поля не показаны (больше ${PROTOBUF_MAX_NODES} узлов)`,
    bytesRu(end - position),
  );
}

/** A field number no message can have (0, or above 2^29 − 1), as the error that ends the message; null for a valid one. */
function fieldNumberError(context: Context, fieldStart: number, end: number, fieldNumber: number, tagNode: WireNode): WireNode | null {
  if (fieldNumber === 0) {
    return errorNode(
      context,
      fieldStart,
      end,
      'invalid-field-number',
      'Field number 0 does not exist: these bytes are not a protobuf message',
      'Поля с номером 0 не бывает: эти байты не сообщение protobuf',
      [tagNode],
    );
  }
  if (fieldNumber > PROTOBUF_MAX_FIELD_NUMBER) {
    return errorNode(
      context,
      fieldStart,
      end,
      'invalid-field-number',
      `Field number ${fieldNumber} is above 536 870 911 (2^29 − 1), the largest there is: protoc refuses these bytes`,
      `Номер поля ${fieldNumber} больше 536 870 911 (2^29 − 1), самого большого допустимого: protoc такие байты не примет`,
      [tagNode],
    );
  }
  return null;
}

/** The value of a fixed 64- or 32-bit field (wire types 1 and 5), little-endian. */
function fixedValueNode(context: Context, position: number, size: number, shown: Bilingual): WireNode {
  return ru(
    {
      kind: 'pb-value',
      label: `value (${size === 8 ? 'fixed 64 bits' : 'fixed 32 bits'}, little-endian)`,
      value: shown.en,
      range: rangeOf(context.offsets, position, position + size),
    },
    `значение (${size === 8 ? 'фиксированные 64 бита' : 'фиксированные 32 бита'}, little-endian)`,
    shown.ru,
  );
}

/** A wire type this decoder does not read: groups (3 and 4, deprecated) or one that does not exist (6, 7). */
function wireTypeError(context: Context, fieldStart: number, end: number, fieldNumber: number, wireType: number, children: WireNode[]): WireNode {
  const group = wireType === 3 || wireType === 4;
  const what = group ? 'groups (wire types 3 and 4) are deprecated and not decoded here' : `wire type ${wireType} does not exist`;
  const whatRu = group ? 'группы (типы 3 и 4) устарели и здесь не разбираются' : `типа ${wireType} не существует`;
  return errorNode(
    context,
    fieldStart,
    end,
    group ? 'group-not-decoded' : 'invalid-wire-type',
    `Field ${fieldNumber}: ${what}`,
    `Поле ${fieldNumber}: ${whatRu}`,
    children,
  );
}

function errorNode(context: Context, start: number, end: number, error: string, label: string, labelRu: string, children?: WireNode[]): WireNode {
  return ru(
    {
      kind: 'pb-error',
      label,
      value: `${end - start} bytes not decoded`,
      range: rangeOf(context.offsets, start, end),
      error,
      ...(children ? { children } : {}),
    },
    labelRu,
    `не разобрано: ${bytesRu(end - start)}`,
  );
}

/** A varint with one child per byte: its continuation bit and its 7 payload bits. */
function varintNode(context: Context, kind: string, label: string, start: number, varint: Varint, value: string): WireNode {
  const children: WireNode[] = [];
  for (let at = start; at < varint.end; at += 1) {
    const byte = context.bytes[at];
    const bits = (byte & 0x7f).toString(2).padStart(7, '0');
    const index = at - start;
    const label = `0x${byte.toString(16).padStart(2, '0')} = ${byte >> 7}·${bits}`;
    const part = `${7 * index}–${7 * index + 6}: ${byte & 0x7f}${index > 0 ? ` × 2^${7 * index}` : ''}`;
    // the 10th byte's bits above bit 63 fall outside 64 bits: dropped, as protoc drops them
    const dropped = index === 9 && (byte & 0x7e) !== 0;
    children.push(
      ru(
        {
          kind: 'pb-varint-byte',
          label,
          value: `${byte & 0x80 ? 'more bytes follow' : 'last byte'}; bits ${part}${dropped ? '; only bit 63 counts, the bits above 2^64 are dropped' : ''}`,
          range: rangeOf(context.offsets, at, at + 1),
        },
        label,
        `${byte & 0x80 ? 'дальше есть байты' : 'последний байт'}; биты ${part}${dropped ? '; учитывается только бит 63, биты выше 2^64 отбрасываются' : ''}`,
      ),
    );
  }
  return { kind, label, value, range: rangeOf(context.offsets, start, varint.end), children };
}

function fieldTypeName(field: DescField): string {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarName(field.scalar);
    case 'enum':
      return field.enum.typeName;
    case 'message':
      return field.message.typeName;
    case 'list':
      return `repeated ${field.listKind === 'scalar' ? scalarName(field.scalar) : field.listKind === 'enum' ? field.enum.typeName : field.message.typeName}`;
    case 'map':
      return `map<${scalarName(field.mapKey)}, ${field.mapKind === 'scalar' ? scalarName(field.scalar) : field.mapKind === 'enum' ? field.enum.typeName : field.message.typeName}>`;
  }
}

function scalarName(type: ScalarType): string {
  return ScalarType[type].toLowerCase();
}

/** The scalar type of a field or of the elements of a repeated field, if any. */
function scalarOf(field: DescField): ScalarType | undefined {
  if (field.fieldKind === 'scalar') return field.scalar;
  if (field.fieldKind === 'list' && field.listKind === 'scalar') return field.scalar;
  return undefined;
}

function enumOf(field: DescField): DescEnum | undefined {
  if (field.fieldKind === 'enum') return field.enum;
  if (field.fieldKind === 'list' && field.listKind === 'enum') return field.enum;
  return undefined;
}

function zigzag(value: bigint): bigint {
  return (value >> 1n) ^ -(value & 1n);
}

function asInt64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

function scalarText(field: DescField, value: bigint, lang: 'en' | 'ru' = 'en'): string {
  const enumType = enumOf(field);
  if (enumType) {
    const number = Number(asInt64(value));
    const known = enumType.values.find((candidate) => candidate.number === number);
    if (known) return `${known.name} (${number})`;
    return lang === 'en' ? `${number} (not a value of ${enumType.name})` : `${number} (такого значения в ${enumType.name} нет)`;
  }
  switch (scalarOf(field)) {
    case ScalarType.BOOL:
      return value === 0n ? 'false' : 'true';
    case ScalarType.SINT32:
    case ScalarType.SINT64:
      return `${zigzag(value)} (zigzag: ${value} → ${zigzag(value)})`;
    case ScalarType.INT32:
      return String(BigInt.asIntN(32, value));
    case ScalarType.INT64:
      return String(asInt64(value));
    case ScalarType.UINT32:
      return String(BigInt.asUintN(32, value));
    default:
      return String(value);
  }
}

function rawVarintText(value: bigint): Bilingual {
  const en = [String(value)];
  const ruHints = [String(value)];
  const signed = asInt64(value);
  if (signed < 0n) {
    en.push(`as int64: ${signed}`);
    ruHints.push(`как int64: ${signed}`);
  }
  if (value > 0n) {
    en.push(`as sint (zigzag): ${zigzag(value)}`);
    ruHints.push(`как sint (zigzag): ${zigzag(value)}`);
  }
  if (value === 1n) {
    en.push('or true');
    ruHints.push('или true');
  }
  return { en: en.join(' · '), ru: ruHints.join(' · ') };
}

function fixedText(bytes: Uint8Array, field: DescField | undefined): Bilingual {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scalar = field ? scalarOf(field) : undefined;
  const same = (text: string): Bilingual => ({ en: text, ru: text });
  if (bytes.length === 4) {
    if (scalar === ScalarType.FLOAT) return same(String(view.getFloat32(0, true)));
    if (scalar === ScalarType.SFIXED32) return same(String(view.getInt32(0, true)));
    if (scalar === ScalarType.FIXED32) return same(String(view.getUint32(0, true)));
    const [unsigned, signed, float] = [view.getUint32(0, true), view.getInt32(0, true), view.getFloat32(0, true)];
    return { en: `${unsigned} · as int32: ${signed} · as float: ${float}`, ru: `${unsigned} · как int32: ${signed} · как float: ${float}` };
  }
  if (scalar === ScalarType.DOUBLE) return same(String(view.getFloat64(0, true)));
  if (scalar === ScalarType.SFIXED64) return same(String(view.getBigInt64(0, true)));
  if (scalar === ScalarType.FIXED64) return same(String(view.getBigUint64(0, true)));
  const [unsigned, signed, double] = [view.getBigUint64(0, true), view.getBigInt64(0, true), view.getFloat64(0, true)];
  return { en: `${unsigned} · as int64: ${signed} · as double: ${double}`, ru: `${unsigned} · как int64: ${signed} · как double: ${double}` };
}

interface LenValue {
  node: WireNode;
  text: string;
  textRu: string;
  error?: string;
}

function lengthDelimited(context: Context, start: number, end: number, field: DescField | undefined, depth: number): LenValue {
  const decoded = lengthDelimitedValue(context, start, end, field, depth);
  context.spans.set(decoded.node, { start, end });
  return decoded;
}

function lengthDelimitedValue(context: Context, start: number, end: number, field: DescField | undefined, depth: number): LenValue {
  const { bytes, offsets } = context;
  const value = bytes.subarray(start, end);
  const range = rangeOf(offsets, start, end);
  const size = { text: `${value.length} bytes`, textRu: bytesRu(value.length) };
  const leaf = (node: WireNode, labelRu: string, text: string, textRu = text, error?: string): LenValue => ({
    node: ru(node, labelRu),
    text,
    textRu,
    ...(error ? { error } : {}),
  });
  const nested = (schema: DescMessage | undefined, label: string, labelRu: string): LenValue => {
    if (depth >= PROTOBUF_MAX_DEPTH) {
      return leaf(
        { kind: 'pb-bytes', label: `nested deeper than ${PROTOBUF_MAX_DEPTH} levels: not decoded`, value: hex(value), range },
        `вложенность глубже ${PROTOBUF_MAX_DEPTH} уровней: не разбирается`,
        size.text,
        size.textRu,
      );
    }
    const children = readFields(context, start, end, schema, depth + 1);
    const error = children.find((child) => child.error)?.error;
    const node = ru({ kind: 'pb-message', label, value: size.text, range, children, ...(error ? { error } : {}) }, labelRu, size.textRu);
    if (schema?.typeName === 'google.protobuf.Any') expandAny(context, node, children, depth);
    if (schema?.typeName === 'google.protobuf.Timestamp') {
      const date = timestampText(children);
      if (date) setValue(node, date);
    }
    const changed = node.value !== size.text;
    return { node, text: node.value ?? '', textRu: changed ? (node.value ?? '') : size.textRu, ...(error ? { error } : {}) };
  };
  if (field) {
    if (field.fieldKind === 'message' || (field.fieldKind === 'list' && field.listKind === 'message'))
      return nested(field.message, field.message.typeName, field.message.typeName);
    if (field.fieldKind === 'map') return mapEntry(context, start, end, field, depth);
    const scalar = scalarOf(field);
    if (scalar === ScalarType.STRING) {
      const text = safeText(value);
      return text === undefined
        ? leaf(
            { kind: 'pb-string', label: 'string (not valid UTF-8!)', value: hex(value), range, error: 'invalid-utf8' },
            'строка (но некорректный UTF-8!)',
            hex(value),
            hex(value),
            'invalid-utf8',
          )
        : leaf({ kind: 'pb-string', label: 'string (UTF-8)', value: JSON.stringify(text), range }, 'строка (UTF-8)', JSON.stringify(text));
    }
    if (scalar === ScalarType.BYTES) return leaf({ kind: 'pb-bytes', label: 'bytes', value: hex(value), range }, 'байты', size.text, size.textRu);
    if (field.fieldKind === 'list') return packed(context, start, end, field);
  }
  // No schema: say what the bytes could be.
  const text = safeText(value);
  const guessLabel = 'nested message? (the bytes parse as one)';
  const guessLabelRu = 'вложенное сообщение? (байты разбираются как сообщение)';
  if (value.length > 0 && parsesCleanly(value) && !(text !== undefined && mostlyPrintable(text) && value.length > 2))
    return nested(undefined, guessLabel, guessLabelRu);
  if (text !== undefined && mostlyPrintable(text))
    return leaf({ kind: 'pb-string', label: 'string? (valid UTF-8)', value: JSON.stringify(text), range }, 'строка? (корректный UTF-8)', JSON.stringify(text));
  if (value.length > 0 && parsesCleanly(value)) return nested(undefined, guessLabel, guessLabelRu);
  return leaf(
    { kind: 'pb-bytes', label: 'bytes (or packed numbers: the schema would tell)', value: hex(value), range },
    'байты (или упакованные числа: это сказала бы схема)',
    size.text,
    size.textRu,
  );
}

/** Packed repeated scalars or enums: one LEN field holding the elements back to back. */
function packed(context: Context, start: number, end: number, field: DescField): LenValue {
  const scalar = scalarOf(field);
  const fixed =
    scalar === ScalarType.FIXED32 || scalar === ScalarType.SFIXED32 || scalar === ScalarType.FLOAT
      ? 4
      : scalar === ScalarType.FIXED64 || scalar === ScalarType.SFIXED64 || scalar === ScalarType.DOUBLE
        ? 8
        : 0;
  const children: WireNode[] = [];
  const values: string[] = [];
  const valuesRu: string[] = [];
  let position = start;
  let error: string | undefined;
  while (position < end) {
    if (fixed > 0) {
      if (position + fixed > end) {
        error = 'truncated-fixed';
        children.push(errorNode(context, position, end, error, 'Packed element cut short', 'Упакованный элемент оборван'));
        break;
      }
      const text = fixedText(context.bytes.subarray(position, position + fixed), field);
      children.push(
        ru(
          { kind: 'pb-value', label: `[${values.length}]`, value: text.en, range: rangeOf(context.offsets, position, position + fixed) },
          `[${values.length}]`,
          text.ru,
        ),
      );
      values.push(text.en);
      valuesRu.push(text.ru);
      position += fixed;
    } else {
      const varint = readVarint(context.bytes, position, end);
      if (!varint) {
        error = 'truncated-varint';
        children.push(errorNode(context, position, end, error, 'Packed element: a varint cut short', 'Упакованный элемент: varint оборван'));
        break;
      }
      const text = scalarText(field, varint.value);
      const textRu = scalarText(field, varint.value, 'ru');
      children.push(ru(varintNode(context, 'pb-value', `[${values.length}]`, position, varint, text), `[${values.length}]`, textRu));
      values.push(text);
      valuesRu.push(textRu);
      position = varint.end;
    }
  }
  const text = `[${values.join(', ')}]`;
  const textRu = `[${valuesRu.join(', ')}]`;
  const node = ru(
    {
      kind: 'pb-packed',
      label: `packed: ${values.length} elements in one field`,
      value: text,
      range: rangeOf(context.offsets, start, end),
      children,
      ...(error ? { error } : {}),
    },
    `упаковано: ${countRu(values.length, 'элемент', 'элемента', 'элементов')} в одном поле`,
    textRu,
  );
  return { node, text, textRu, ...(error ? { error } : {}) };
}

/** A map entry is a small message: key = field 1, value = field 2. */
function mapEntry(context: Context, start: number, end: number, field: DescField & { fieldKind: 'map' }, depth: number): LenValue {
  const children = readFields(context, start, end, mapEntrySchema(field), depth + 1);
  const key = children.find((child) => child.label.startsWith('1 key'))?.value ?? '';
  const value = children.find((child) => child.label.startsWith('2 value'))?.value ?? '';
  const error = children.find((child) => child.error)?.error;
  const text = `${key} → ${value}`;
  const node = ru(
    {
      kind: 'pb-map-entry',
      label: 'map entry (a message: key = 1, value = 2)',
      value: text,
      range: rangeOf(context.offsets, start, end),
      children,
      ...(error ? { error } : {}),
    },
    'элемент map (сообщение: ключ = 1, значение = 2)',
  );
  return { node, text, textRu: text, ...(error ? { error } : {}) };
}

/**
 * The message a map entry is on the wire (protobuf defines maps as repeated entries). Only the
 * parts of DescField/DescMessage this decoder reads are filled in.
 */
function mapEntrySchema(field: DescField & { fieldKind: 'map' }): DescMessage {
  const key = { name: 'key', number: 1, fieldKind: 'scalar', scalar: field.mapKey };
  const value =
    field.mapKind === 'scalar'
      ? { name: 'value', number: 2, fieldKind: 'scalar', scalar: field.scalar }
      : field.mapKind === 'enum'
        ? { name: 'value', number: 2, fieldKind: 'enum', enum: field.enum }
        : { name: 'value', number: 2, fieldKind: 'message', message: field.message };
  return { typeName: `${field.parent.typeName}.${field.name} entry`, fields: [key, value] } as unknown as DescMessage;
}

/** google.protobuf.Any: decode `value` with the type its `type_url` names, when known. */
function expandAny(context: Context, node: WireNode, children: WireNode[], depth: number): void {
  const typeUrlField = children.find((child) => child.label.startsWith('1 type_url'));
  const valueField = children.find((child) => child.label.startsWith('2 value'));
  const typeUrl = typeUrlField?.value?.startsWith('"') ? (JSON.parse(typeUrlField.value) as string) : undefined;
  if (!typeUrl) return;
  const typeName = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  setValue(node, typeName);
  const schema = messageByName(typeName);
  const bytesNode = valueField?.children?.[valueField.children.length - 1];
  const span = bytesNode ? context.spans.get(bytesNode) : undefined;
  if (!schema || !bytesNode || !valueField || !span) return;
  const inner = readFields(context, span.start, span.end, schema, depth + 1);
  valueField.children![valueField.children!.length - 1] = ru(
    {
      kind: 'pb-message',
      label: `${typeName} (the type its type_url names)`,
      value: `${span.end - span.start} bytes`,
      range: bytesNode.range,
      children: inner,
    },
    `${typeName} (тип, названный в type_url)`,
    bytesRu(span.end - span.start),
  );
  setValue(valueField, typeName);
}

function timestampText(children: WireNode[]): string | undefined {
  const seconds = Number(/^-?\d+/.exec(children.find((child) => child.label.startsWith('1 seconds'))?.value ?? '0')?.[0] ?? 0);
  const nanos = Number(/^-?\d+/.exec(children.find((child) => child.label.startsWith('2 nanos'))?.value ?? '0')?.[0] ?? 0);
  const date = new Date(seconds * 1000 + Math.floor(nanos / 1e6));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function safeText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function mostlyPrintable(text: string): boolean {
  return text.length > 0 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function hex(bytes: Uint8Array, max = 48): string {
  let shown = '';
  for (let index = 0; index < Math.min(max, bytes.length); index += 1) shown += index === 0 ? HEX_BYTES[bytes[index]] : ` ${HEX_BYTES[bytes[index]]}`;
  return bytes.length > max ? `${shown} … (${bytes.length} bytes)` : shown;
}
