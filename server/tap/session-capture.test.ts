import { describe, expect, it } from 'vitest';
import type { CaptureMessage, ConnectionInfo } from './capture-types.ts';
import { defaultCaptureLimits } from './capture-hub.ts';
import { RingSlabs } from './ring-slabs.ts';
import { SessionCapture } from './session-capture.ts';

const connection = (id: string, more: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
  id,
  transport: 'http/1.1',
  remote: '10.0.0.2:50000',
  local: '10.0.0.1:8080',
  openedAt: 1000,
  ...more,
});

function sessionOf(): SessionCapture {
  return new SessionCapture(defaultCaptureLimits, { held: () => {} }, new RingSlabs());
}

function replay(capture: SessionCapture): string[] {
  const messages: CaptureMessage[] = [];
  capture.subscribe({ deliver: (batch) => messages.push(...batch) });
  return messages.flatMap((m) => {
    if (m.type === 'connection') return [`connection ${m.conn.id}${m.conn.shared ? ' shared' : ''}`];
    if (m.type === 'chunk') return [`chunk ${m.chunk.conn}:${m.chunk.data.toString()}`];
    if (m.type === 'closed') return [`closed ${m.conn}`];
    return [];
  });
}

let seq = 0;
const chunk = (conn: string, text: string) => ({ conn, seq: ++seq, dir: 'in' as const, t: 2000 + seq, offset: 0, data: Buffer.from(text) });

describe('SessionCapture: the connections a session was shown', () => {
  it('replays them in the order first shown, a later description of one in its place, closed ones only while their bytes are kept', () => {
    const capture = sessionOf();
    capture.addConnection(connection('c1'));
    capture.addConnection(connection('c2'));
    capture.addConnection(connection('c3'));
    capture.record(chunk('c2', 'two'));
    capture.addConnection(connection('c1', { shared: true }));
    const closed = { ...connection('c3'), closedAt: 3000 };
    capture.closeConnection(closed);
    capture.addConnection(closed);
    expect(replay(capture)).toEqual(['connection c1 shared', 'connection c2', 'chunk c2:two']);
    expect(capture.captured().connections.map((info) => info.id)).toEqual(['c1', 'c2']);
  });

  it('forgets the closed ones on clear and keeps the open ones in their order, whichever was first', () => {
    const capture = sessionOf();
    capture.addConnection({ ...connection('c1'), closedAt: 3000 });
    capture.addConnection(connection('c2'));
    capture.addConnection({ ...connection('c3'), closedAt: 3000 });
    capture.addConnection(connection('c4'));
    capture.record(chunk('c1', 'one'));
    capture.clear();
    expect(capture.captured()).toEqual({ connections: [connection('c2'), connection('c4')], chunks: [] });
    capture.addConnection(connection('c5'));
    capture.addConnection(connection('c2', { shared: true }));
    expect(replay(capture)).toEqual(['connection c2 shared', 'connection c4', 'connection c5']);
  });

  it('one connection alone, replaced and cleared', () => {
    const capture = sessionOf();
    capture.addConnection(connection('c7'));
    capture.record(chunk('c7', 'GET /ws/echo'));
    capture.addConnection(connection('c7', { shared: true }));
    expect(replay(capture)).toEqual(['connection c7 shared', 'chunk c7:GET /ws/echo']);
    capture.addConnection({ ...connection('c7'), closedAt: 3000 });
    capture.clear();
    expect(capture.captured()).toEqual({ connections: [], chunks: [] });
  });
});

describe('SessionCapture: connections that are gone', () => {
  it('forgets closed connections whose bytes left the ring once they pile up, never an open one or one with bytes kept', () => {
    const capture = new SessionCapture({ ...defaultCaptureLimits, ringChunks: 10 }, { held: () => {} }, new RingSlabs());
    capture.addConnection(connection('open'));
    capture.record(chunk('open', 'first'));
    let most = 0;
    for (let n = 0; n < 1000; n++) {
      const info = connection(`curl${n}`);
      capture.addConnection(info);
      capture.record(chunk(info.id, `request ${n}`));
      info.closedAt = 3000 + n;
      capture.closeConnection(info);
      most = Math.max(most, capture.connectionCount);
    }
    expect(most).toBeLessThanOrEqual(64);
    // What a browser is shown is what it was before: the open connection, and the closed ones whose bytes the ring keeps.
    const lastTen = Array.from({ length: 10 }, (_, i) => `curl${990 + i}`);
    expect(capture.captured().connections.map((info) => info.id)).toEqual(['open', ...lastTen]);
    expect(replay(capture).filter((line) => line.startsWith('connection'))).toEqual(['connection open', ...lastTen.map((id) => `connection ${id}`)]);
  });

  it('keeps them all while their bytes are kept, however many', () => {
    const capture = sessionOf();
    for (let n = 0; n < 300; n++) {
      const info = connection(`c${n}`);
      capture.addConnection(info);
      capture.record(chunk(info.id, `bytes ${n}`));
      info.closedAt = 3000 + n;
      capture.closeConnection(info);
    }
    expect(capture.connectionCount).toBe(300);
    expect(capture.captured().connections).toHaveLength(300);
  });
});
