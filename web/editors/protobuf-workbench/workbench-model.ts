import type { Bilingual } from '../../../shared/bilingual.ts';
import { describeProtobufJsonError } from '../json-error.ts';
import { fromBinary, fromJsonString, toBinary, toJsonString, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { decodeProtobuf } from '../../../wire/protobuf/decode-protobuf.ts';
import { schemaRegistry } from '../../../wire/protobuf/schema.ts';
import { contiguousOffsets } from '../../../wire/payload-layers.ts';
import { russianTextOf, WIRE_ERROR_TEXT } from '../../../wire/node-text.ts';
import type { WireNode } from '../../../wire/types.ts';
import { teachingMessages } from './teaching-schema.ts';

// The workbench's logic without React: JSON → protobuf binary (@bufbuild/protobuf, the same
// library the gRPC cells send with), hex → the field-by-field tree of the inspector's decoder
// (wire/protobuf), and the byte strip drawn from that tree.

/** Hex the student may type before the workbench stops decoding: far more than a lesson needs. */
export const WORKBENCH_MAX_BYTES = 64 * 1024;

/** Every message type the workbench offers: its own teaching types first, then Wirelab's services'. */
export function workbenchMessages(): DescMessage[] {
  const known = [...schemaRegistry()].filter((type): type is DescMessage => type.kind === 'message');
  const wirelab = known.filter((type) => type.typeName.startsWith('wirelab.')).sort(byName);
  const others = known.filter((type) => !type.typeName.startsWith('wirelab.')).sort(byName);
  return [...teachingMessages(), ...wirelab, ...others];
}

export function findWorkbenchMessage(typeName: string): DescMessage | undefined {
  return workbenchMessages().find((type) => type.typeName === typeName);
}

function byName(a: DescMessage, b: DescMessage): number {
  return a.typeName.localeCompare(b.typeName);
}

/** Any's type URLs and nested well-known types resolve through the same registry. */
function jsonRegistry(): Registry {
  return schemaRegistry();
}

export type EncodeResult = { ok: true; bytes: Uint8Array; compactJson: string; jsonSize: number } | { ok: false; error: Bilingual };

/** Protobuf JSON text → the binary encoding, and the size of the same value as compact JSON. */
export function encodeJson(schema: DescMessage, jsonText: string): EncodeResult {
  try {
    const message = fromJsonString(schema, jsonText, { registry: jsonRegistry() });
    const bytes = toBinary(schema, message);
    const compactJson = toJsonString(schema, message, { registry: jsonRegistry() });
    return { ok: true, bytes, compactJson, jsonSize: new TextEncoder().encode(compactJson).length };
  } catch (error) {
    const detail = String((error as Error)?.message ?? error);
    return {
      ok: false,
      error: {
        en: `This JSON is not a ${schema.typeName}: ${describeProtobufJsonError(detail, 'en', schema.typeName)}`,
        ru: `Этот JSON не соответствует ${schema.typeName}: ${describeProtobufJsonError(detail, 'ru', schema.typeName)}`,
      },
    };
  }
}

export type HexParse = { ok: true; bytes: Uint8Array } | { ok: false; error: Bilingual };

/** "0a 03 41 64 61", "0a0341", "0x0a, 0x03" — spaces, commas and 0x prefixes are allowed. */
export function parseHex(text: string): HexParse {
  const digits = text.replace(/0x/gi, '').replace(/[\s,]+/g, '');
  const bad = /[^0-9a-fA-F]/.exec(digits);
  if (bad) {
    return { ok: false, error: { en: `“${bad[0]}” is not a hex digit (0–9, a–f)`, ru: `«${bad[0]}» — не шестнадцатеричная цифра (0–9, a–f)` } };
  }
  if (digits.length % 2 === 1) {
    return {
      ok: false,
      error: { en: 'An odd number of hex digits: every byte is two digits', ru: 'Нечётное число шестнадцатеричных цифр: каждый байт — это две цифры' },
    };
  }
  if (digits.length / 2 > WORKBENCH_MAX_BYTES) {
    return {
      ok: false,
      error: {
        en: `More than ${WORKBENCH_MAX_BYTES} bytes: the workbench is for small messages`,
        ru: `Больше ${WORKBENCH_MAX_BYTES} байт: верстак рассчитан на небольшие сообщения`,
      },
    };
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = Number.parseInt(digits.slice(index * 2, index * 2 + 2), 16);
  return { ok: true, bytes };
}

export function formatHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

export interface DecodeResult {
  /** the inspector decoder's tree: every field, tag, varint byte, with its byte range */
  tree: WireNode;
  /** the decoder's first error code (truncated-varint, length-past-end…) and its text */
  error?: { code: string; text: Bilingual };
  /** the bytes read back through @bufbuild/protobuf as protobuf JSON, when they parse */
  json?: string;
}

export function decodeBytes(schema: DescMessage | undefined, bytes: Uint8Array): DecodeResult {
  const tree = decodeProtobuf(bytes, contiguousOffsets(0), schema);
  const result: DecodeResult = { tree };
  const code = firstError(tree);
  if (code) result.error = { code, text: WIRE_ERROR_TEXT[code] ?? { en: code, ru: code } };
  if (schema && !code) {
    try {
      result.json = toJsonString(schema, fromBinary(schema, bytes), { registry: jsonRegistry(), prettySpaces: 2 });
    } catch (error) {
      const detail = String((error as Error)?.message ?? error);
      result.error = {
        code: 'not-this-type',
        text: { en: `These bytes are not a ${schema.typeName}: ${detail}`, ru: `Эти байты не ${schema.typeName}: ${detail}` },
      };
    }
  }
  return result;
}

function firstError(node: WireNode): string | undefined {
  if (node.kind === 'pb-error' && node.error) return node.error;
  for (const child of node.children ?? []) {
    const found = firstError(child);
    if (found) return found;
  }
  return node.children?.length ? undefined : node.error;
}

/** What a run of bytes in the strip is: the colour and caption it gets. */
export type SegmentRole = 'tag' | 'length' | 'value' | 'error' | 'other';

export interface ByteSegment {
  start: number;
  end: number;
  role: SegmentRole;
  kind: string;
  /** what the bytes mean, e.g. "field 2 · wire type 2 LEN" */
  caption: Bilingual;
  /** the field the bytes belong to, e.g. "2 name: string" (nested fields: "5 user › 2 name: string") */
  field: Bilingual;
}

const ROLE_OF_KIND: Record<string, SegmentRole> = {
  'pb-tag': 'tag',
  'pb-length': 'length',
  'pb-error': 'error',
  'pb-not-shown': 'other',
};

/**
 * The bytes cut into the smallest labelled pieces of the tree: tags, lengths and values, with the
 * field each belongs to. Varint bytes stay inside their tag, length or value: the strip colours
 * whole meanings; the tree below it goes down to single bits.
 */
export function byteSegments(tree: WireNode): ByteSegment[] {
  const segments: ByteSegment[] = [];
  const visit = (node: WireNode, field: Bilingual): void => {
    const children = (node.children ?? []).filter((child) => child.kind !== 'pb-varint-byte');
    let path = field;
    if (node.kind === 'pb-field') {
      const text = russianTextOf(node);
      path = join(field, { en: node.label, ru: text?.label ?? node.label });
    }
    const leaf = children.length === 0 || node.kind === 'pb-tag' || node.kind === 'pb-length';
    if (leaf) {
      if (node.range.end > node.range.start) {
        const text = russianTextOf(node);
        segments.push({
          start: node.range.start,
          end: node.range.end,
          role: node.error && node.kind !== 'pb-tag' ? 'error' : (ROLE_OF_KIND[node.kind] ?? 'value'),
          kind: node.kind,
          caption: { en: captionOf(node.label, node.value), ru: captionOf(text?.label ?? node.label, text?.value ?? node.value) },
          field: path,
        });
      }
      return;
    }
    for (const child of children) visit(child, path);
  };
  visit(tree, { en: '', ru: '' });
  return segments.sort((a, b) => a.start - b.start);
}

function join(parent: Bilingual, label: Bilingual): Bilingual {
  return { en: parent.en ? `${parent.en} › ${label.en}` : label.en, ru: parent.ru ? `${parent.ru} › ${label.ru}` : label.ru };
}

function captionOf(label: string, value: string | undefined): string {
  return value === undefined || value === '' ? label : `${label}: ${value}`;
}

/** What the student edits in the workbench, kept across reloads (web/editors/saved-cell-state.ts). */
export interface WorkbenchDraft {
  typeName: string;
  jsonText: string;
  hexText: string;
}

/** The workbench as a lesson's cell starts it: its value, and that value's encoding. */
export function workbenchDraftOf(schema: DescMessage | undefined, typeName: string, jsonText: string): WorkbenchDraft {
  const encoded = schema ? encodeJson(schema, jsonText) : null;
  return { typeName, jsonText, hexText: encoded?.ok ? formatHex(encoded.bytes) : '' };
}

/** What the workbench shows for a draft: the bytes of its hex field (else of its JSON), and what is wrong with either. */
export interface WorkbenchView {
  bytes: Uint8Array;
  jsonSize: number | null;
  jsonError: Bilingual | null;
  hexError: Bilingual | null;
}

/**
 * The view a draft comes back to after a reload. The hex field always holds the bytes shown (an
 * edit of valid JSON rewrites it; an edit of the hex rewrites the JSON when the bytes decode), so
 * the bytes are read from it, and from the JSON only while the hex field does not parse.
 */
export function workbenchViewOf(schema: DescMessage | undefined, draft: WorkbenchDraft): WorkbenchView {
  const encoded = schema ? encodeJson(schema, draft.jsonText) : null;
  const jsonError = encoded && !encoded.ok ? encoded.error : null;
  const hex = parseHex(draft.hexText);
  if (!hex.ok)
    return { bytes: encoded?.ok ? encoded.bytes : new Uint8Array(), jsonSize: encoded?.ok ? encoded.jsonSize : null, jsonError, hexError: hex.error };
  // the bytes read as the schema's message: the JSON field holds that message (it was rewritten from them)
  const readable = encoded?.ok === true && decodeBytes(schema, hex.bytes).json !== undefined;
  return { bytes: hex.bytes, jsonSize: readable && encoded?.ok ? encoded.jsonSize : null, jsonError, hexError: null };
}
