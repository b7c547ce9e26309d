import type { Bilingual } from '../../shared/bilingual.ts';
import { ru, russianTextOf } from '../node-text.ts';
import { rangeOf, type PayloadContext, type PayloadLayer, type PayloadOffsets } from '../payload-layers.ts';
import { FORM_CONTENT_TYPE, isJsonContentType, NDJSON_CONTENT_TYPES } from '../payload-kinds.ts';
import type { WireNode } from '../types.ts';
import { readJsonWithRanges, type JsonClause } from './json-ranges.ts';
import { clip, jsonTree, MAX_JSON_NODES } from './json-tree.ts';

// HTTP bodies that are JSON (application/json, application/problem+json, any +json), NDJSON
// (one JSON text a line) or an HTML form (application/x-www-form-urlencoded), as trees whose
// every value links to its bytes — like every other layer — instead of "Body · 219 B" and hex.
// The same JSON walker as GraphQL's (json-ranges.ts). Bytes are what the carrier hands over:
// a chunked body without its chunk framing (ranges point at the chunk data in the capture), DATA
// frames without padding. A Content-Encoding other than identity is not decompressed anywhere in
// wire, so such a body is left as bytes.

/** A body larger than this is not parsed (one node says so): a tree of a 10 MB JSON helps nobody. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** Lines of an NDJSON body decoded into trees; the rest are counted. */
export const MAX_NDJSON_LINES = 200;
/** Fields of a form decoded; the rest are counted. */
export const MAX_FORM_FIELDS = 1000;

const utf8 = new TextDecoder('utf-8');

const mediaType = (context: PayloadContext) => (context.contentType ?? '').split(';')[0].trim().toLowerCase();

function contentEncoded(context: PayloadContext): boolean {
  const encoding = context.headers
    ?.find(([name]) => name.toLowerCase() === 'content-encoding')?.[1]
    .trim()
    .toLowerCase();
  return encoding !== undefined && encoding !== '' && encoding !== 'identity';
}

export const jsonBodyLayer: PayloadLayer = {
  name: 'json-body',
  accepts: (context) => {
    if (context.carrier === 'ws-message' || contentEncoded(context)) return false;
    const type = mediaType(context);
    return isJsonContentType(type) || (NDJSON_CONTENT_TYPES as readonly string[]).includes(type) || type === FORM_CONTENT_TYPE;
  },
  decode(payload, offsets, context) {
    const type = mediaType(context);
    if (payload.length > MAX_JSON_BODY_BYTES) return [tooLarge(payload.length, offsets, type)];
    if (type === FORM_CONTENT_TYPE) return [decodeForm(payload, offsets)];
    if ((NDJSON_CONTENT_TYPES as readonly string[]).includes(type)) return [decodeNdjson(payload, offsets, context.complete, type)];
    return [decodeJsonDocument(payload, offsets, context.complete, type)];
  },
};

function tooLarge(length: number, offsets: PayloadOffsets, type: string): WireNode {
  return ru(
    { kind: 'json-not-decoded', label: `${type}: not decoded`, value: `${length} B is more than ${MAX_JSON_BODY_BYTES} B`, range: rangeOf(offsets, 0, length) },
    `${type}: не разобрано`,
    `${length} Б — больше ${MAX_JSON_BODY_BYTES} Б`,
  );
}

const CLAUSE_TEXT: Record<JsonClause, Bilingual> = {
  '§2': {
    en: 'RFC 8259 §2: a JSON text is one value between optional whitespace',
    ru: 'RFC 8259 §2: JSON-текст — одно значение, вокруг него только пробельные символы',
  },
  '§4': { en: 'RFC 8259 §4: an object is { "name": value, … }', ru: 'RFC 8259 §4: объект записывается как { "имя": значение, … }' },
  '§5': { en: 'RFC 8259 §5: an array is [ value, … ]', ru: 'RFC 8259 §5: массив записывается как [ значение, … ]' },
  '§6': {
    en: 'RFC 8259 §6: a number is -? int frac? exp? (no leading zeros, no bare dot)',
    ru: 'RFC 8259 §6: число — это -? целая часть, дробь?, порядок? (без ведущих нулей и голой точки)',
  },
  '§7': {
    en: 'RFC 8259 §7: a string is quoted, with control characters escaped and only the listed escapes',
    ru: 'RFC 8259 §7: строка в кавычках, управляющие символы экранированы, допустимы только перечисленные escape-последовательности',
  },
  '§9': { en: 'RFC 8259 §9: a parser may limit nesting', ru: 'RFC 8259 §9: парсер вправе ограничить вложенность' },
};

/**
 * One JSON text: its tree, or where and why it is not JSON. A text cut short is `incomplete`
 * while more may come, else `truncated`; any other violation names its RFC 8259 clause.
 */
function parseJsonText(bytes: Uint8Array, offsets: PayloadOffsets, complete: boolean, label: string): { tree?: WireNode; error?: WireNode } {
  const { json, error: syntax } = readJsonWithRanges(bytes);
  if (syntax) {
    const at = Math.min(syntax.at, Math.max(0, bytes.length - 1));
    const range = rangeOf(offsets, at, Math.min(bytes.length, at + 1));
    if (syntax.atEnd) {
      const code = complete ? 'truncated' : 'incomplete';
      return {
        error: ru(
          {
            kind: 'json-error',
            label: complete ? 'JSON cut short' : 'JSON still arriving',
            value: `${syntax.message} at byte ${syntax.at}`,
            range,
            error: code,
          },
          complete ? 'JSON оборван' : 'JSON ещё приходит',
          `${russianMessage(syntax.message)}, байт ${syntax.at}`,
        ),
      };
    }
    const clause = CLAUSE_TEXT[syntax.clause];
    return {
      error: ru(
        {
          kind: 'json-error',
          label: `not valid JSON: ${syntax.message}`,
          value: `at byte ${syntax.at} · ${clause.en}`,
          range,
          error: `json-invalid-${syntax.clause.slice(1)}`,
        },
        `это не JSON: ${russianMessage(syntax.message)}`,
        `байт ${syntax.at} · ${clause.ru}`,
      ),
    };
  }
  return { tree: jsonTree(json, label, offsets, { left: MAX_JSON_NODES }) };
}

const RUSSIAN_MESSAGES: Record<string, string> = {
  'expected a "key"': 'ожидалось "имя"',
  'expected ":"': 'ожидалось ":"',
  'expected "," or "}"': 'ожидалось "," или "}"',
  'expected "," or "]"': 'ожидалось "," или "]"',
  'not a valid number': 'неверное число',
  'unexpected end': 'неожиданный конец',
  'unexpected character': 'неожиданный символ',
  'unterminated string': 'строка не закрыта',
  'control character in a string': 'управляющий символ внутри строки',
  'bad \\u escape': 'неверная последовательность \\u',
  'bad escape': 'неверная escape-последовательность',
  'unexpected data after the JSON value': 'после значения JSON ещё что-то есть',
};

function russianMessage(message: string): string {
  if (message.startsWith('nested deeper than')) return `вложенность глубже ${message.slice('nested deeper than '.length)}`;
  return RUSSIAN_MESSAGES[message] ?? message;
}

function decodeJsonDocument(payload: Uint8Array, offsets: PayloadOffsets, complete: boolean, type: string): WireNode {
  const whole = rangeOf(offsets, 0, payload.length);
  const { tree, error } = parseJsonText(payload, offsets, complete, type);
  if (tree) {
    // a copy loses the Russian text riding on the node: carry its value over
    return ru({ ...tree, kind: 'json-document', label: `JSON (${type})`, range: whole }, `JSON (${type})`, russianTextOf(tree)?.value);
  }
  return ru(
    {
      kind: 'json-document',
      label: `JSON (${type})`,
      value: clip(utf8.decode(payload.subarray(0, 240)), 80),
      range: whole,
      children: [error!],
      ...(error!.error ? { error: error!.error } : {}),
    },
    `JSON (${type})`,
  );
}

function decodeNdjson(payload: Uint8Array, offsets: PayloadOffsets, complete: boolean, type: string): WireNode {
  const lines: WireNode[] = [];
  let start = 0;
  let count = 0;
  while (start < payload.length) {
    let end = payload.indexOf(0x0a, start);
    const lastLine = end === -1;
    if (lastLine) end = payload.length;
    const text = payload.subarray(start, end);
    const blank = text.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d);
    if (!blank) {
      count += 1;
      if (count <= MAX_NDJSON_LINES) {
        const lineOffsets: PayloadOffsets = (index) => offsets(start + index);
        const { tree, error } = parseJsonText(text, lineOffsets, complete || !lastLine, `line ${count}`);
        const range = rangeOf(offsets, start, end);
        lines.push(
          tree
            ? ru({ ...tree, kind: 'json-line', label: `line ${count}`, range }, `строка ${count}`, russianTextOf(tree)?.value)
            : ru({ kind: 'json-line', label: `line ${count}`, range, children: [error!], ...(error!.error ? { error: error!.error } : {}) }, `строка ${count}`),
        );
      }
    }
    start = end + 1;
  }
  if (count > MAX_NDJSON_LINES) {
    lines.push(
      ru(
        { kind: 'json-note', label: 'more lines', value: `${count - MAX_NDJSON_LINES} not shown`, range: rangeOf(offsets, 0, payload.length) },
        'ещё строки',
        `не показано: ${count - MAX_NDJSON_LINES}`,
      ),
    );
  }
  return ru(
    {
      kind: 'json-document',
      label: `NDJSON (${type})`,
      value: `${count} ${count === 1 ? 'line' : 'lines'}`,
      range: rangeOf(offsets, 0, payload.length),
      children: lines,
    },
    `NDJSON (${type})`,
    `строк: ${count}`,
  );
}

/**
 * application/x-www-form-urlencoded as the WHATWG URL standard parses it: `&`-separated
 * `name=value`, `+` is a space, `%XX` a byte (an invalid `%` stays as it is), UTF-8 decoded.
 */
function decodeForm(payload: Uint8Array, offsets: PayloadOffsets): WireNode {
  const fields: WireNode[] = [];
  let start = 0;
  let count = 0;
  while (start <= payload.length) {
    let end = payload.indexOf(0x26, start);
    if (end === -1) end = payload.length;
    if (end > start) {
      count += 1;
      if (count <= MAX_FORM_FIELDS) fields.push(formField(payload, offsets, start, end));
    }
    start = end + 1;
  }
  if (count > MAX_FORM_FIELDS) {
    fields.push(
      ru(
        { kind: 'form-note', label: 'more fields', value: `${count - MAX_FORM_FIELDS} not shown`, range: rangeOf(offsets, 0, payload.length) },
        'ещё поля',
        `не показано: ${count - MAX_FORM_FIELDS}`,
      ),
    );
  }
  return ru(
    {
      kind: 'form-document',
      label: `form (${FORM_CONTENT_TYPE})`,
      value: `${count} ${count === 1 ? 'field' : 'fields'}`,
      range: rangeOf(offsets, 0, payload.length),
      children: fields,
    },
    `форма (${FORM_CONTENT_TYPE})`,
    `полей: ${count}`,
  );
}

function formField(payload: Uint8Array, offsets: PayloadOffsets, start: number, end: number): WireNode {
  const equals = payload.subarray(start, end).indexOf(0x3d);
  const nameEnd = equals === -1 ? end : start + equals;
  const name = formDecode(payload.subarray(start, nameEnd));
  const value = equals === -1 ? '' : formDecode(payload.subarray(nameEnd + 1, end));
  const children: WireNode[] = [ru({ kind: 'form-name', label: 'name', value: name, range: rangeOf(offsets, start, nameEnd) }, 'имя')];
  if (equals !== -1) children.push(ru({ kind: 'form-value', label: 'value', value, range: rangeOf(offsets, nameEnd + 1, end) }, 'значение'));
  return { kind: 'form-field', label: name, value: clip(value), range: rangeOf(offsets, start, end), children };
}

function formDecode(bytes: Uint8Array): string {
  const out: number[] = [];
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (byte === 0x2b) out.push(0x20);
    else if (byte === 0x25 && index + 2 < bytes.length && isHex(bytes[index + 1]) && isHex(bytes[index + 2])) {
      out.push(parseInt(String.fromCharCode(bytes[index + 1], bytes[index + 2]), 16));
      index += 2;
    } else out.push(byte);
  }
  return utf8.decode(new Uint8Array(out));
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}
