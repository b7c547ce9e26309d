/**
 * Buffers for big JSON request bodies of the fast path, used again: a body is held from its first
 * byte to its last, which under the per-address pace (server/limits/) can take seconds, long enough
 * for its buffer to outlive young collections and be promoted. Promoted, a 1 MB buffer waited for a
 * full collection, counted towards starting one meanwhile, and was freed inside its pause (V8's
 * `sweep_array_buffers`, up to 16 ms of a 35 ms pause in bench/soak.ts: bench/README.md, "Big
 * bodies' buffers used again"). A JSON body is garbage once decoded as text, so its buffer goes
 * back here and serves the next big body. A binary body is not pooled: its message may keep views
 * of it (@bufbuild/protobuf's `bytes` fields).
 */
export class BigBodies {
  /** free buffers by their size */
  private readonly free = new Map<number, ArrayBuffer[]>();
  /** the buffers this pool made: only they come back to it */
  private readonly made = new WeakSet<ArrayBuffer>();

  /**
   * @param kept how many free buffers of each size are kept for later; beyond, the garbage collector has them
   * @param largest the largest buffer pooled: a read limit above it (connect-es's default is 4 GiB)
   *   gets a buffer of the body's own length, not one of the limit's
   */
  constructor(
    private readonly kept: number,
    private readonly largest: number,
  ) {}

  /** A buffer of `length` bytes (at most `capacity`), in one of `capacity` bytes: give it back once nothing reads it. */
  take(length: number, capacity: number): Buffer {
    if (capacity > this.largest) return Buffer.allocUnsafe(length);
    let backing = this.free.get(capacity)?.pop();
    if (!backing) {
      backing = new ArrayBuffer(capacity);
      this.made.add(backing);
    }
    return Buffer.from(backing, 0, length);
  }

  /** A buffer take() gave, no longer read by anybody. */
  give(body: Buffer): void {
    const backing = body.buffer as ArrayBuffer;
    if (!this.made.has(backing)) return;
    let free = this.free.get(backing.byteLength);
    if (!free) this.free.set(backing.byteLength, (free = []));
    if (free.length < this.kept && !free.includes(backing)) free.push(backing);
  }

  /** the free buffers' bytes */
  heldBytes(): number {
    let bytes = 0;
    for (const [size, free] of this.free) bytes += size * free.length;
    return bytes;
  }
}
