import { describe, expect, it } from 'vitest';
import { decodeConnection } from './decode-connection.ts';
import { DecodeMemo } from './decode-memo.ts';
import { readFixture } from './fixtures/read-fixture.ts';
import type { CaptureChunk, CapturedConnection } from './types.ts';

const comparable = (decoded: ReturnType<typeof decodeConnection>) =>
  JSON.stringify({ exchanges: decoded.exchanges, notes: decoded.notes, messages: decoded.messages });

/** Splits every chunk in pieces of `size` bytes, so a stream grows the way a slow network delivers it. */
function inPieces(chunks: readonly CaptureChunk[], size: number): CaptureChunk[] {
  let seq = 0;
  return chunks.flatMap((chunk) =>
    Array.from({ length: Math.ceil(chunk.data.length / size) }, (_, index) => ({
      ...chunk,
      seq: ++seq,
      offset: chunk.offset + index * size,
      data: chunk.data.subarray(index * size, (index + 1) * size),
    })),
  );
}

describe('decoding a growing capture with a DecodeMemo', () => {
  for (const name of ['connect-streaming', 'grpc-server-streaming', 'grpc-web', 'curl-chunked', 'fetch-keep-alive', 'h2c-curl-post']) {
    it(`decodes ${name} as it grows exactly as from scratch`, () => {
      const { fixture, chunks } = readFixture(name);
      for (const connection of fixture.connections) {
        const pieces = inPieces(
          chunks.filter((chunk) => chunk.conn === connection.id),
          7,
        );
        const open: CapturedConnection = { ...connection, closedAt: undefined };
        const memo = new DecodeMemo();
        for (let count = 1; count <= pieces.length; count += 1) {
          const prefix = pieces.slice(0, count);
          const grown = decodeConnection(open, prefix, memo);
          expect(comparable(grown)).toBe(comparable(decodeConnection(open, prefix)));
        }
        expect(comparable(decodeConnection(connection, pieces, memo))).toBe(comparable(decodeConnection(connection, pieces)));
      }
    }, 60_000); // a hang guard: it decodes every prefix twice, slow on a loaded 2-core machine
  }

  it('hands out the same nodes again for what was complete', () => {
    const { fixture, chunks } = readFixture('connect-streaming');
    const connection = fixture.connections[0];
    const mine = chunks.filter((chunk) => chunk.conn === connection.id);
    const memo = new DecodeMemo();
    const first = decodeConnection(connection, mine.slice(0, -1), memo);
    const second = decodeConnection(connection, mine, memo);
    const firstMessages = first.messages ?? [];
    expect(firstMessages.length).toBeGreaterThan(1);
    expect(second.messages?.[0].tree).toBe(firstMessages[0].tree);
  });
});
