import type { JsonValue } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { jsonBytesInSteps, jsonPieces, SLICE_CHARS } from './json-output.ts';

// A big answer's JSON written in pieces: the same text as JSON.stringify, byte for byte, and
// the event loop released between its steps.

const emoji = '😀'; // one surrogate pair
const values: Array<[string, JsonValue]> = [
  ['scalars', [0, -1.5, 1e21, 5e-324, true, false, null, '']],
  ['escapes', 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f, u2028 \u2028'],
  ['lone surrogates', `${'\ud800'}a${'\udfff'}`],
  ['integer-like keys first, as JSON.stringify orders them', { b: 1, 2: 'two', a: [], 1: {}, '': 'empty' }],
  ['nested', { message: 'лобби', requestMetadata: { 'x-lang': 'ru' }, list: [{ a: [[]] }, 'x'] }],
];

describe('jsonPieces', () => {
  for (const [name, value] of values) {
    it(`writes ${name} as JSON.stringify does`, () => {
      expect([...jsonPieces(value, 4)].join('')).toBe(JSON.stringify(value));
    });
  }

  it('never cuts a surrogate pair between two slices of a long string', () => {
    // slices of 4: every slice would otherwise end in the middle of a pair somewhere
    for (const text of [`a${emoji.repeat(10)}`, `ab${emoji.repeat(10)}\ud800`, `${emoji.repeat(10)}"\\`]) {
      const pieces = [...jsonPieces({ text }, 4)];
      expect(pieces.length).toBeGreaterThan(4);
      expect(pieces.join('')).toBe(JSON.stringify({ text }));
      expect(pieces.join('')).not.toContain('\\ud83d');
    }
  });

  it('cuts a string longer than a slice and leaves a shorter one whole', () => {
    expect([...jsonPieces('x'.repeat(SLICE_CHARS))]).toEqual([JSON.stringify('x'.repeat(SLICE_CHARS))]);
    expect([...jsonPieces('x'.repeat(SLICE_CHARS + 1))]).toEqual(['"', 'x'.repeat(SLICE_CHARS), 'x', '"']);
  });
});

describe('jsonBytesInSteps', () => {
  it('encodes a 1 MiB answer as JSON.stringify and TextEncoder do, a step at a time', async () => {
    const answer = { message: `${'лобби x'.repeat(150_000)}${emoji}`, requestMetadata: { 'x-lang': 'ru' }, protocol: 'connect' };
    let steps = 0;
    const bytes = await jsonBytesInSteps(answer, async () => void (steps += 1));
    expect(Buffer.from(bytes).equals(Buffer.from(new TextEncoder().encode(JSON.stringify(answer))))).toBe(true);
    // 1 050 000 characters, a step every 128 Ki of them
    expect(steps).toBe(8);
  });

  it('takes no step for a small answer', async () => {
    let steps = 0;
    const bytes = await jsonBytesInSteps({ id: 1, name: 'Ада' }, async () => void (steps += 1));
    expect(new TextDecoder().decode(bytes)).toBe('{"id":1,"name":"Ада"}');
    expect(steps).toBe(0);
  });
});
