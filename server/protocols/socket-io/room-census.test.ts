import { describe, expect, it } from 'vitest';
import { mergeListings } from './room-census.ts';

describe('mergeListings', () => {
  it('joins the members of a room that has sockets on several instances', () => {
    const here = [{ room: 'lobby', members: ['ada'] }];
    const there = [
      { room: 'quiet', members: ['cyd'] },
      { room: 'lobby', members: ['bob', 'Ann'] },
    ];
    expect(mergeListings([here, there])).toEqual([
      { room: 'lobby', members: ['Ann', 'ada', 'bob'] },
      { room: 'quiet', members: ['cyd'] },
    ]);
  });

  it('gives nothing for no rooms anywhere', () => {
    expect(mergeListings([[], []])).toEqual([]);
  });
});
