import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorCodeName, FRAME_HEADER_BYTES, frameTypeName, readFrameHeader, readUint31, readUint32 } from '../../wire/http2/frames.ts';
import { CALM_SWEEP_MS, Http2AddressCalm, MAX_CALMING_ADDRESSES, MAX_HELD_REFUSALS, REFUSAL_AT_START, type CalmReport } from './h2-address-calm.ts';

const CALM_MS = 10_000;

function calmWith(reports: CalmReport[] = [], closeAfterMs = 250, holdMs = 0): Http2AddressCalm {
  return new Http2AddressCalm({ calmMs: CALM_MS, closeAfterMs, holdMs, onCalmEnded: (report) => reports.push(report) });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Http2AddressCalm', () => {
  it("sends a server's preface and nothing else: an empty SETTINGS frame, then GOAWAY with last stream 0 and ENHANCE_YOUR_CALM", () => {
    const settings = readFrameHeader(REFUSAL_AT_START, 0);
    expect({ type: frameTypeName(settings.type), length: settings.length, flags: settings.flags, streamId: settings.streamId }).toEqual({
      type: 'SETTINGS',
      length: 0,
      flags: 0,
      streamId: 0,
    });
    const goaway = readFrameHeader(REFUSAL_AT_START, FRAME_HEADER_BYTES);
    expect({ type: frameTypeName(goaway.type), length: goaway.length, streamId: goaway.streamId }).toEqual({ type: 'GOAWAY', length: 8, streamId: 0 });
    const payload = 2 * FRAME_HEADER_BYTES;
    expect(readUint31(REFUSAL_AT_START, payload)).toBe(0);
    expect(errorCodeName(readUint32(REFUSAL_AT_START, payload + 4))).toBe('ENHANCE_YOUR_CALM');
    expect(REFUSAL_AT_START.length).toBe(payload + goaway.length);
  });

  it('refuses an address for calmMs after one of its sessions was ended, and tells the sessions it refused once, as the calm ends', () => {
    vi.useFakeTimers();
    const reports: CalmReport[] = [];
    const calm = calmWith(reports);
    expect(calm.isCalming('10.0.0.7')).toBe(false);
    calm.startCalm('10.0.0.7');
    expect(calm.isCalming('10.0.0.7')).toBe(true);
    expect(calm.isCalming('10.0.0.8')).toBe(false);
    const sockets = Array.from({ length: 3 }, () => fakeSocket());
    for (const socket of sockets) calm.refuseAtStart(socket as unknown as Socket, '10.0.0.7');
    vi.advanceTimersByTime(CALM_MS - 1);
    expect(calm.isCalming('10.0.0.7')).toBe(true);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calm.isCalming('10.0.0.7')).toBe(false);
    vi.advanceTimersByTime(CALM_SWEEP_MS);
    expect(reports).toEqual([{ address: '10.0.0.7', sessionsRefusedAtStart: 3 }]);
    expect(calm.addresses).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a calm lengthened by another flooding session ends calmMs after that one, reported once; a calm that refused nothing is not reported', () => {
    vi.useFakeTimers();
    const reports: CalmReport[] = [];
    const calm = calmWith(reports);
    calm.startCalm('10.0.0.7');
    calm.startCalm('10.0.0.9');
    calm.refuseAtStart(fakeSocket() as unknown as Socket, '10.0.0.7');
    vi.advanceTimersByTime(CALM_MS / 2);
    calm.startCalm('10.0.0.7');
    vi.advanceTimersByTime(CALM_MS / 2);
    expect(calm.isCalming('10.0.0.7')).toBe(true);
    expect(calm.isCalming('10.0.0.9')).toBe(false);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(CALM_MS / 2 + CALM_SWEEP_MS);
    expect(calm.isCalming('10.0.0.7')).toBe(false);
    expect(reports).toEqual([{ address: '10.0.0.7', sessionsRefusedAtStart: 1 }]);
  });

  it('holds at most MAX_CALMING_ADDRESSES addresses: past it, a new address is not held back', () => {
    vi.useFakeTimers();
    const calm = calmWith();
    for (let i = 0; i < MAX_CALMING_ADDRESSES; i++) calm.startCalm(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(calm.addresses).toBe(MAX_CALMING_ADDRESSES);
    calm.startCalm('192.168.0.1');
    expect(calm.isCalming('192.168.0.1')).toBe(false);
    vi.advanceTimersByTime(CALM_MS + CALM_SWEEP_MS);
    expect(calm.addresses).toBe(0);
  });

  it('holds a refused connection holdMs, nothing read, before its refusal: a script that waits for it comes back that much later', () => {
    vi.useFakeTimers();
    const calm = calmWith([], 250, 1000);
    calm.startCalm('10.0.0.7');
    const socket = fakeSocket();
    calm.refuseAtStart(socket as unknown as Socket, '10.0.0.7');
    expect(socket).toMatchObject({ written: [], ended: false, paused: true, resumed: false });
    expect(calm.heldRefusals).toBe(1);
    vi.advanceTimersByTime(999);
    expect(socket.written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(socket).toMatchObject({ written: [REFUSAL_AT_START], ended: true, resumed: true, destroyed: false });
    expect(calm.heldRefusals).toBe(0);
    vi.advanceTimersByTime(250);
    expect(socket.destroyed).toBe(true);
  });

  it('holds at most MAX_HELD_REFUSALS connections at once: past it, a connection is refused at once', () => {
    vi.useFakeTimers();
    const calm = calmWith([], 250, 1000);
    calm.startCalm('10.0.0.7');
    const held = Array.from({ length: MAX_HELD_REFUSALS }, () => fakeSocket());
    for (const socket of held) calm.refuseAtStart(socket as unknown as Socket, '10.0.0.7');
    expect(held.every((socket) => socket.written.length === 0)).toBe(true);
    const past = fakeSocket();
    calm.refuseAtStart(past as unknown as Socket, '10.0.0.7');
    expect(past.written).toEqual([REFUSAL_AT_START]);
    vi.advanceTimersByTime(1000);
    expect(held.every((socket) => socket.written.length === 1)).toBe(true);
    expect(calm.heldRefusals).toBe(0);
  });

  it.each([0, 50])(
    'over a real connection (held %i ms): the client reads the refusal and the end, whatever it keeps sending; the server closes it',
    async (holdMs) => {
      const calm = calmWith([], 100, holdMs);
      const server = createServer((socket) => calm.refuseAtStart(socket, '127.0.0.1'));
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as { port: number };
      const client = connect({ host: '127.0.0.1', port });
      client.on('error', () => {});
      const received: Buffer[] = [];
      client.on('data', (chunk: Buffer) => received.push(chunk));
      await once(client, 'connect');
      // a flood's next frames, never parsed: read and dropped, so no TCP reset overtakes the GOAWAY
      client.write(Buffer.alloc(64 * 1024, 0x61));
      await once(client, 'end');
      expect(Buffer.concat(received)).toEqual(REFUSAL_AT_START);
      client.end();
      await once(client, 'close');
      server.close();
      await once(server, 'close');
    },
  );
});

/** What refuseAtStart touches of a socket, counted. */
function fakeSocket() {
  return {
    written: [] as Buffer[],
    ended: false,
    destroyed: false,
    paused: false,
    resumed: false,
    on() {},
    pause() {
      this.paused = true;
    },
    write(chunk: Buffer) {
      this.written.push(chunk);
      return true;
    },
    end() {
      this.ended = true;
    },
    resume() {
      this.resumed = true;
    },
    destroy() {
      this.destroyed = true;
    },
  };
}
