import { describe, expect, it } from 'vitest';
import { failedPoll, MAX_AWAY_RETRIES, MAX_TIMELINE_POLLS, withPoll, type LoopStanding, type Poll } from './poll-timeline.ts';

const poll = (number: number): Poll => ({ number, since: String(number), sentAt: 0 });

describe('the long polling timeline', () => {
  it('keeps every poll up to its limit, then drops the oldest and counts them', () => {
    expect(withPoll([poll(1)], poll(2), 3)).toEqual({ polls: [poll(1), poll(2)], dropped: 0 });
    expect(withPoll([poll(1), poll(2), poll(3)], poll(4), 3)).toEqual({ polls: [poll(2), poll(3), poll(4)], dropped: 1 });
  });

  it('holds 200 rows by default: a long session does not grow the page without bound', () => {
    const full = Array.from({ length: MAX_TIMELINE_POLLS }, (_, index) => poll(index + 1));
    const next = withPoll(full, poll(MAX_TIMELINE_POLLS + 1));
    expect(next.polls).toHaveLength(200);
    expect(next.polls[0]!.number).toBe(2);
  });
});

describe('a poll whose request failed', () => {
  const fresh: LoopStanding = { dropped: false, stopped: false, awayRetries: null, answered: false };
  const refused = 'Failed to fetch';

  it('the first poll of a loop: failed, the loop stops (a wrong address, a server not started)', () => {
    expect(failedPoll(fresh, refused, 5000)).toEqual({ kind: 'failed', message: refused });
  });

  it('after an answered poll: lost, asked again with the same since (a restart, an instance gone, the Wi-Fi)', () => {
    expect(failedPoll({ ...fresh, answered: true }, refused, 5000)).toEqual({ kind: 'lost', message: refused, retryMs: 5000 });
  });

  it('while the server is away (after a 503, or a lost poll): not back, until three minutes of asking, then failed', () => {
    expect(failedPoll({ ...fresh, awayRetries: 1 }, refused, 5000)).toEqual({ kind: 'not-back', message: refused, retryMs: 5000 });
    expect(failedPoll({ ...fresh, answered: true, awayRetries: MAX_AWAY_RETRIES - 1 }, refused, 5000).kind).toBe('not-back');
    expect(failedPoll({ ...fresh, answered: true, awayRetries: MAX_AWAY_RETRIES }, refused, 5000)).toEqual({ kind: 'failed', message: refused });
  });

  it('dropped by the page, or stopped: said so, whatever else stood', () => {
    expect(failedPoll({ ...fresh, answered: true, dropped: true }, refused, 5000)).toEqual({ kind: 'dropped' });
    expect(failedPoll({ ...fresh, awayRetries: 3, stopped: true }, refused, 5000)).toEqual({ kind: 'stopped' });
  });
});
