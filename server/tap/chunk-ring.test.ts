import { describe, expect, it } from 'vitest';
import type { CapturedChunk } from './capture-types.ts';
import { ChunkRing as RingOf } from './chunk-ring.ts';
import { OWN_BUFFERS, RingSlabs, type RingStorage } from './ring-slabs.ts';

let seq = 0;
const chunk = (text: string, offset = 0, dir: 'in' | 'out' = 'in', conn = 'c1'): CapturedChunk => ({
  conn,
  seq: ++seq,
  dir,
  t: 1000 + seq / 4,
  offset,
  data: Buffer.from(text),
});
const shown = (ring: RingOf) => ring.toArray().map((c) => `${c.conn}/${c.dir}@${c.offset}:${c.data.toString()}`);

// Every case with a Buffer of its own per ring and with a block in shared slabs (the hub's).
describe.each([
  ['its own Buffer', () => OWN_BUFFERS],
  ['shared slabs', () => new RingSlabs()],
] as Array<[string, () => RingStorage]>)('ChunkRing (storage: %s)', (_, storageOf) => {
  class ChunkRing extends RingOf {
    constructor(limits: { ringBytes: number; ringChunks: number }) {
      super(limits, storageOf());
    }
  }

  it('keeps the newest chunks within its byte and chunk limits, oldest first', () => {
    const ring = new ChunkRing({ ringBytes: 10, ringChunks: 3 });
    for (const [index, piece] of ['1111', '2222', '3333', '4444'].entries()) ring.push(chunk(piece, index * 4));
    expect(shown(ring)).toEqual(['c1/in@8:3333', 'c1/in@12:4444']);
    ring.push(chunk('5', 16, 'out', 'c2'));
    ring.push(chunk('6', 17, 'out', 'c2'));
    expect(shown(ring)).toEqual(['c1/in@12:4444', 'c2/out@16:5', 'c2/out@17:6']);
  });

  it('keeps the tail of a chunk larger than the whole ring, its offset moved on', () => {
    const ring = new ChunkRing({ ringBytes: 4, ringChunks: 10 });
    ring.push(chunk('ab'));
    ring.push(chunk('0123456789', 2));
    expect(shown(ring)).toEqual(['c1/in@8:6789']);
  });

  it('gives each chunk back whole across the wrap, with its seq and time, and forgets all on clear', () => {
    const ring = new ChunkRing({ ringBytes: 9, ringChunks: 100 });
    ring.push(chunk('abc'));
    ring.push(chunk('defgh', 3));
    ring.push(chunk('ijkl', 8)); // wraps: 'abc' goes
    const [first, second] = ring.toArray();
    expect(second.data.toString()).toBe('ijkl');
    expect(first.data.toString()).toBe('defgh');
    expect(second.seq - first.seq).toBe(1);
    expect(second.t).toBe(1000 + second.seq / 4);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    ring.push(chunk('again'));
    expect(shown(ring)).toEqual(['c1/in@0:again']);
  });

  it('behaves like a plain bounded list under any mix of sizes', () => {
    const limits = { ringBytes: 300, ringChunks: 40 };
    const ring = new ChunkRing(limits);
    const model: CapturedChunk[] = [];
    let random = 7;
    const next = () => (random = (random * 1103515245 + 12345) % 2 ** 31);
    for (let step = 0; step < 3000; step += 1) {
      const length = next() % 90;
      // (runs of one connection's chunks, then of another's, and stretches where they mix)
      const conn = step % 1000 < 500 ? `c${Math.floor(step / 120) % 3}` : `c${next() % 3}`;
      const piece = chunk(String.fromCharCode(97 + (step % 26)).repeat(length), step * 100, step % 3 === 0 ? 'out' : 'in', conn);
      ring.push(piece);
      model.push(piece);
      while (model.length > limits.ringChunks || model.reduce((sum, c) => sum + c.data.length, 0) > limits.ringBytes) model.shift();
      if (step % 23 === 0) expect(shown(ring)).toEqual(model.map((c) => `${c.conn}/${c.dir}@${c.offset}:${c.data.toString()}`));
    }
    expect(shown(ring)).toEqual(model.map((c) => `${c.conn}/${c.dir}@${c.offset}:${c.data.toString()}`));
  });

  it('holds little for a session that records little', () => {
    const ring = new ChunkRing({ ringBytes: 4 * 1024 * 1024, ringChunks: 20_000 });
    ring.push(chunk('GET / HTTP/1.1\r\n\r\n'));
    // (all its storage, the chunks' numbers included, not its bytes alone)
    expect(ring.heldBytes).toBeLessThanOrEqual(1024);
  });

  it('grows in steps while small: an idle WebSocket (a handshake, then pings and pongs) holds about what it recorded', () => {
    const ring = new ChunkRing({ ringBytes: 4 * 1024 * 1024, ringChunks: 20_000 });
    ring.push(chunk('G'.repeat(300)));
    ring.push(chunk('H'.repeat(129), 0, 'out'));
    let recorded = 429;
    for (let ping = 0; ping < 30; ping++) {
      ring.push(chunk('p'.repeat(8), 129 + ping * 8, 'out'));
      ring.push(chunk('q'.repeat(12), 300 + ping * 12));
      recorded += 20;
    }
    expect(ring.size).toBe(62);
    // bytes: at most one step (128) unused; numbers: 32 bytes a chunk, at most one step (4 slots) unused
    expect(ring.heldBytes).toBeLessThanOrEqual(recorded + 128 + (62 + 4) * 32);
    expect(shown(ring).slice(0, 4)).toEqual([`c1/in@0:${'G'.repeat(300)}`, `c1/out@0:${'H'.repeat(129)}`, 'c1/out@129:pppppppp', 'c1/in@300:qqqqqqqqqqqq']);
  });

  it('shrinks to half its storage, dropping the oldest chunks, and at its smallest releases it all', () => {
    const ring = new ChunkRing({ ringBytes: 4096, ringChunks: 100 });
    for (let i = 0; i < 16; i++) ring.push(chunk('x'.repeat(256), i * 256));
    expect(ring.heldBytes).toBeGreaterThanOrEqual(4096);
    const before = ring.heldBytes;
    expect(ring.shrink()).toBeGreaterThan(0);
    expect(ring.heldBytes).toBeLessThan(before);
    expect(ring.toArray().map((c) => c.offset)).toEqual([8, 9, 10, 11, 12, 13, 14, 15].map((i) => i * 256));
    while (ring.heldBytes > 0) ring.shrink();
    expect(ring.size).toBe(0);
    ring.push(chunk('again', 0));
    expect(shown(ring)).toEqual(['c1/in@0:again']);
  });
});
