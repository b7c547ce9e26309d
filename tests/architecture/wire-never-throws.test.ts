// wire/ answers any bytes, and any value the server hands it, without throwing (README, "Decoders
// never throw"): the broker, the tap and the relays call it inside loops that serve every client,
// where one throw would cost them all. A decoder puts what is wrong in an error node; an encoder
// returns null for what no packet can carry. The `throw` statements that stay are listed with why;
// a new one fails, and a listed one that is gone fails until its line here is removed.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './function-lengths.ts';

/** "file: the thrown expression" → why it stays. */
const STILL_THROWN: Record<string, string> = {
  'wire/json/json-ranges.ts: new JsonSyntaxError':
    "the reader's own way out of a nested parse, caught in parseJsonRanges, which answers with an error node (never leaves wire/)",
  'wire/mqtt/remaining-length.ts: new RangeError':
    'encodeRemainingLength for packets the own-server checks compose themselves (bounded payloads); publish-once.ts checks the length before calling it',
};

function thrownIn(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  // comments out: a doc comment may say "never throws"
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return [...code.matchAll(/\bthrow\s+(new\s+\w+|\w+)/g)].map((match) => `${file}: ${match[1]!.replace(/\s+/g, ' ')}`);
}

describe('wire/', () => {
  it('throws nowhere but where it is listed, with why', () => {
    const files = sourceFiles(join(ROOT, 'wire')).map((path) => relative(ROOT, path));
    const found = [...new Set(files.flatMap(thrownIn))].sort();
    expect(found).toEqual(Object.keys(STILL_THROWN).sort());
  });
});
