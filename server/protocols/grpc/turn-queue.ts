/**
 * The big messages' steps of every call, one a turn of the event loop (message-turns.ts).
 *
 * Each step waited for a `setImmediate` of its own, but Node runs every immediate queued before
 * its check phase in that one phase: with eight 1 MB echoes in flight (bench/soak.ts's abuser), a
 * step of each — eight JSON.stringify or decodes of a megabyte — ran back to back, and a
 * student's request that arrived meanwhile waited 30–70 ms of CPU for all of them (CPU profiles
 * of the soak, 27 Nov). Here the steps wait in one line and a single immediate is queued at a
 * time: it lets one step go, and queues the next for the following turn, so the network is read
 * (and small requests answered) between any two big steps, whoever's they are.
 */
export class TurnQueue {
  readonly #waiting: Array<() => void> = [];
  #queued = false;

  /** @param queue how the next turn is asked for (a test passes its own) */
  constructor(private readonly queue: (run: () => void) => void = (run) => void setImmediate(run)) {}

  /** Resolves in a later turn of the event loop than any step that asked before it. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      if (!this.#queued) this.#queueOne();
    });
  }

  /** Steps waiting for their turn (not counting one let go in this turn). */
  get waiting(): number {
    return this.#waiting.length;
  }

  #queueOne(): void {
    this.#queued = true;
    this.queue(() => {
      const letGo = this.#waiting.shift()!;
      // Queued from inside the check phase, the next immediate runs in the next turn, after the network's.
      if (this.#waiting.length > 0) this.#queueOne();
      else this.#queued = false;
      letGo();
    });
  }
}
