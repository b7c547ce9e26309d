// A JSON reader that remembers where every value came from. GraphQL travels as JSON (a body, a
// WebSocket message), so do REST bodies (json-body-layer.ts), and the inspector links each
// decoded part to its bytes: for that it needs
// the byte range of every value, and for strings (a GraphQL document inside "query") the byte
// of each character, since escapes (\n, \") and UTF-8 make characters and bytes differ.

export type JsonNode =
  | { type: 'object'; start: number; end: number; entries: JsonEntry[] }
  | { type: 'array'; start: number; end: number; items: JsonNode[] }
  | JsonString
  | { type: 'number'; start: number; end: number; value: number }
  | { type: 'boolean'; start: number; end: number; value: boolean }
  | { type: 'null'; start: number; end: number };

export interface JsonString {
  type: 'string';
  /** from the opening quote to after the closing quote */
  start: number;
  end: number;
  value: string;
  /**
   * For each UTF-16 unit of `value`, the index (in the parsed bytes) of the first byte that
   * produced it; one more entry at the end: the closing quote.
   */
  charStarts: number[];
}

export interface JsonEntry {
  key: JsonString;
  value: JsonNode;
}

/** The section of RFC 8259 a syntax error breaks: §2 grammar, §4 objects, §5 arrays, §6 numbers, §7 strings, §9 a parser's limits (nesting). */
export type JsonClause = '§2' | '§4' | '§5' | '§6' | '§7' | '§9';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
    /** RFC 8259's section for this error */
    readonly clause: JsonClause = '§2',
    /** the bytes ended before the value did: more may come, or the body was cut short */
    readonly atEnd = false,
  ) {
    super(message);
  }
}

/** Nesting deeper than this is refused instead of exhausting the stack on a hostile body. */
export const MAX_JSON_DEPTH = 128;

/** What reading a JSON text gives: its tree, or where and why it is not JSON. */
export type JsonRead = { json: JsonNode; error?: undefined } | { json?: undefined; error: JsonSyntaxError };

/**
 * Reads JSON from UTF-8 bytes, whatever they are: never throws (decoders answer any bytes with
 * an error node), the problem comes back as a JsonSyntaxError with its byte index.
 */
export function readJsonWithRanges(bytes: Uint8Array): JsonRead {
  try {
    return { json: parseOrFail(bytes) };
  } catch (error) {
    return { error: error instanceof JsonSyntaxError ? error : new JsonSyntaxError(String(error), 0) };
  }
}

/** The recursive descent itself: a violation unwinds it with a JsonSyntaxError (readJsonWithRanges catches it). */
function parseOrFail(bytes: Uint8Array): JsonNode {
  const parser = new JsonRangeParser(bytes);
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.at < bytes.length) parser.fail('unexpected data after the JSON value');
  return value;
}

/** The escapes of §7 that stand for one character: the byte after the backslash → that character. */
const SIMPLE_ESCAPES: Readonly<Record<number, number>> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09 };

/** One pass over the bytes, one method per kind of value; `at` is the next byte to read. */
class JsonRangeParser {
  at = 0;

  constructor(private readonly bytes: Uint8Array) {
    // A UTF-8 byte-order mark is not JSON, but some clients send it; skip rather than fail.
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.at = 3;
  }

  fail(message: string, clause: JsonClause = '§2'): never {
    throw new JsonSyntaxError(message, this.at, clause, this.at >= this.bytes.length);
  }

  skipSpace(): void {
    const bytes = this.bytes;
    while (this.at < bytes.length && (bytes[this.at] === 0x20 || bytes[this.at] === 0x0a || bytes[this.at] === 0x0d || bytes[this.at] === 0x09)) this.at += 1;
  }

  value(depth: number): JsonNode {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH}`, '§9');
    this.skipSpace();
    const start = this.at;
    const byte = this.bytes[start];
    if (byte === 0x7b /* { */) return this.object(depth);
    if (byte === 0x5b /* [ */) return this.array(depth);
    if (byte === 0x22) return this.string();
    if (this.matchWord('true')) return { type: 'boolean', start, end: this.at, value: true };
    if (this.matchWord('false')) return { type: 'boolean', start, end: this.at, value: false };
    if (this.matchWord('null')) return { type: 'null', start, end: this.at };
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.asciiFrom(start, 64));
    if (number) {
      this.at += number[0].length;
      return { type: 'number', start, end: this.at, value: Number(number[0]) };
    }
    if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) return this.fail('not a valid number', '§6');
    return this.fail(this.at >= this.bytes.length ? 'unexpected end' : 'unexpected character');
  }

  private object(depth: number): JsonNode {
    const start = this.at;
    this.at += 1;
    const entries: JsonEntry[] = [];
    this.skipSpace();
    if (this.bytes[this.at] === 0x7d) {
      this.at += 1;
      return { type: 'object', start, end: this.at, entries };
    }
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.at] !== 0x22) this.fail('expected a "key"', '§4');
      const key = this.string();
      this.skipSpace();
      if (this.bytes[this.at] !== 0x3a) this.fail('expected ":"', '§4');
      this.at += 1;
      entries.push({ key, value: this.value(depth + 1) });
      this.skipSpace();
      if (this.bytes[this.at] === 0x2c) {
        this.at += 1;
        continue;
      }
      if (this.bytes[this.at] === 0x7d) {
        this.at += 1;
        return { type: 'object', start, end: this.at, entries };
      }
      this.fail('expected "," or "}"', '§4');
    }
  }

  private array(depth: number): JsonNode {
    const start = this.at;
    this.at += 1;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.bytes[this.at] === 0x5d) {
      this.at += 1;
      return { type: 'array', start, end: this.at, items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.bytes[this.at] === 0x2c) {
        this.at += 1;
        continue;
      }
      if (this.bytes[this.at] === 0x5d) {
        this.at += 1;
        return { type: 'array', start, end: this.at, items };
      }
      this.fail('expected "," or "]"', '§5');
    }
  }

  private matchWord(word: string): boolean {
    for (let index = 0; index < word.length; index += 1) if (this.bytes[this.at + index] !== word.charCodeAt(index)) return false;
    this.at += word.length;
    return true;
  }

  private asciiFrom(start: number, length: number): string {
    let text = '';
    for (let index = start; index < Math.min(this.bytes.length, start + length); index += 1) text += String.fromCharCode(this.bytes[index]);
    return text;
  }

  /** A string: its UTF-16 value, and the byte where each of its characters starts (escapes and multi-byte characters included). */
  private string(): JsonString {
    const start = this.at;
    this.at += 1;
    const units: number[] = [];
    const charStarts: number[] = [];
    for (;;) {
      if (this.at >= this.bytes.length) this.fail('unterminated string', '§7');
      const byte = this.bytes[this.at];
      if (byte === 0x22) break;
      if (byte < 0x20) this.fail('control character in a string', '§7');
      if (byte === 0x5c /* \ */) this.escape(units, charStarts);
      else this.utf8Sequence(byte, units, charStarts);
    }
    charStarts.push(this.at);
    this.at += 1;
    let value = '';
    for (let index = 0; index < units.length; index += 4096) value += String.fromCharCode(...units.slice(index, index + 4096));
    return { type: 'string', start, end: this.at, value, charStarts };
  }

  /** A backslash escape (§7): one UTF-16 unit. */
  private escape(units: number[], charStarts: number[]): void {
    const escapeStart = this.at;
    const code = this.bytes[this.at + 1];
    if (code !== undefined && code in SIMPLE_ESCAPES) {
      units.push(SIMPLE_ESCAPES[code]);
      charStarts.push(escapeStart);
      this.at += 2;
      return;
    }
    if (code !== 0x75 /* u */) this.fail('bad escape', '§7');
    const hex = this.asciiFrom(this.at + 2, 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape', '§7');
    units.push(parseInt(hex, 16));
    charStarts.push(escapeStart);
    this.at += 6;
  }

  /** One UTF-8 sequence: its code point becomes one or two UTF-16 units. */
  private utf8Sequence(byte: number, units: number[], charStarts: number[]): void {
    const at = this.at;
    const size = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    let codePoint = size === 1 ? byte : byte & (0xff >> (size + 1));
    for (let index = 1; index < size; index += 1) codePoint = (codePoint << 6) | ((this.bytes[at + index] ?? 0) & 0x3f);
    if (codePoint >= 0x10000) {
      const offset = codePoint - 0x10000;
      units.push(0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff));
      charStarts.push(at, at);
    } else {
      units.push(codePoint);
      charStarts.push(at);
    }
    this.at += size;
  }
}

/** The plain JavaScript value of a node. */
export function plainJson(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(node.entries.map((entry) => [entry.key.value, plainJson(entry.value)]));
    case 'array':
      return node.items.map(plainJson);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/** The value under `key` of an object node. */
export function entryOf(node: JsonNode | undefined, key: string): JsonEntry | undefined {
  return node?.type === 'object' ? node.entries.find((entry) => entry.key.value === key) : undefined;
}
