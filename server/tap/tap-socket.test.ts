// TapSocket.writeDirect against a real loopback connection: what the observer records is what the
// peer reads, in the order written, and a full socket says so and drains.
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TapSocket } from './tap-socket.ts';

const opened: Socket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
});

/** A connected pair on loopback: the server's end (to be tapped) and the peer's. */
async function socketPair(): Promise<{ served: Socket; peer: Socket }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const peer = connect(port, '127.0.0.1');
  const [served] = await accepted;
  server.close();
  opened.push(served, peer);
  return { served, peer };
}

function recorder(tapped: TapSocket): Buffer[] {
  const outbound: Buffer[] = [];
  tapped.observer = { inbound() {}, outbound: (chunk) => outbound.push(Buffer.from(chunk)), closed() {} };
  return outbound;
}

describe('TapSocket.writeDirect', () => {
  it('records and sends the bytes, behind whatever the queue still holds', async () => {
    const { served, peer } = await socketPair();
    const tapped = new TapSocket(served);
    const outbound = recorder(tapped);
    const received: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => received.push(chunk));
    tapped.writeDirect(Buffer.from('one '));
    tapped.cork();
    tapped.write(Buffer.from('two '));
    // the queue holds "two": "three" must not overtake it
    tapped.writeDirect(Buffer.from('three'));
    tapped.uncork();
    while (Buffer.concat(received).length < 'one two three'.length) await once(peer, 'data');
    expect(Buffer.concat(received).toString()).toBe('one two three');
    expect(Buffer.concat(outbound).toString()).toBe('one two three');
  });

  it('answers false when the socket is full and emits drain once the peer reads again', async () => {
    const { served, peer } = await socketPair();
    const tapped = new TapSocket(served);
    const outbound = recorder(tapped);
    peer.pause();
    const chunk = Buffer.alloc(256 * 1024, 7);
    let sent = 0;
    // the kernel's buffers take some; the socket's own queue past its mark says "full"
    for (let i = 0; i < 1000 && tapped.writeDirect(chunk); i++) sent += chunk.length;
    sent += chunk.length;
    const drained = once(tapped, 'drain');
    let read = 0;
    peer.on('data', (data: Buffer) => (read += data.length));
    peer.resume();
    await drained;
    while (read < sent) await once(peer, 'data');
    expect(read).toBe(sent);
    expect(outbound.reduce((sum, piece) => sum + piece.length, 0)).toBe(sent);
  });
});
