// When the capture store decodes and tells its listeners (README.md): listeners hear of new
// captures at most every MIN_NOTIFY_GAP_MS, and never more often than DECODE_SHARE times the last
// decode took; what a snapshot left behind is decoded a slice per task (≤ CATCH_UP_SLICE_MS)
// between the page's own work, listeners told once it caught up or every CATCH_UP_PROGRESS_MS.

/**
 * A stream of thousands of messages then costs a few decodes a second, and the page stays
 * responsive between them.
 */
const MIN_NOTIFY_GAP_MS = 100;
const DECODE_SHARE = 3;
/** Catching up, decoding stops for the page's turn after this long… */
const CATCH_UP_SLICE_MS = 30;
/** …and listeners see how far it got this often. */
const CATCH_UP_PROGRESS_MS = 500;

export interface ScheduleHooks {
  /** decodes what is behind until `performance.now()` passes `until`; whether some connection still is */
  decodeSlice(until: number): boolean;
  /** the store changed (a new snapshot to build) */
  changed(): void;
  /** tells the listeners, now */
  notify(): void;
}

export class DecodeSchedule {
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotifiedAt = Number.NEGATIVE_INFINITY;
  private lastBuildMs = 0;
  private catchUpTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly hooks: ScheduleHooks) {}

  /** A catch-up is scheduled: a snapshot shows how far it got rather than decode in the render's task. */
  get catchingUp(): boolean {
    return this.catchUpTimer !== null;
  }

  /** The snapshot is new at once (built on demand); listeners hear of it throttled. */
  notifySoon(): void {
    if (this.notifyTimer) return;
    const gap = Math.max(MIN_NOTIFY_GAP_MS, this.lastBuildMs * DECODE_SHARE);
    const wait = this.lastNotifiedAt + gap - Date.now();
    if (wait <= 0) {
      this.notify();
      return;
    }
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.notify();
    }, wait);
  }

  /** Builds a snapshot, timing it (the next notification waits in proportion). */
  timed<T>(build: () => T): T {
    const started = performance.now();
    const built = build();
    this.lastBuildMs = performance.now() - started;
    return built;
  }

  /**
   * Decodes what the last snapshot left behind, a slice per task between the page's own work,
   * and tells listeners once it caught up (or every CATCH_UP_PROGRESS_MS, to show progress):
   * rendering after every slice would cost the page more than the decoding.
   */
  catchUp(): void {
    if (this.catchUpTimer) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      const behind = this.hooks.decodeSlice(performance.now() + CATCH_UP_SLICE_MS);
      if (!behind || Date.now() - this.lastNotifiedAt >= CATCH_UP_PROGRESS_MS) this.hooks.changed();
      else this.catchUp();
    }, 0);
  }

  stop(): void {
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.notifyTimer = null;
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.catchUpTimer = null;
  }

  private notify(): void {
    this.lastNotifiedAt = Date.now();
    this.hooks.notify();
  }
}
