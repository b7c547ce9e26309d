import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { Board } from '../../../contracts/class-channel/messages.ts';
import { BoardPushes } from './board-pushes.ts';

const socket = () => {
  const sent: Array<{ type: string }> = [];
  return { sent, socket: { OPEN: 1, readyState: 1, send: (text: string) => sent.push(JSON.parse(text) as { type: string }) } as unknown as WebSocket };
};
const board = (code: string): Board => ({
  code,
  title: 'A',
  now: 0,
  status: { endedMs: null, notice: null, timer: null, assignment: null, frozenMs: null },
  members: [],
  history: [],
});
const log = { warn: () => {} };

describe('BoardPushes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one board for a burst of changes, and builds again for a change that came during a build', async () => {
    let release: () => void = () => {};
    const builds: string[] = [];
    const pushes = new BoardPushes(async (code) => {
      builds.push(code);
      if (builds.length === 2) await new Promise<void>((resolve) => (release = resolve));
      return board(code);
    }, log);
    const teacher = socket();
    pushes.watch('K7FM3Q', teacher.socket);
    pushes.changed('K7FM3Q');
    pushes.changed('K7FM3Q');
    pushes.changed('NOBODY');
    await vi.advanceTimersByTimeAsync(200);
    expect(builds).toEqual(['K7FM3Q']);
    expect(teacher.sent.map((message) => message.type)).toEqual(['board']);

    pushes.changed('K7FM3Q');
    await vi.advanceTimersByTimeAsync(200);
    pushes.changed('K7FM3Q'); // while the second build waits
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(builds).toHaveLength(3);
    expect(teacher.sent).toHaveLength(3);
  });

  it('tells the watchers of a deleted class, and pushes nothing once stopped or unwatched', async () => {
    const pushes = new BoardPushes(async (code) => board(code), log);
    const [a, b] = [socket(), socket()];
    pushes.watch('K7FM3Q', a.socket);
    pushes.watch('ZZZZZZ', b.socket);
    pushes.deleted('K7FM3Q');
    expect(a.sent).toEqual([{ type: 'class-deleted', code: 'K7FM3Q' }]);
    pushes.unwatch('ZZZZZZ', b.socket);
    pushes.changed('ZZZZZZ');
    pushes.watch('ZZZZZZ', b.socket);
    pushes.stop();
    pushes.changed('ZZZZZZ');
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.sent).toEqual([]);
  });
});
