/**
 * So many actions per client address in a window (a fixed window, reset as a whole): joining a
 * class, reporting progress. Per address, not per cookie: a script that drops its cookies is
 * still one address.
 */
export class AddressBudget {
  private windows = new Map<string, { startedAt: number; used: number }>();

  constructor(private readonly limit: { max: number; windowMs: number }) {}

  /** Takes one action from the address's budget; false (and when to retry) once it is spent. */
  take(address: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    let window = this.windows.get(address);
    if (!window || now - window.startedAt >= this.limit.windowMs) {
      if (this.windows.size > 10_000) this.forgetOld(now);
      window = { startedAt: now, used: 0 };
      this.windows.set(address, window);
    }
    if (window.used >= this.limit.max) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.limit.windowMs - now) / 1000)) };
    }
    window.used += 1;
    return { ok: true };
  }

  private forgetOld(now: number): void {
    for (const [address, window] of this.windows) if (now - window.startedAt >= this.limit.windowMs) this.windows.delete(address);
  }
}
