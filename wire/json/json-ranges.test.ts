import { describe, expect, it } from 'vitest';
import { entryOf, JsonSyntaxError, MAX_JSON_DEPTH, readJsonWithRanges, plainJson, type JsonNode } from './json-ranges.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
/** The tree of bytes that are JSON (a test's own input: a syntax error here is the test's mistake). */
function parseJsonWithRanges(input: Uint8Array): JsonNode {
  const read = readJsonWithRanges(input);
  if (read.error) throw read.error;
  return read.json;
}
/** The error reading these bytes gives (none: undefined); reading never throws. */
const errorOf = (text: string) => readJsonWithRanges(bytes(text)).error;

describe('readJsonWithRanges', () => {
  it('reads the same value as JSON.parse, with the byte range of every value', () => {
    const text = '{ "query": "{ user { name } }", "variables": {"id": 1, "on": true, "x": null}, "list": [1.5e2, "a"] }';
    const node = parseJsonWithRanges(bytes(text));
    expect(plainJson(node)).toEqual(JSON.parse(text));
    const variables = entryOf(node, 'variables')!;
    expect(text.slice(variables.value.start, variables.value.end)).toBe('{"id": 1, "on": true, "x": null}');
    expect(text.slice(variables.key.start, variables.key.end)).toBe('"variables"');
  });

  it('maps each character of a string to the bytes that wrote it: escapes and UTF-8', () => {
    // "\n" is two bytes for one character; "я" two bytes; "😀" four bytes for two UTF-16 units
    const text = '{"q":"a\\nя😀\\u0041"}';
    const encoded = bytes(text);
    const q = entryOf(parseJsonWithRanges(encoded), 'q')!.value;
    if (q.type !== 'string') throw new Error('not a string');
    expect(q.value).toBe('a\nя😀A');
    const start = text.indexOf('"a') + 1;
    // a, \n, я (2 bytes), 😀 (2 units sharing 4 bytes), \u0041 (6 bytes), then the closing quote
    expect(q.charStarts).toEqual([start, start + 1, start + 3, start + 5, start + 5, start + 9, start + 15]);
    expect(encoded[q.charStarts[q.value.length]]).toBe(0x22);
  });

  it('says where the JSON breaks', () => {
    expect(errorOf('{"a": [1, 2}')).toBeInstanceOf(JsonSyntaxError);
    expect(errorOf('{"a": tru}')?.at).toBe(6);
    expect(errorOf('{"a": 1} x')?.message).toMatch(/after the JSON value/);
    expect(errorOf('"abc')?.message).toMatch(/unterminated/);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 2) + ']'.repeat(MAX_JSON_DEPTH + 2);
    expect(errorOf(deep)?.message).toMatch(/nested deeper/);
    const fine = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(plainJson(parseJsonWithRanges(bytes(fine)))).toEqual(JSON.parse(fine));
  });
});
