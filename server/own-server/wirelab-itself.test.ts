import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ChecksArrivingBack, markedUnique, noWirelabHere, RUN_MARK_HEADER, runMarkHeader, webSocketKeyOf, wirelabItselfTest } from './wirelab-itself.ts';

describe('is the peer Wirelab itself', () => {
  it('bound to one address: that address and port only, in any spelling of it', () => {
    const isWirelab = wirelabItselfTest(() => ({ address: '127.0.0.1', family: 'IPv4', port: 8080 }));
    expect(isWirelab({ address: '127.0.0.1', port: 8080 })).toBe(true);
    expect(isWirelab({ address: '::ffff:127.0.0.1', port: 8080 })).toBe(true);
    expect(isWirelab({ address: '127.0.0.1', port: 8000 })).toBe(false);
    expect(isWirelab({ address: '127.0.0.2', port: 8080 })).toBe(false);
  });

  it('bound to every address: any loopback address or an address of this machine at that port', () => {
    const isWirelab = wirelabItselfTest(() => ({ address: '::', family: 'IPv6', port: 8080 }));
    expect(isWirelab({ address: '127.0.0.2', port: 8080 })).toBe(true);
    expect(isWirelab({ address: '::1', port: 8080 })).toBe(true);
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && !entry.internal);
    if (lan) expect(isWirelab({ address: lan.address, port: 8080 })).toBe(true);
    expect(isWirelab({ address: '192.0.2.1', port: 8080 })).toBe(false);
    expect(isWirelab({ address: '::1', port: 8081 })).toBe(false);
  });

  it('not listening (before listen, a socket file, the command line): nothing is Wirelab', () => {
    expect(wirelabItselfTest(() => null)({ address: '127.0.0.1', port: 8080 })).toBe(false);
    expect(wirelabItselfTest(() => '/tmp/wirelab.sock')({ address: '127.0.0.1', port: 8080 })).toBe(false);
    expect(noWirelabHere({ address: '127.0.0.1', port: 8080 })).toBe(false);
  });
});

describe('a run’s own requests arriving back at Wirelab', () => {
  it('is noticed by its mark only, while the run lasts; another run and an unmarked request change nothing', async () => {
    const arriving = new ChecksArrivingBack();
    const run = await arriving.begin();
    const other = await arriving.begin();
    expect(runMarkHeader({ runMark: run.mark })).toEqual({ [RUN_MARK_HEADER]: run.mark });
    expect(runMarkHeader({})).toEqual({});
    arriving.noticed({ host: 'localhost' });
    arriving.noticed({ [RUN_MARK_HEADER]: 'a-mark-of-no-run-here' });
    expect(run.arrivedBack()).toBe(false);
    arriving.noticed({ [RUN_MARK_HEADER]: run.mark });
    expect(run.arrivedBack()).toBe(true);
    expect(other.arrivedBack()).toBe(false);
    await other.end();
    arriving.noticed({ [RUN_MARK_HEADER]: other.mark });
    expect(other.arrivedBack()).toBe(false);
  });

  it('finds the mark in the bytes a connection reads — cut between reads, a byte at a time, or as a WebSocket key — and only while the run lasts', async () => {
    const arriving = new ChecksArrivingBack();
    const body = (run: { mark: string }) =>
      Buffer.from(`POST /api/v1/users HTTP/1.1\r\n\r\n{"email":"wirelab-check-a-${markedUnique({ runMark: run.mark })}@example.com"}`);
    const whole = await arriving.begin();
    arriving.noticedBytes({}, Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(whole.arrivedBack()).toBe(false);
    arriving.noticedBytes({}, body(whole));
    expect(whole.arrivedBack()).toBe(true);

    const cut = await arriving.begin();
    const connection = {};
    const bytes = body(cut);
    const at = bytes.indexOf(cut.mark) + 5;
    arriving.noticedBytes(connection, bytes.subarray(0, at));
    expect(cut.arrivedBack()).toBe(false);
    arriving.noticedBytes(connection, bytes.subarray(at));
    expect(cut.arrivedBack()).toBe(true);

    const trickle = await arriving.begin();
    const slow = {};
    for (const byte of body(trickle)) arriving.noticedBytes(slow, Buffer.from([byte]));
    expect(trickle.arrivedBack()).toBe(true);

    const handshake = await arriving.begin();
    const key = webSocketKeyOf({ runMark: handshake.mark });
    expect(Buffer.from(key, 'base64')).toHaveLength(16);
    arriving.noticedBytes({}, Buffer.from(`GET /ws/echo HTTP/1.1\r\nSec-WebSocket-Key: ${key}\r\n\r\n`));
    expect(handshake.arrivedBack()).toBe(true);

    const ended = await arriving.begin();
    const late = body(ended);
    await ended.end();
    arriving.noticedBytes({}, late);
    expect(ended.arrivedBack()).toBe(false);
  });

  it('without a mark (the command line) the values are random alone', () => {
    expect(markedUnique({})).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(webSocketKeyOf({}), 'base64')).toHaveLength(16);
  });

  it('with other instances: watches for their runs and tells them once; its own run counts what another saw', async () => {
    const arriving = new ChecksArrivingBack();
    const told: string[] = [];
    arriving.watchForeign('0123456789ab', (mark) => told.push(mark));
    arriving.noticedBytes({}, Buffer.from('{"email":"wirelab-check-a-0123456789abcdef0011@example.com"}'));
    expect(told).toEqual([]);
    const theirs = { runMark: '0123456789ab' };
    arriving.noticedBytes({}, Buffer.from(`{"email":"wirelab-check-a-${markedUnique(theirs)}@example.com"}`));
    arriving.noticedBytes({}, Buffer.from(`GET /ws HTTP/1.1\r\nSec-WebSocket-Key: ${webSocketKeyOf(theirs)}\r\n\r\n`));
    expect(told).toEqual(['0123456789ab']);

    const seenElsewhere = new Set<string>();
    arriving.bus = { began: async (mark) => void seenElsewhere.add(mark), ended: async (mark) => seenElsewhere.has(mark) };
    const run = await arriving.begin();
    expect(run.arrivedBack()).toBe(false);
    await run.end();
    expect(run.arrivedBack()).toBe(true);
    // Redis unreachable: the run goes on, seen here alone
    arriving.bus = { began: () => Promise.reject(new Error('down')), ended: () => Promise.reject(new Error('down')) };
    const alone = await arriving.begin();
    await alone.end();
    expect(alone.arrivedBack()).toBe(false);
  });
});
