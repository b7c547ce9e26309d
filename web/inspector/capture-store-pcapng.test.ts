import { describe, expect, it } from 'vitest';
import { readFixture } from '../../wire/fixtures/read-fixture.ts';
import { parseEndpoint } from '../../wire/pcapng/tcp-packets.ts';
import { CaptureStore, type SocketLike } from './capture-store.ts';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(): void {}
  close(): void {}
  deliver(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

function storeWith(names: string[]) {
  const socket = new FakeSocket();
  const store = new CaptureStore({ url: 'ws://example.test/_wirelab/tap', socketFactory: () => socket });
  store.connect();
  socket.onopen?.({});
  socket.deliver({ type: 'hello', recording: true });
  const fixtures = names.map((name) => readFixture(name).fixture);
  for (const fixture of fixtures) {
    for (const conn of fixture.connections) socket.deliver({ type: 'connection', conn });
    socket.deliver({ type: 'chunks', chunks: fixture.chunks });
  }
  return { store, fixtures };
}

/** TCP payloads per client port and direction, read back from the file's Enhanced Packet Blocks (IPv4). */
function payloads(file: Uint8Array): Map<string, Buffer> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const found = new Map<string, Buffer>();
  for (let at = 0; at < file.length; at += view.getUint32(at + 4, true)) {
    if (view.getUint32(at, true) !== 6) continue;
    const length = view.getUint32(at + 20, true);
    const frame = Buffer.from(file.subarray(at + 28, at + 28 + length));
    expect(frame.readUInt16BE(12)).toBe(0x0800);
    const tcp = frame.subarray(34);
    const [source, destination] = [tcp.readUInt16BE(0), tcp.readUInt16BE(2)];
    const key = source < destination ? `${destination} out` : `${source} in`;
    found.set(key, Buffer.concat([found.get(key) ?? Buffer.alloc(0), tcp.subarray((tcp[12] >> 4) * 4)]));
  }
  return found;
}

function fixtureBytes(chunks: Array<{ dir: string; offset: number; data: string }>, dir: 'in' | 'out'): Buffer {
  return Buffer.concat(
    chunks
      .filter((chunk) => chunk.dir === dir)
      .sort((a, b) => a.offset - b.offset)
      .map((chunk) => Buffer.from(chunk.data, 'base64')),
  );
}

describe('CaptureStore.toPcapng', () => {
  it('writes the named connection only, its payloads exactly the recorded bytes', () => {
    const { store, fixtures } = storeWith(['curl-keep-alive', 'curl-get']);
    const [keepAlive] = fixtures;
    const conn = keepAlive.connections[0];
    const port = parseEndpoint(conn.remote)!.port;
    const found = payloads(store.toPcapng([conn.id]));
    expect([...found.keys()].sort()).toEqual([`${port} in`, `${port} out`]);
    expect(found.get(`${port} in`)!.equals(fixtureBytes(keepAlive.chunks, 'in'))).toBe(true);
    expect(found.get(`${port} out`)!.equals(fixtureBytes(keepAlive.chunks, 'out'))).toBe(true);
  });

  it('writes every connection of the session when none is named', () => {
    const { store, fixtures } = storeWith(['curl-keep-alive', 'curl-get']);
    const found = payloads(store.toPcapng());
    const ports = fixtures.map((fixture) => parseEndpoint(fixture.connections[0].remote)!.port);
    expect(new Set([...found.keys()].map((key) => Number(key.split(' ')[0])))).toEqual(new Set(ports));
  });
});
