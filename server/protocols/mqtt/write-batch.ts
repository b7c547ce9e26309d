/**
 * The pieces written to a connection in one tick, joined into one buffer when the tick ends.
 * aedes (through mqtt-packet) writes a PUBLISH in five pieces — fixed header, remaining length,
 * topic length, topic (a string), payload — for every subscriber it delivers to. Passed through
 * a Writable one by one, each piece costs a queued write request and the topic a Buffer of its
 * own; kept here, they cost an array slot, and strings are encoded straight into the joined buffer.
 */
export class WriteBatch {
  /** reused from tick to tick: one batch per connection, emptied every tick */
  private readonly pieces: Array<Buffer | string> = [];
  private bytes = 0;
  private callbacks: Array<(error?: Error | null) => void> = [];

  get isEmpty(): boolean {
    return this.pieces.length === 0;
  }

  /** A string is kept as it is and encoded as UTF-8 when joined (the only encoding mqtt-packet uses). */
  add(piece: Buffer | Uint8Array | string, callback?: (error?: Error | null) => void): void {
    if (typeof piece === 'string') {
      this.pieces.push(piece);
      this.bytes += Buffer.byteLength(piece, 'utf8');
    } else {
      const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      this.pieces.push(buffer);
      this.bytes += buffer.length;
    }
    if (callback) this.callbacks.push(callback);
  }

  /** Everything added since the last take, as one buffer, and one callback for all the pieces' callbacks; the batch is empty again. */
  take(): { bytes: Buffer; callback: ((error?: Error | null) => void) | undefined } {
    const pieces = this.pieces;
    const callbacks = this.callbacks;
    if (callbacks.length > 0) this.callbacks = [];
    const joined = pieces.length === 1 && typeof pieces[0] !== 'string' ? pieces[0]! : Buffer.allocUnsafe(this.bytes);
    if (joined !== pieces[0]) {
      let offset = 0;
      for (const piece of pieces) {
        offset += typeof piece === 'string' ? joined.write(piece, offset, 'utf8') : piece.copy(joined, offset);
      }
    }
    pieces.length = 0;
    this.bytes = 0;
    const callback =
      callbacks.length === 0 ? undefined : callbacks.length === 1 ? callbacks[0] : (error?: Error | null) => callbacks.forEach((each) => each(error));
    return { bytes: joined, callback };
  }
}
