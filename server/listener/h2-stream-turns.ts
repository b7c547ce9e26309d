/**
 * HTTP/2 streams waiting to be handled, in one line per client address: each turn of the event
 * loop handles at most `perTurn` streams of each address, the addresses side by side, and the
 * rest wait for the next turns.
 *
 * One read of a session may open a hundred streams (its `maxConcurrentStreams`), and the
 * listener gives an address two reads a turn: each stream waited for an immediate of its own,
 * and Node runs every immediate queued before its check phase in that one phase, so a
 * zero-window flood's first sessions had some 200 requests routed, answered and logged back to
 * back in one turn while a student on another address waited for all of them
 * (`bench/h2-flood.ts`). In line, a flood's streams cost the others at most `perTurn` handlers a
 * turn; a stream the client reset while it waited is dropped unhandled when its turn comes
 * (what a rapid reset's streams whose reset came in a later read then are).
 */
export class StreamTurns {
  readonly #lines = new Map<string, Array<() => void>>();
  #queued = false;

  /**
   * @param perTurn streams of one address handled in one turn
   * @param queue how the next turn is asked for (a test passes its own)
   */
  constructor(
    private readonly perTurn: number,
    private readonly queue: (run: () => void) => void = (run) => void setImmediate(run),
  ) {}

  /** `handle` runs in a later turn, after what `address` added before it. */
  add(address: string, handle: () => void): void {
    const line = this.#lines.get(address);
    if (line) line.push(handle);
    else this.#lines.set(address, [handle]);
    if (!this.#queued) this.#queueTurn();
  }

  /** Streams waiting for their turn. */
  get waiting(): number {
    let waiting = 0;
    for (const line of this.#lines.values()) waiting += line.length;
    return waiting;
  }

  #queueTurn(): void {
    this.#queued = true;
    this.queue(() => this.#turn());
  }

  #turn(): void {
    const now: Array<() => void> = [];
    for (const [address, line] of this.#lines) {
      now.push(...line.splice(0, this.perTurn));
      if (line.length === 0) this.#lines.delete(address);
    }
    // Queued from inside the check phase, the next turn's immediate runs after the network is read again.
    if (this.#lines.size > 0) this.#queueTurn();
    else this.#queued = false;
    for (const handle of now) handle();
  }
}
