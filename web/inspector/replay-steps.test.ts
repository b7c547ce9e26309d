import { describe, expect, it } from 'vitest';
import { moveOfKey, moveStep, replaySteps, selectionOfFragment, stepFragment, targetOfFragment, type ReplayStep } from './replay-steps.ts';

const view = (id: string, exchanges: Array<[number, number]>, messages: Array<[number, number, string]>) => ({
  connection: { id, transport: 'http/1.1' as const, remote: '', local: '', openedAt: 0 },
  exchanges: exchanges.map(([index, at]) => ({ index, request: { firstByteAt: at } })) as never,
  messages: messages.map(([index, at, layer]) => ({ conn: id, index, at, layer, dir: 'out', range: { start: index * 10, end: index * 10 + 9 } })) as never,
});

describe('replay steps', () => {
  const steps = replaySteps([
    view(
      'c1',
      [[0, 10]],
      [
        [0, 30, 'h2-frame'],
        [1, 31, 'grpc-message'],
      ],
    ),
    view('c2', [[0, 20]], [[0, 5, 'ws-frame']]),
  ]);

  it('puts every exchange and message of every connection in time order', () => {
    expect(steps.map((step) => [step.selection, step.at])).toEqual([
      [{ conn: 'c2', message: { layer: 'ws-frame', dir: 'out', start: 0 } }, 5],
      [{ conn: 'c1', index: 0 }, 10],
      [{ conn: 'c2', index: 0 }, 20],
      [{ conn: 'c1', message: { layer: 'h2-frame', dir: 'out', start: 0 } }, 30],
      [{ conn: 'c1', message: { layer: 'grpc-message', dir: 'out', start: 10 } }, 31],
    ]);
  });

  it('steps frame by frame and message by message, forwards and back, and stops at the ends', () => {
    const at = (list: ReplayStep[], i: number) => list[i]!.selection;
    expect(at(steps, moveStep(steps, -1, 'next'))).toEqual({ conn: 'c2', message: { layer: 'ws-frame', dir: 'out', start: 0 } });
    expect(moveStep(steps, 2, 'next')).toBe(3);
    expect(moveStep(steps, 2, 'next-message')).toBe(4); // the HTTP/2 frame is skipped
    expect(moveStep(steps, 4, 'previous-message')).toBe(2);
    expect(moveStep(steps, 4, 'next')).toBe(4);
    expect(moveStep(steps, 0, 'previous')).toBe(0);
    expect(moveStep(steps, 2, 'first')).toBe(0);
    expect(moveStep(steps, 0, 'last')).toBe(4);
    expect(moveStep([], -1, 'next')).toBe(-1);
  });

  it('reads its keys', () => {
    expect(['.', ',', '>', '<', 'Home', 'End', 'a'].map(moveOfKey)).toEqual(['next', 'previous', 'next-message', 'previous-message', 'first', 'last', null]);
  });

  it('names one step in a URL fragment and reads it back', () => {
    for (const selection of [
      { conn: 'c2', message: { layer: 'h2-frame', dir: 'out' as const, start: 1234 } },
      { conn: 'r1-c2', message: { layer: 'grpc-message', dir: 'in' as const, start: 0 } },
      { conn: 'r1-c1', index: 0 },
      { conn: 'c3', note: 2 },
    ])
      expect(selectionOfFragment(stepFragment(selection))).toEqual(selection);
    expect(stepFragment({ conn: 'c2', message: { layer: 'h2-frame', dir: 'out', start: 1234 } })).toBe('#insp=c2.out.h2-frame.1234');
    expect(selectionOfFragment('#insp=c1.q1')).toBeNull();
    expect(selectionOfFragment('#insp=c1.up.h2-frame.3')).toBeNull();
    // a link written when messages were named by their number on the connection: looked up once the capture shows it
    expect(targetOfFragment('#insp=c2.m14')).toEqual({ conn: 'c2', messageIndex: 14 });
    expect(selectionOfFragment('#intro')).toBeNull();
  });
});
