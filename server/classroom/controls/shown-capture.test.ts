import { describe, expect, it } from 'vitest';
import type { CaptureNavigation } from '../../../contracts/class-channel/messages.ts';
import type { ClassActionRecord } from './class-history.ts';
import { captureToShow, showCapture, type CaptureShowDeps } from './shown-capture.ts';

const KEPT = 'AAAAAAAAAAAAAAAAAAAAAA';
const EXPIRED = 'BBBBBBBBBBBBBBBBBBBBBB';

function deps(): CaptureShowDeps & { delivered: Array<[string, CaptureNavigation]>; recorded: Array<[string, ClassActionRecord]>; asked: string[] } {
  const delivered: Array<[string, CaptureNavigation]> = [];
  const recorded: Array<[string, ClassActionRecord]> = [];
  const asked: string[] = [];
  return {
    delivered,
    recorded,
    asked,
    isLive: (id) => {
      asked.push(id);
      return id === KEPT;
    },
    deliver: async (code, navigation) => {
      delivered.push([code, navigation]);
    },
    history: {
      record: async (code, action) => {
        recorded.push([code, action]);
      },
    },
  };
}

describe('a shared capture on the class’s screens', () => {
  it('takes only an id of a shared capture’s shape that the server keeps', () => {
    const isLive = (id: string) => id === KEPT;
    expect(captureToShow(KEPT, isLive)).toEqual({ capture: KEPT });
    expect(captureToShow(EXPIRED, isLive)).toBeNull();
    for (const bad of [`${KEPT}A`, KEPT.slice(1), 'AAAAAAAAAAAAAAAAAAAAA=', '../../_wirelab/class', 42, null, undefined, { id: KEPT }]) {
      expect(captureToShow(bad, () => true)).toBeNull();
    }
  });

  it('delivers a kept capture to the class the tab leads and lists it in the board’s history', async () => {
    const ground = deps();
    expect(await showCapture(ground, 'K7FM3Q', KEPT)).toEqual({ type: 'capture-shown', capture: KEPT });
    expect(ground.delivered).toEqual([['K7FM3Q', { capture: KEPT }]]);
    expect(ground.recorded).toEqual([['K7FM3Q', { kind: 'capture-shown', capture: KEPT }]]);
  });

  it('refuses an unknown or expired capture, a bad id and a tab that leads no class, delivering nothing', async () => {
    const ground = deps();
    expect(await showCapture(ground, 'K7FM3Q', EXPIRED)).toEqual({ type: 'error', error: 'NO_SUCH_CAPTURE' });
    expect(await showCapture(ground, 'K7FM3Q', 'not/a/capture')).toEqual({ type: 'error', error: 'NO_SUCH_CAPTURE' });
    expect(await showCapture(ground, null, KEPT)).toEqual({ type: 'error', error: 'NO_SUCH_CAPTURE' });
    // an id of another shape never reaches the store
    expect(ground.asked).toEqual([EXPIRED]);
    expect(ground.delivered).toEqual([]);
    expect(ground.recorded).toEqual([]);
  });
});
