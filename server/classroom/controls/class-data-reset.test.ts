import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { resetStudentsData } from './class-data-reset.ts';

const socket = () => {
  const sent: string[] = [];
  return { sent, socket: { OPEN: 1, readyState: 1, send: (text: string) => sent.push(text) } as unknown as WebSocket };
};

describe('resetStudentsData', () => {
  it('resets each browser session once, tells each of its pages, and skips a channel without a cookie or a sandbox that fails', () => {
    const [tab1, tab2, noCookie, broken] = [socket(), socket(), socket(), socket()];
    const resets: string[] = [];
    const warnings: unknown[] = [];
    const count = resetStudentsData(
      [
        { socket: tab1.socket, session: 'anna' },
        { socket: tab2.socket, session: 'anna' },
        { socket: noCookie.socket, session: null },
        { socket: broken.socket, session: 'broken' },
      ],
      (id) => {
        if (id === 'broken') throw new Error('bad sandbox id');
        resets.push(id);
      },
      { warn: (fields: unknown) => void warnings.push(fields) } as never,
    );
    expect(count).toBe(1);
    expect(resets).toEqual(['anna']);
    expect(tab1.sent).toEqual(['{"type":"data-reset"}']);
    expect(tab2.sent).toEqual(['{"type":"data-reset"}']);
    expect(noCookie.sent).toEqual([]);
    expect(broken.sent).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
});
