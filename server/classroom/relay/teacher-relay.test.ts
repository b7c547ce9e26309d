import { describe, expect, it } from 'vitest';
import type { CapturedChunk, ConnectionInfo } from '../../tap/capture-types.ts';
import { RelayReplay } from './teacher-relay.ts';

const conn = (id: string): ConnectionInfo => ({ id, transport: 'http/1.1', remote: '127.0.0.1:5000', local: '127.0.0.1:8080', openedAt: 1 });
const chunk = (connId: string, seq: number, bytes: number): CapturedChunk => ({
  conn: connId,
  seq,
  dir: 'in',
  t: seq,
  offset: seq * bytes,
  data: Buffer.alloc(bytes, seq),
});

describe('RelayReplay', () => {
  it('has nothing to replay until a relay starts', () => {
    const replay = new RelayReplay();
    replay.apply([{ type: 'chunks', chunks: [chunk('c1', 0, 4)] }]);
    expect(replay.started).toBe(false);
  });

  it('replays the connections that still have bytes kept, the last bytes, and what closed', () => {
    const replay = new RelayReplay(10);
    replay.apply([
      { type: 'reset', instance: 'p1' },
      { type: 'connection', conn: conn('old') },
      { type: 'chunks', chunks: [chunk('old', 0, 6)] },
      { type: 'closed', conn: 'old', t: 5 },
      { type: 'connection', conn: conn('new') },
      { type: 'chunks', chunks: [chunk('new', 1, 6), chunk('new', 2, 4)] },
      { type: 'connection-update', conn: { ...conn('new'), shared: true } },
    ]);
    // 16 bytes came, 10 are kept: the old connection's chunk is gone, and with it the connection
    expect(replay.replay()).toEqual([
      { type: 'reset', instance: 'p1' },
      { type: 'connection', conn: { ...conn('new'), shared: true } },
      { type: 'chunks', chunks: [chunk('new', 1, 6), chunk('new', 2, 4)] },
    ]);
    replay.apply([{ type: 'closed', conn: 'new', t: 9 }]);
    expect(replay.replay().at(-1)).toEqual({ type: 'closed', conn: 'new', t: 9 });
  });

  it('starts afresh on a reset (a new teacher session, or the teacher leads from another instance), naming its process', () => {
    const replay = new RelayReplay();
    replay.apply([
      { type: 'reset', instance: 'p1' },
      { type: 'connection', conn: conn('c1') },
      { type: 'chunks', chunks: [chunk('c1', 0, 4)] },
    ]);
    replay.apply([{ type: 'reset', instance: 'p2' }]);
    // a follower joining now keeps what it had of p1 apart: p2's c1 is another connection
    expect(replay.replay()).toEqual([{ type: 'reset', instance: 'p2' }]);
  });
});
