/**
 * A token bucket per socket: `perSecond` tokens refill every second, up to the same number held,
 * so a client may send a short burst but not a steady stream above the rate.
 */
export class EventRate {
  private tokens: number;
  private lastRefill: number;
  private lastNotice = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly perSecond: number,
    private readonly noticeEveryMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = perSecond;
    this.lastRefill = now();
  }

  /** true: the event may pass (and uses a token); false: it is over the limit. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.lastRefill) / 1000) * this.perSecond);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether a refused event should be told about now: at most once per `noticeEveryMs`. */
  shouldNotify(): boolean {
    const now = this.now();
    if (now - this.lastNotice < this.noticeEveryMs) return false;
    this.lastNotice = now;
    return true;
  }
}
