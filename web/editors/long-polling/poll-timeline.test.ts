import { describe, expect, it } from 'vitest';
import { MAX_TIMELINE_POLLS, withPoll, type Poll } from './poll-timeline.ts';

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
