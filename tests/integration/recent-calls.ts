/** One call as LabService.RecentCalls reports it. */
export interface RecentCall {
  procedure: string;
  cancelledByClient?: boolean;
  durationMs?: number;
  code?: string;
}

/**
 * The sandbox's `LabService.Slow` call as the call log recorded it, asked over Connect JSON until it is there (at most
 * about 5 s: the log records a call when it ends); undefined if it never was.
 */
export async function recordedSlowCall(origin: string, sandbox: string): Promise<RecentCall | undefined> {
  for (let attempt = 0; attempt <= 250; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const answer = await fetch(`${origin}/wirelab.lab.v1.LabService/RecentCalls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': sandbox },
      body: '{}',
    });
    const { calls = [] } = (await answer.json()) as { calls?: RecentCall[] };
    const slow = calls.find((c) => c.procedure.endsWith('/Slow'));
    if (slow) return slow;
  }
  return undefined;
}
