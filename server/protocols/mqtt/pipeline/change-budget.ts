/**
 * Consumer changes per key in fixed windows: each start, stop or removal opens or closes MQTT
 * connections, so a script looping over them is turned away with 429 instead.
 */
export class ChangeBudget {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** null when the change may go ahead; otherwise the whole seconds until the window ends. */
  take(key: string): number | null {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      // Old windows go when a new one opens, so the map holds only keys active in the last window.
      if (!window && this.windows.size > 10_000) this.forgetEnded(now);
      window = { start: now, used: 0 };
      this.windows.set(key, window);
    }
    if (window.used >= this.count) return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    window.used += 1;
    return null;
  }

  private forgetEnded(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
