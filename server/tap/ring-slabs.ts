/**
 * Where a capture ring keeps its storage (chunk-ring.ts). A ring asks for a block of bytes when it
 * grows and gives the old one back at once; a block may move while the ring lives (see RingSlabs).
 */
export interface RingStorage {
  /** A block of at least `bytes` for `tenant`: the Buffer it lies in, where it starts, and its size. */
  allocate(bytes: number, tenant: SlabTenant): RingBlock;
  /** The block is no longer used (the one allocate() gave: same Buffer, start and size). */
  release(buffer: Buffer, at: number, bytes: number): void;
}

export interface RingBlock {
  buffer: Buffer;
  at: number;
  bytes: number;
}

/** The holder of a block, told when its block moves. */
export interface SlabTenant {
  /** Its block now lies here, with the same bytes (already copied). */
  movedTo(buffer: Buffer, at: number): void;
}

/**
 * Every block a Buffer of its own (what the rings did before slabs), freed by the garbage
 * collector: for a ring alone, as the unit tests make them.
 */
export const OWN_BUFFERS: RingStorage = {
  // Not from Node's shared 8 KiB pool: a ring lives as long as its session, and one small ring
  // would keep a whole pool slab (and every short-lived slice's share of it) from being freed.
  allocate: (bytes) => ({ buffer: Buffer.allocUnsafeSlow(bytes), at: 0, bytes }),
  release: () => {},
};

/** Blocks are whole units: every small ring's size in its steps of growth (chunk-ring.ts) is one. */
const UNIT = 128;
const SLAB_BYTES = 64 * 1024;
/** Larger blocks get a Buffer of their own: its native record and allocator overhead are then a small share. */
const LARGEST_SLAB_BLOCK = SLAB_BYTES / 8;

/** One slab: blocks of many rings in one Buffer, handed out from the start (top), and reused by size. */
interface Slab {
  readonly id: number;
  readonly buffer: Buffer;
  /** units handed out from the start so far (blocks given back are reused through the free lists) */
  top: number;
  /** units in use */
  live: number;
  /** by a block's first unit: its tenant and its size in units (empty where no block starts) */
  readonly tenants: (SlabTenant | undefined)[];
  readonly units: Uint8Array;
}

/**
 * Small rings' storage, many blocks to a slab (one 64 KiB Buffer). Thousands of idle sessions each
 * held a ring of a few hundred bytes in a Buffer of its own: each had its ArrayBuffer, its native
 * backing-store record and the allocator's overhead, and the storage a ring grew out of stayed
 * allocated until the garbage collector ran, leaving holes between the rings that outlived it —
 * about 1.7 KiB of RSS per ring beside its 640 bytes (bench/websocket-idle.ts; the README of this
 * folder). Here a block a ring gives back is reused at once by the next ring of that size.
 *
 * Bounded waste: a slab other than the one being filled that falls below three quarters used is
 * emptied — its rings' blocks move to other slabs (copied; each ring is told, `SlabTenant.movedTo`)
 * and the slab is let go. So the slabs hold at most 4/3 of their rings' blocks, plus the slab being
 * filled; and the bytes moved are at most three times the bytes given back since that slab was
 * filled. (At half, 5 000 idle WebSockets' slabs were a third empty: each ring had grown once more
 * at its first ping and left a block of a size no ring asks for any more.)
 */
export class RingSlabs implements RingStorage {
  private readonly unitsPerSlab = SLAB_BYTES / UNIT;
  private readonly slabs = new Map<Buffer, Slab>();
  private readonly byId = new Map<number, Slab>();
  /** blocks given back, by their size in units: slab id × units per slab + first unit */
  private readonly free: number[][] = Array.from({ length: LARGEST_SLAB_BLOCK / UNIT + 1 }, () => []);
  private current: Slab | null = null;
  private nextId = 0;

  allocate(bytes: number, tenant: SlabTenant): RingBlock {
    const units = Math.max(1, Math.ceil(bytes / UNIT));
    if (units * UNIT > LARGEST_SLAB_BLOCK) return OWN_BUFFERS.allocate(bytes, tenant);
    const reused = this.free[units].pop();
    if (reused !== undefined) {
      const slab = this.byId.get(Math.floor(reused / this.unitsPerSlab)) as Slab;
      return this.place(slab, reused % this.unitsPerSlab, units, tenant);
    }
    while (!this.current || this.current.top + units > this.unitsPerSlab) this.startSlab();
    const slab = this.current;
    slab.top += units;
    return this.place(slab, slab.top - units, units, tenant);
  }

  release(buffer: Buffer, at: number, bytes: number): void {
    const slab = this.slabs.get(buffer);
    if (!slab) return;
    const first = at / UNIT;
    const units = bytes / UNIT;
    slab.tenants[first] = undefined;
    slab.units[first] = 0;
    slab.live -= units;
    this.free[units].push(slab.id * this.unitsPerSlab + first);
    if (slab !== this.current) this.emptyIfSparse(slab);
  }

  /** Bytes of every slab together (the memory this storage holds, used or not). */
  get slabBytes(): number {
    return this.slabs.size * SLAB_BYTES;
  }

  /** Bytes of the blocks in use in the slabs. */
  get usedBytes(): number {
    let units = 0;
    for (const slab of this.slabs.values()) units += slab.live;
    return units * UNIT;
  }

  private place(slab: Slab, first: number, units: number, tenant: SlabTenant): RingBlock {
    slab.tenants[first] = tenant;
    slab.units[first] = units;
    slab.live += units;
    return { buffer: slab.buffer, at: first * UNIT, bytes: units * UNIT };
  }

  /** A fresh slab to hand out from; the one before keeps its blocks, and its unused end is free. */
  private startSlab(): void {
    const full = this.current;
    const slab: Slab = {
      id: this.nextId++,
      buffer: Buffer.allocUnsafeSlow(SLAB_BYTES),
      top: 0,
      live: 0,
      tenants: new Array(this.unitsPerSlab).fill(undefined),
      // (a byte each: a block has at most LARGEST_SLAB_BLOCK / UNIT = 64 units)
      units: new Uint8Array(this.unitsPerSlab),
    };
    this.slabs.set(slab.buffer, slab);
    this.byId.set(slab.id, slab);
    this.current = slab;
    if (!full) return;
    const rest = this.unitsPerSlab - full.top;
    if (rest > 0) {
      // (always a size the free lists have: what was left was too small for a block of at most the largest)
      this.free[rest].push(full.id * this.unitsPerSlab + full.top);
      full.top = this.unitsPerSlab;
    }
    this.emptyIfSparse(full);
  }

  /** A slab less than three quarters used is emptied: its blocks move elsewhere, and it is let go. */
  private emptyIfSparse(slab: Slab): void {
    if (slab.live * 4 >= this.unitsPerSlab * 3 || !this.byId.has(slab.id)) return;
    this.slabs.delete(slab.buffer);
    this.byId.delete(slab.id);
    const lowest = slab.id * this.unitsPerSlab;
    for (let units = 1; units < this.free.length; units++) {
      const list = this.free[units];
      if (list.some((block) => block >= lowest && block < lowest + this.unitsPerSlab)) {
        this.free[units] = list.filter((block) => block < lowest || block >= lowest + this.unitsPerSlab);
      }
    }
    for (let first = 0; first < this.unitsPerSlab; first++) {
      const tenant = slab.tenants[first];
      if (!tenant) continue;
      const units = slab.units[first];
      const block = this.allocate(units * UNIT, tenant);
      slab.buffer.copy(block.buffer, block.at, first * UNIT, (first + units) * UNIT);
      tenant.movedTo(block.buffer, block.at);
    }
  }
}
