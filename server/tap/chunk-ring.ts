import type { CapturedChunk, Direction } from './capture-types.ts';

/** Where the ring starts: it doubles up to its limits as a session records more. */
const INITIAL_BYTES = 256;
const INITIAL_CHUNKS = 4;
const FIELDS = 6;

/**
 * A session's recent chunks, oldest first, bounded in bytes and in chunks. The bytes live in one
 * buffer and the rest in typed arrays: a ring of 20 000 chunk objects, each with its own Buffer,
 * kept the garbage collector busy promoting and sweeping them, which cost more than everything
 * else recording does (`npm run bench`). Storage grows by doubling, so a session that records
 * little holds little.
 */
export class ChunkRing {
  private bytes = Buffer.alloc(0);
  /** where the next chunk's bytes go */
  private writeAt = 0;
  private usedBytes = 0;
  private head = 0;
  private count = 0;
  /** per slot, FIELDS numbers: where its bytes start, length, seq, t, offset, direction (0 in, 1 out) */
  private meta = new Float64Array(0);
  private slots = 0;
  private conns: string[] = [];

  constructor(private readonly limits: { ringBytes: number; ringChunks: number }) {}

  get size(): number {
    return this.count;
  }

  /**
   * Keeps a copy of the chunk's bytes, dropping the oldest chunks to make room. A chunk larger
   * than the whole ring keeps its last bytes: its offset moves on, and a reader sees a gap.
   */
  push(chunk: CapturedChunk): void {
    const { ringBytes, ringChunks } = this.limits;
    let { data, offset } = chunk;
    if (data.length > ringBytes) {
      offset += data.length - ringBytes;
      data = data.subarray(data.length - ringBytes);
    }
    while (this.count > 0 && (this.count >= ringChunks || this.usedBytes + data.length > ringBytes)) this.dropOldest();
    this.reserve(data.length);
    const slot = (this.head + this.count) % this.slots;
    const at = slot * FIELDS;
    this.meta[at] = this.writeAt;
    this.meta[at + 1] = data.length;
    this.meta[at + 2] = chunk.seq;
    this.meta[at + 3] = chunk.t;
    this.meta[at + 4] = offset;
    this.meta[at + 5] = chunk.dir === 'in' ? 0 : 1;
    this.conns[slot] = chunk.conn;
    const first = Math.min(data.length, this.bytes.length - this.writeAt);
    data.copy(this.bytes, this.writeAt, 0, first);
    if (first < data.length) data.copy(this.bytes, 0, first);
    this.writeAt = (this.writeAt + data.length) % this.bytes.length;
    this.usedBytes += data.length;
    this.count += 1;
  }

  /** Every chunk kept, oldest first, each with its own copy of the bytes. */
  toArray(): CapturedChunk[] {
    const chunks: CapturedChunk[] = [];
    for (let index = 0; index < this.count; index += 1) {
      const slot = (this.head + index) % this.slots;
      const at = slot * FIELDS;
      chunks.push({
        conn: this.conns[slot],
        seq: this.meta[at + 2],
        dir: (this.meta[at + 5] === 0 ? 'in' : 'out') as Direction,
        t: this.meta[at + 3],
        offset: this.meta[at + 4],
        data: this.copyOut(this.meta[at], this.meta[at + 1]),
      });
    }
    return chunks;
  }

  /** What the ring's storage holds on the heap, used or not: what it costs the server's memory. */
  get heldBytes(): number {
    return this.bytes.length + this.meta.byteLength;
  }

  /**
   * Halves the storage, dropping the oldest chunks that no longer fit (the global capture budget
   * takes memory back this way); storage at its smallest is released altogether. Returns the
   * bytes of heap given back.
   */
  shrink(): number {
    const before = this.heldBytes;
    if (this.bytes.length <= INITIAL_BYTES) {
      this.bytes = Buffer.alloc(0);
      this.meta = new Float64Array(0);
      this.slots = 0;
      this.conns = [];
      this.head = 0;
      this.count = 0;
      this.usedBytes = 0;
      this.writeAt = 0;
      return before;
    }
    const byteCapacity = Math.max(INITIAL_BYTES, Math.floor(this.bytes.length / 2));
    while (this.count > 0 && this.usedBytes > byteCapacity) this.dropOldest();
    let slotCapacity = this.slots;
    while (slotCapacity > INITIAL_CHUNKS && this.count <= slotCapacity / 2) slotCapacity /= 2;
    this.rebuild(byteCapacity, slotCapacity);
    return before - this.heldBytes;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.usedBytes = 0;
    this.writeAt = 0;
    this.conns.fill('');
  }

  private dropOldest(): void {
    const slot = this.head;
    this.usedBytes -= this.meta[slot * FIELDS + 1];
    this.conns[slot] = '';
    this.head = (this.head + 1) % this.slots;
    this.count -= 1;
    if (this.count === 0) {
      this.head = 0;
      this.writeAt = 0;
    }
  }

  private copyOut(start: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    const first = Math.min(length, this.bytes.length - start);
    this.bytes.copy(out, 0, start, start + first);
    if (first < length) this.bytes.copy(out, first, 0, length - first);
    return out;
  }

  /** Makes room for one more chunk of `length` bytes, growing (and straightening) the storage. */
  private reserve(length: number): void {
    const { ringBytes, ringChunks } = this.limits;
    const needBytes = this.usedBytes + length > this.bytes.length;
    const needSlots = this.count + 1 > this.slots;
    if (!needBytes && !needSlots) return;
    const byteCapacity = needBytes ? Math.min(ringBytes, Math.max(INITIAL_BYTES, this.bytes.length * 2, this.usedBytes + length)) : this.bytes.length;
    const slotCapacity = needSlots ? Math.min(ringChunks, Math.max(INITIAL_CHUNKS, this.slots * 2)) : this.slots;
    this.rebuild(byteCapacity, slotCapacity);
  }

  /** New storage of these capacities holding the chunks kept now, straightened. */
  private rebuild(byteCapacity: number, slotCapacity: number): void {
    const kept = this.toArray();
    // Not from Node's shared 8 KiB pool: a ring lives as long as its session, and one small ring
    // would keep a whole pool slab (and every short-lived slice's share of it) from being freed.
    this.bytes = Buffer.allocUnsafeSlow(byteCapacity);
    this.meta = new Float64Array(slotCapacity * FIELDS);
    this.slots = slotCapacity;
    this.conns = new Array<string>(slotCapacity).fill('');
    this.head = 0;
    this.count = 0;
    this.usedBytes = 0;
    this.writeAt = 0;
    for (const chunk of kept) this.push(chunk);
  }
}
