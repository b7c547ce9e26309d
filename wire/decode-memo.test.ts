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

  it('reads each message of a growing keep-alive connection once, head-only responses too', () => {
    // A page loading its assets: requests whole, each response's head then its body left out
    // (server/README.md: the app's own files are recorded head-only), decoded at every exchange.
    const connection: CapturedConnection = { id: 'c1', transport: 'http/1.1', remote: '127.0.0.1:50000', local: '127.0.0.1:8080', openedAt: 0 };
    const encoder = new TextEncoder();
    const chunks: CaptureChunk[] = [];
    const offsets = { in: 0, out: 0 };
    const add = (dir: 'in' | 'out', text: string, skippedAfter = 0) => {
      const data = encoder.encode(text);
      chunks.push({ conn: 'c1', seq: chunks.length + 1, dir, t: chunks.length, offset: offsets[dir], data });
      offsets[dir] += data.length + skippedAfter;
    };
    const memo = new DecodeMemo();
    const treesRead = new Set<unknown>();
    const exchangeCount = 40;
    for (let index = 0; index < exchangeCount; index += 1) {
      add('in', `GET /assets/chunk-${index}.js HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\n\r\n`);
      add('out', 'HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\nContent-Length: 5000\r\nx-wirelab-recorded: head-only\r\n\r\n', 5000);
      const decoded = decodeConnection(connection, chunks, memo);
      expect(decoded.exchanges).toHaveLength(index + 1);
      for (const exchange of decoded.exchanges) {
        treesRead.add(exchange.request.tree);
        treesRead.add(exchange.response?.tree);
      }
    }
    // every request and every response head read once: not again at each of the later decodes
    expect(treesRead.size).toBe(2 * exchangeCount);
    expect(comparable(decodeConnection(connection, chunks, memo))).toBe(comparable(decodeConnection(connection, chunks)));
  });
});
