import type { CapturedChunk, Direction } from './capture-types.ts';
import { OWN_BUFFERS, type RingStorage, type SlabTenant } from './ring-slabs.ts';

/** Where the ring starts: it grows up to its limits as a session records more. */
const INITIAL_BYTES = 256;
const INITIAL_CHUNKS = 4;
/**
 * Storage below these sizes grows to what it needs, in steps; above, it doubles (so copying on
 * growth stays linear). An idle WebSocket's ring holds its handshake and a ping and pong every 10 s:
 * doubling, it would hold up to twice that, and a server holds thousands (bench/websocket-idle.ts).
 */
const GROW_IN_STEPS_BELOW = { bytes: 4096, chunks: 64 };
const GROWTH_STEP = { bytes: 128, chunks: 4 };
/** per slot: its length and direction (length × 2, plus 1 when outbound), seq, t, offset */
const FIELDS = 4;
const FIELD_BYTES = 8;
const SLOT_BYTES = FIELDS * FIELD_BYTES;
/** the storage of an empty ring, shared: nothing is ever written to storage of no size */
const NO_STORAGE = Buffer.alloc(0);

/** The capacity that holds `needed`: in steps while small, else at least double the current one. */
function grown(current: number, needed: number, step: number, stepsBelow: number, least: number): number {
  if (needed <= stepsBelow) return Math.max(least, Math.ceil(needed / step) * step);
  return Math.max(least, current * 2, needed);
}

/**
 * A session's recent chunks, oldest first, bounded in bytes and in chunks. The bytes and the
 * numbers of every chunk live in one buffer: a ring of 20 000 chunk objects, each with its own
 * Buffer, kept the garbage collector busy promoting and sweeping them, which cost more than
 * everything else recording does (`npm run bench`), and each typed array of its own costs a few
 * hundred bytes more (its ArrayBuffer and native record) in every one of thousands of idle
 * sessions (bench/websocket-idle.ts). Storage grows as needed, so a session that records little
 * holds little; a small ring's storage is a block of a slab shared with other rings (ring-slabs.ts).
 */
export class ChunkRing implements SlabTenant {
  /**
   * The Buffer holding this ring's block (from `base` on, `held` bytes): SLOT_BYTES per slot (a
   * chunk's start is not kept: it follows the one before), then the bytes.
   */
  private storage: Buffer = NO_STORAGE;
  private base = 0;
  private held = 0;
  private slots = 0;
  /** where the bytes start in `storage`, and how many it has room for */
  private bytesAt = 0;
  private byteCapacity = 0;
  /** where the next chunk's bytes go (counted from bytesAt) */
  private writeAt = 0;
  /** where the oldest chunk's bytes start: each next chunk's follow it, around the ring */
  private readAt = 0;
  private usedBytes = 0;
  private head = 0;
  private count = 0;
  /**
   * The connection of every chunk kept, while they are all one's (an idle WebSocket's ring, for
   * hours): '' when empty. A second connection's chunk makes `conns`, one per slot, which lasts
   * until the ring is empty again.
   */
  private soleConn = '';
  private conns: string[] | null = null;

  constructor(
    private readonly limits: { ringBytes: number; ringChunks: number },
    private readonly storages: RingStorage = OWN_BUFFERS,
  ) {}

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
    if (this.count === 0) this.readAt = this.writeAt;
    const slot = (this.head + this.count) % this.slots;
    const at = this.base + slot * SLOT_BYTES;
    this.storage.writeDoubleLE(data.length * 2 + (chunk.dir === 'in' ? 0 : 1), at);
    this.storage.writeDoubleLE(chunk.seq, at + FIELD_BYTES);
    this.storage.writeDoubleLE(chunk.t, at + 2 * FIELD_BYTES);
    this.storage.writeDoubleLE(offset, at + 3 * FIELD_BYTES);
    if (this.conns) this.conns[slot] = chunk.conn;
    else if (this.count === 0) this.soleConn = chunk.conn;
    else if (chunk.conn !== this.soleConn) this.connsPerSlot()[slot] = chunk.conn;
    const first = Math.min(data.length, this.byteCapacity - this.writeAt);
    data.copy(this.storage, this.bytesAt + this.writeAt, 0, first);
    if (first < data.length) data.copy(this.storage, this.bytesAt, first);
    this.writeAt = (this.writeAt + data.length) % this.byteCapacity;
    this.usedBytes += data.length;
    this.count += 1;
  }

  /** Every chunk kept, oldest first, each with its own copy of the bytes. */
  toArray(): CapturedChunk[] {
    const chunks: CapturedChunk[] = [];
    let start = this.readAt;
    for (let index = 0; index < this.count; index += 1) {
      const slot = (this.head + index) % this.slots;
      const at = this.base + slot * SLOT_BYTES;
      const length = this.lengthAt(slot);
      chunks.push({
        conn: this.conns ? this.conns[slot] : this.soleConn,
        seq: this.storage.readDoubleLE(at + FIELD_BYTES),
        dir: (this.storage.readDoubleLE(at) % 2 === 0 ? 'in' : 'out') as Direction,
        t: this.storage.readDoubleLE(at + 2 * FIELD_BYTES),
        offset: this.storage.readDoubleLE(at + 3 * FIELD_BYTES),
        data: this.copyOut(start, length),
      });
      start = (start + length) % this.byteCapacity;
    }
    return chunks;
  }

  /** The connections of the chunks kept. */
  connectionIds(): Set<string> {
    const ids = new Set<string>();
    if (!this.conns) {
      if (this.count > 0) ids.add(this.soleConn);
      return ids;
    }
    for (let index = 0; index < this.count; index += 1) ids.add(this.conns[(this.head + index) % this.slots]);
    return ids;
  }

  /** What the ring's storage holds, used or not: what it costs the server's memory. */
  get heldBytes(): number {
    return this.held;
  }

  /** SlabTenant: the slab holding this ring's block was emptied; the block, bytes and all, is here now. */
  movedTo(buffer: Buffer, at: number): void {
    this.storage = buffer;
    this.bytesAt += at - this.base;
    this.base = at;
  }

  /**
   * Halves the storage, dropping the oldest chunks that no longer fit (the global capture budget
   * takes memory back this way); storage at its smallest is released altogether. Returns the
   * bytes of heap given back.
   */
  shrink(): number {
    const before = this.heldBytes;
    if (this.byteCapacity <= INITIAL_BYTES) {
      if (this.held > 0) this.storages.release(this.storage, this.base, this.held);
      this.storage = NO_STORAGE;
      this.base = 0;
      this.held = 0;
      this.slots = 0;
      this.bytesAt = 0;
      this.byteCapacity = 0;
      this.clear();
      return before;
    }
    const byteCapacity = Math.max(INITIAL_BYTES, Math.floor(this.byteCapacity / 2));
    while (this.count > 0 && this.usedBytes > byteCapacity) this.dropOldest();
    let slotCapacity = this.slots;
    while (slotCapacity > INITIAL_CHUNKS && this.count <= slotCapacity / 2) slotCapacity = Math.max(INITIAL_CHUNKS, Math.floor(slotCapacity / 2));
    this.rebuild(byteCapacity, slotCapacity);
    return before - this.heldBytes;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.usedBytes = 0;
    this.writeAt = 0;
    this.readAt = 0;
    this.soleConn = '';
    this.conns = null;
  }

  /** Chunks of more than one connection from now on: the connection of each slot, every kept one the sole connection's so far. */
  private connsPerSlot(): string[] {
    const conns = new Array<string>(this.slots).fill('');
    for (let index = 0; index < this.count; index += 1) conns[(this.head + index) % this.slots] = this.soleConn;
    this.conns = conns;
    return conns;
  }

  private lengthAt(slot: number): number {
    return Math.floor(this.storage.readDoubleLE(this.base + slot * SLOT_BYTES) / 2);
  }

  private dropOldest(): void {
    const slot = this.head;
    const length = this.lengthAt(slot);
    this.usedBytes -= length;
    this.readAt = (this.readAt + length) % this.byteCapacity;
    if (this.conns) this.conns[slot] = '';
    this.head = (this.head + 1) % this.slots;
    this.count -= 1;
    if (this.count === 0) {
      this.head = 0;
      this.writeAt = 0;
      this.readAt = 0;
      this.soleConn = '';
      this.conns = null;
    }
  }

  private copyOut(start: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    const first = Math.min(length, this.byteCapacity - start);
    this.storage.copy(out, 0, this.bytesAt + start, this.bytesAt + start + first);
    if (first < length) this.storage.copy(out, first, this.bytesAt, this.bytesAt + length - first);
    return out;
  }

  /** Makes room for one more chunk of `length` bytes, growing (and straightening) the storage. */
  private reserve(length: number): void {
    const { ringBytes, ringChunks } = this.limits;
    // (storage of no size takes no chunk, not even an empty one: the write position wraps by its size)
    const needBytes = this.usedBytes + length > this.byteCapacity || this.byteCapacity === 0;
    const needSlots = this.count + 1 > this.slots;
    if (!needBytes && !needSlots) return;
    const byteCapacity = needBytes
      ? Math.min(ringBytes, grown(this.byteCapacity, this.usedBytes + length, GROWTH_STEP.bytes, GROW_IN_STEPS_BELOW.bytes, INITIAL_BYTES))
      : this.byteCapacity;
    const slotCapacity = needSlots
      ? Math.min(ringChunks, grown(this.slots, this.count + 1, GROWTH_STEP.chunks, GROW_IN_STEPS_BELOW.chunks, INITIAL_CHUNKS))
      : this.slots;
    this.rebuild(byteCapacity, slotCapacity);
  }

  /** New storage of these capacities holding the chunks kept now, straightened; the old block is given back. */
  private rebuild(byteCapacity: number, slotCapacity: number): void {
    const kept = this.toArray();
    const block = this.storages.allocate(slotCapacity * SLOT_BYTES + byteCapacity, this);
    // (read only now: making room for the new block may have moved the old one, see movedTo)
    const oldBuffer = this.storage;
    const oldAt = this.base;
    const oldBytes = this.held;
    this.storage = block.buffer;
    this.base = block.at;
    this.held = block.bytes;
    this.slots = slotCapacity;
    this.bytesAt = block.at + slotCapacity * SLOT_BYTES;
    this.byteCapacity = byteCapacity;
    this.clear();
    for (const chunk of kept) this.push(chunk);
    if (oldBytes > 0) this.storages.release(oldBuffer, oldAt, oldBytes);
  }
}
