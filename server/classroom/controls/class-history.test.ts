import { describe, expect, it } from 'vitest';
import type { ClassAction } from '../../../contracts/class-channel/messages.ts';
import { ClassHistory } from './class-history.ts';

describe('the board’s history', () => {
  it('keeps an action with its time before the board is built again', async () => {
    const steps: string[] = [];
    const kept: Array<[string, ClassAction]> = [];
    const history = new ClassHistory(
      {
        recordAction: async (code, action) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          kept.push([code, action]);
          steps.push('kept');
        },
      },
      (code) => steps.push(`changed ${code}`),
    );
    await history.record('ABCDEF', { kind: 'renamed', from: 'Anna', text: 'Anna K.' }, 1234);
    expect(kept).toEqual([['ABCDEF', { ms: 1234, kind: 'renamed', from: 'Anna', text: 'Anna K.' }]]);
    expect(steps).toEqual(['kept', 'changed ABCDEF']);
  });
});
