import { describe, expect, it } from 'vitest';
import { mergePresence, type Presence } from './classroom-fanout.ts';

// A student with two pages (two channels, maybe on two instances): the board shows one row.
describe('mergePresence', () => {
  it('follows and watches if any page does, and takes the place and wait of the page in view', () => {
    const presence: Presence = new Map();
    mergePresence(presence, 7, { following: true, watching: false, place: { lesson: 'rest', section: '' }, waits: 'own-page' });
    mergePresence(presence, 7, { following: true, watching: true, place: { lesson: 'grpc', section: 'streams' }, waits: null });
    expect(presence.get(7)).toEqual({ following: true, watching: true, place: { lesson: 'grpc', section: 'streams' }, waits: null });
    // a page out of view later does not take the place over
    mergePresence(presence, 7, { following: false, watching: false, place: { lesson: null, section: '' }, waits: null });
    expect(presence.get(7)).toEqual({ following: true, watching: true, place: { lesson: 'grpc', section: 'streams' }, waits: null });
  });

  it('keeps the first place said when no page is in view, and none from an older instance that says none', () => {
    const presence: Presence = new Map();
    mergePresence(presence, 3, { following: false, watching: false });
    expect(presence.get(3)).toEqual({ following: false, watching: false, place: null, waits: null });
    mergePresence(presence, 3, { following: true, watching: false, place: { lesson: 'mqtt', section: '' }, waits: 'typing' });
    mergePresence(presence, 3, { following: true, watching: false, place: { lesson: 'rest', section: '' }, waits: null });
    expect(presence.get(3)).toEqual({ following: true, watching: false, place: { lesson: 'mqtt', section: '' }, waits: 'typing' });
  });
});
