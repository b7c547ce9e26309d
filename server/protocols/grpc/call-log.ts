import type { Code } from '@connectrpc/connect';

export interface LoggedCall {
  procedure: string;
  protocol: string;
  code: Code | 0;
  message: string;
  startedAt: number;
  durationMs: number;
  received: number;
  sent: number;
  cancelledByClient: boolean;
  deadlineMs: number | null;
}

/**
 * What the logging interceptor remembers: the last `perSandbox` calls of each sandbox, for the
 * `sandboxes` most recently active sandboxes (older ones are forgotten first).
 */
export class CallLog {
  private readonly bySandbox = new Map<string, LoggedCall[]>();
  /** the sandbox last moved to the end of bySandbox */
  private newest: string | null = null;
  /** every call since the server started */
  served = 0;

  constructor(
    readonly perSandbox = 50,
    readonly sandboxes = 1000,
  ) {}

  add(sandbox: string, call: LoggedCall): void {
    this.served += 1;
    let calls = this.bySandbox.get(sandbox);
    // The map's order is recency: move the sandbox to the end, unless it is there already.
    if (sandbox !== this.newest || !calls) {
      if (calls) this.bySandbox.delete(sandbox);
      else calls = [];
      this.bySandbox.set(sandbox, calls);
      this.newest = sandbox;
    }
    calls = calls!;
    calls.unshift(call);
    if (calls.length > this.perSandbox) calls.pop();
    if (this.bySandbox.size > this.sandboxes) this.bySandbox.delete(this.bySandbox.keys().next().value!);
  }

  /** newest first */
  recent(sandbox: string, limit: number): LoggedCall[] {
    return (this.bySandbox.get(sandbox) ?? []).slice(0, limit);
  }
}
