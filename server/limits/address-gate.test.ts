import { afterEach, describe, expect, it, vi } from 'vitest';
import { AddressGate, PACING_REPORT_MS, type PacedConnection, type PacingReport } from './address-gate.ts';
import { clientLimitsFromEnv, DEFAULT_CLIENT_LIMITS, withClientLimits } from './client-limits.ts';

class FakeConnection implements PacedConnection {
  paused = false;
  destroyed = false;
  heldBytes = 0;
  pauseInput(): void {
    this.paused = true;
  }
  resumeInput(): void {
    this.paused = false;
  }
}

// (a share of a turn no test of the buckets reaches: those spend many times in one turn)
const limits = {
  connectionsPerAddress: 3,
  requestsPerAddress: 4,
  bytesPerAddress: 20_000,
  bytesBurstPerAddress: 10_000,
  readsPerTurnPerAddress: 1_000,
  windowMs: 4_000,
};

afterEach(() => {
  vi.useRealTimers();
});

describe('AddressGate', () => {
  it('closes a connection at accept past the address maximum; another address and a released slot are admitted', () => {
    const gate = new AddressGate(limits);
    const releases = [1, 2, 3].map(() => gate.admitConnection('10.0.0.7'));
    expect(releases.every(Boolean)).toBe(true);
    expect(gate.admitConnection('::ffff:10.0.0.7')).toBeNull();
    expect(gate.pace('10.0.0.7')).toMatchObject({ connections: 3, refusedConnectionsSoFar: 1 });
    expect(gate.admitConnection('10.0.0.8')).not.toBeNull();
    releases[0]!();
    releases[0]!();
    expect(gate.pace('10.0.0.7').connections).toBe(2);
    expect(gate.admitConnection('10.0.0.7')).not.toBeNull();
  });

  it('pauses the connection that overspends its address requests, and resumes paused connections oldest first as tokens refill', () => {
    vi.useFakeTimers();
    const gate = new AddressGate(limits, () => Date.now());
    const [first, second, elsewhere] = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
    for (let i = 0; i < 4; i++) gate.spendRequest('10.0.0.7', first);
    expect(first.paused).toBe(false);
    gate.spendRequest('10.0.0.7', first);
    gate.spendRequest('10.0.0.7', second);
    expect([first.paused, second.paused]).toEqual([true, true]);
    // another address has its own buckets
    for (let i = 0; i < 4; i++) gate.spendRequest('10.0.0.8', elsewhere);
    expect(elsewhere.paused).toBe(false);
    expect(gate.pace('10.0.0.7')).toMatchObject({ paused: 2, pausesSoFar: 2 });
    // owing 2 requests at 1 per second: the first is resumed once a whole token is back, then the second
    vi.advanceTimersByTime(3_000);
    expect([first.paused, second.paused]).toEqual([false, true]);
    vi.advanceTimersByTime(1_000);
    expect([first.paused, second.paused]).toEqual([false, false]);
    expect(gate.pace('10.0.0.7').paused).toBe(0);
  });

  it('resumes paused connections one a turn of the event loop, so that other addresses are read between them', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    let now = 0;
    const gate = new AddressGate(limits, () => now);
    const held = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
    for (let i = 0; i < 4; i++) gate.spendRequest('10.0.0.7', held[0]!);
    for (const connection of held) gate.spendRequest('10.0.0.7', connection);
    expect(held.map((c) => c.paused)).toEqual([true, true, true]);
    // by the time the resume timer runs, the buckets have room for all three …
    now = 60_000;
    vi.advanceTimersToNextTimer();
    // … yet it resumes the oldest only, and each next one in a callback of its own (an immediate: after the loop's reads)
    expect(held.map((c) => c.paused)).toEqual([false, true, true]);
    vi.advanceTimersToNextTimer();
    expect(held.map((c) => c.paused)).toEqual([false, false, true]);
    vi.advanceTimersToNextTimer();
    expect(held.map((c) => c.paused)).toEqual([false, false, false]);
    expect(gate.pace('10.0.0.7').paused).toBe(0);
  });

  it('gives an address its share of reads a turn of the event loop; the rest wait, resumed one a turn, while other addresses are read', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    const gate = new AddressGate({ ...limits, requestsPerAddress: 100, readsPerTurnPerAddress: 2 }, () => 0);
    const flood = [1, 2, 3, 4].map(() => new FakeConnection());
    const [student, classmate] = [new FakeConnection(), new FakeConnection()];
    // one turn: the flood's four reads, a student's and a classmate's (one NAT address) among them
    expect(flood.slice(0, 3).map((c) => gate.spendBytes('10.0.0.7', c, 100))).toEqual([false, false, true]);
    expect(gate.spendBytes('10.0.0.8', student, 100)).toBe(false);
    expect(gate.spendBytes('10.0.0.7', flood[3]!, 100)).toBe(true);
    expect(gate.spendBytes('10.0.0.8', classmate, 100)).toBe(false);
    expect(flood.map((c) => c.paused)).toEqual([false, false, true, true]);
    expect([student.paused, classmate.paused]).toEqual([false, false]);
    // waiting for a turn is not a pause of the pace: nothing reported, no bucket short
    expect(gate.pace('10.0.0.7')).toMatchObject({ paused: 2, pausesSoFar: 0 });
    // after the turn's reads, the oldest waiting one is resumed, and counts as a read of the next turn …
    vi.runOnlyPendingTimers();
    expect(flood.map((c) => c.paused)).toEqual([false, false, false, true]);
    expect(gate.spendBytes('10.0.0.7', flood[0]!, 100)).toBe(false);
    expect(gate.spendBytes('10.0.0.7', flood[1]!, 100)).toBe(true);
    // … the next one a turn later, with the one that waited meanwhile after it
    vi.runOnlyPendingTimers();
    expect(flood.map((c) => c.paused)).toEqual([false, true, false, false]);
    vi.runOnlyPendingTimers();
    expect(flood.map((c) => c.paused)).toEqual([false, false, false, false]);
    expect(gate.pace('10.0.0.7').paused).toBe(0);
    // a read of a connection closed meanwhile is not waited for, and the server closing reads everything at once
    const closed = new FakeConnection();
    closed.destroyed = true;
    for (const connection of [...flood, closed]) gate.spendBytes('10.0.0.7', connection, 100);
    expect(gate.pace('10.0.0.7').paused).toBe(3);
    gate.close();
    expect(flood.map((c) => c.paused)).toEqual([false, false, false, false]);
    expect(gate.spendBytes('10.0.0.7', flood[0]!, 100)).toBe(false);
  });

  it('pauses on bytes past the burst (smaller than a window), a tiny chunk costing at least 256 bytes; a closed connection waits no more', () => {
    vi.useFakeTimers();
    const gate = new AddressGate(limits, () => Date.now());
    const uploader = new FakeConnection();
    gate.spendBytes('10.0.0.9', uploader, 9_000);
    expect(uploader.paused).toBe(false);
    for (let i = 0; i < 4; i++) gate.spendBytes('10.0.0.9', uploader, 1);
    expect(uploader.paused).toBe(true);
    // 24 bytes owed, refilled at 5 a millisecond (20 000 per 4 s)
    vi.advanceTimersByTime(10);
    expect(uploader.paused).toBe(false);
    // the burst holds 10 000 bytes however long the address was quiet
    vi.advanceTimersByTime(60_000);
    gate.spendBytes('10.0.0.9', uploader, 10_001);
    expect(uploader.paused).toBe(true);
    // what its paused connections read and have not parsed is counted (TapSocket keeps pipelined requests)
    uploader.heldBytes = 300;
    expect(gate.pace('10.0.0.9')).toMatchObject({ paused: 1, heldBytes: 300 });
    uploader.destroyed = true;
    gate.forget('10.0.0.9', uploader);
    expect(gate.pace('10.0.0.9')).toMatchObject({ paused: 0, heldBytes: 0 });
  });

  it('reports pauses and refusals aggregated, one entry per address per period', () => {
    vi.useFakeTimers();
    const gate = new AddressGate(limits, () => Date.now());
    const reports: PacingReport[][] = [];
    gate.reportTo((batch) => reports.push(batch));
    const connection = new FakeConnection();
    for (let i = 0; i < 50; i++) {
      gate.spendRequest('10.0.0.7', connection);
      connection.resumeInput();
      gate.forget('10.0.0.7', connection);
    }
    for (let i = 0; i < 5; i++) gate.admitConnection('10.0.0.7');
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(PACING_REPORT_MS);
    expect(reports).toEqual([[{ address: '10.0.0.7', pauses: 46, refusedConnections: 2 }]]);
    gate.close();
  });

  it('reads its numbers from LIMIT_CONNECTIONS_PER_ADDRESS, LIMIT_PACED_REQUESTS_PER_ADDRESS, LIMIT_PACED_BYTES_PER_ADDRESS, LIMIT_PACED_BYTES_BURST_PER_ADDRESS, LIMIT_PACED_READS_PER_TURN_PER_ADDRESS', () => {
    const fromEnv = clientLimitsFromEnv({
      LIMIT_CONNECTIONS_PER_ADDRESS: '300',
      LIMIT_PACED_REQUESTS_PER_ADDRESS: '5000',
      LIMIT_PACED_BYTES_PER_ADDRESS: '1048576',
      LIMIT_PACED_BYTES_BURST_PER_ADDRESS: '65536',
      LIMIT_PACED_READS_PER_TURN_PER_ADDRESS: '8',
    });
    expect(fromEnv.pacing).toEqual({
      connectionsPerAddress: 300,
      requestsPerAddress: 5000,
      bytesPerAddress: 1_048_576,
      bytesBurstPerAddress: 65_536,
      readsPerTurnPerAddress: 8,
      windowMs: DEFAULT_CLIENT_LIMITS.pacing.windowMs,
    });
    expect(() => clientLimitsFromEnv({ LIMIT_PACED_REQUESTS_PER_ADDRESS: '0' })).toThrow(/LIMIT_PACED_REQUESTS_PER_ADDRESS/);
    expect(withClientLimits({ pacing: { requestsPerAddress: 7 } }).pacing).toMatchObject({ requestsPerAddress: 7, connectionsPerAddress: 1024 });
  });
});
