// TapSocket against a real loopback connection. writeDirect: what the observer records is what the
// peer reads, in the order written, and a full socket says so and drains. Paced input: pipelined
// HTTP/1.1 requests are given a request at a time, and a paced socket still sees its peer close.
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Http1RequestFramer } from '../../wire/http1/http1-request-framer.ts';
import { readIntoSharedBuffer } from './shared-read-buffer.ts';
import { PACED_READ_LIMIT, TapSocket } from './tap-socket.ts';

const opened: Socket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
});

/** A connected pair on loopback: the server's end (to be tapped) and the peer's. */
/** `allowHalfOpen`: as Node's HTTP server accepts them (a FIN from the peer does not close the socket). */
async function socketPair(allowHalfOpen = false): Promise<{ served: Socket; peer: Socket }> {
  const server = createServer({ allowHalfOpen });
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

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
const post = (body: string) => `POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

/** A tapped socket cutting HTTP/1.1 requests, whose reader pauses it (as the pace does) after `pauseAfter` pieces. */
async function pacedReader(pauseAfter: number, allowHalfOpen = false): Promise<{ tapped: TapSocket; served: Socket; peer: Socket; given: string[] }> {
  const { served, peer } = await socketPair(allowHalfOpen);
  const tapped = new TapSocket(served);
  tapped.requestFramer = new Http1RequestFramer(false);
  const given: string[] = [];
  tapped.on('data', (piece: Buffer) => {
    given.push(piece.toString('latin1'));
    if (given.length === pauseAfter) tapped.pauseInput();
  });
  tapped.on('error', () => {});
  return { tapped, served, peer, given };
}

describe('TapSocket, writes queued together (a response’s head and body)', () => {
  async function writeCorked(tapped: TapSocket, peer: Socket, parts: Buffer[]): Promise<Buffer> {
    const received: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => received.push(chunk));
    const total = parts.reduce((n, part) => n + part.length, 0);
    tapped.cork();
    const written = parts.map((part) => new Promise((resolve) => tapped.write(part, resolve)));
    tapped.uncork();
    await Promise.all(written);
    while (Buffer.concat(received).length < total) await once(peer, 'data');
    return Buffer.concat(received);
  }
  const parts = () => [Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), Buffer.alloc(300 * 1024, 'x')];

  it('go to the socket as they came, not joined, and the observer gets them as parts of one write (outboundParts)', async () => {
    const { served, peer } = await socketPair();
    const tapped = new TapSocket(served);
    const seen: Array<{ parts: string[]; length: number }> = [];
    tapped.observer = {
      inbound() {},
      outbound: () => seen.push({ parts: ['outbound() called'], length: 0 }),
      outboundParts: (given, length) => seen.push({ parts: given.map((part) => part.toString()), length }),
      closed() {},
    };
    const sent = parts();
    const joined = Buffer.concat(sent);
    expect((await writeCorked(tapped, peer, sent)).equals(joined)).toBe(true);
    expect(seen).toEqual([{ parts: sent.map((part) => part.toString()), length: joined.length }]);
  });

  it('are given to an observer without outboundParts joined, as one chunk', async () => {
    const { served, peer } = await socketPair();
    const tapped = new TapSocket(served);
    const outbound = recorder(tapped);
    const sent = parts();
    expect((await writeCorked(tapped, peer, sent)).equals(Buffer.concat(sent))).toBe(true);
    expect(outbound).toHaveLength(1);
    expect(outbound[0].equals(Buffer.concat(sent))).toBe(true);
  });
});

describe('TapSocket, paced', () => {
  it('gives pipelined requests read at once a request at a time; once paced, the rest waits for resumeInput', async () => {
    const { tapped, given, peer } = await pacedReader(2);
    const requests = [get('/a'), post('{"x":1}'), get('/c'), post('zz')];
    peer.write(requests.join(''));
    await vi.waitFor(() => expect(tapped.heldBytes).toBe(requests[2].length + requests[3].length));
    expect(given).toEqual(requests.slice(0, 2));
    tapped.resumeInput();
    await vi.waitFor(() => expect(given).toEqual(requests));
    expect(tapped.heldBytes).toBe(0);
  });

  it('still reads a paced socket, so its peer closing it after sending more is seen: FIN ends it, what it kept unparsed', async () => {
    const { tapped, given, peer } = await pacedReader(1);
    peer.write(get('/a'));
    await vi.waitFor(() => expect(given).toHaveLength(1));
    // Sent while paced: were it left in the socket's own buffer, the socket would not emit 'end' before it was read.
    const ended = once(tapped, 'end');
    peer.end(get('/b'));
    await ended;
    expect(given).toEqual([get('/a')]);
    expect(tapped.heldBytes).toBe(0);
  });

  it('stops reading a paced socket once it keeps PACED_READ_LIMIT: TCP backpressure makes the peer wait', async () => {
    const { tapped, served, peer } = await pacedReader(1);
    // (a read takes up to 64 KiB: the first is given whole, the ones after it are kept)
    peer.write(post('x'.repeat(16 * PACED_READ_LIMIT)) + get('/b'));
    await vi.waitFor(() => expect(tapped.heldBytes).toBeGreaterThanOrEqual(PACED_READ_LIMIT));
    expect(served.isPaused()).toBe(true);
    tapped.resumeInput();
    await vi.waitFor(() => expect(tapped.heldBytes).toBe(0));
  });
});

describe('TapSocket, a read the pace says waits', () => {
  it('keeps a read its counter says waits (and a replayed first read told so), and gives both, in order, on resumeInput', async () => {
    const { tapped, given, peer } = await pacedReader(Number.POSITIVE_INFINITY);
    // as the pace does for a read past its address's share of a turn: pauses the input, answers true
    tapped.pace = { inboundBytes: () => (tapped.pauseInput(), true), gone() {} };
    tapped.pauseInput();
    tapped.replay(Buffer.from(get('/first')), true);
    peer.write(get('/a'));
    await vi.waitFor(() => expect(tapped.heldBytes).toBe(get('/first').length + get('/a').length));
    expect(given).toEqual([]);
    tapped.pace = { inboundBytes: () => false, gone() {} };
    tapped.resumeInput();
    await vi.waitFor(() => expect(given).toEqual([get('/first'), get('/a')]));
    peer.write(get('/b'));
    await vi.waitFor(() => expect(given).toEqual([get('/first'), get('/a'), get('/b')]));
  });

  it('gives a read that waits for its turn when the peer sends FIN (a request and the end, as mosquitto_pub or nc send), then the end', async () => {
    const { tapped, given, peer } = await pacedReader(Number.POSITIVE_INFINITY, true);
    tapped.pace = { inboundBytes: () => (tapped.pauseInput(true), true), gone() {} };
    const ended = once(tapped, 'end');
    peer.write(get('/last'));
    await vi.waitFor(() => expect(tapped.heldBytes).toBe(get('/last').length));
    expect(given).toEqual([]);
    // the pace forgets a connection that ended: the turn would never come
    peer.end();
    await ended;
    expect(given).toEqual([get('/last')]);
    expect(tapped.heldBytes).toBe(0);
  });
});

describe('TapSocket, what it costs a connection', () => {
  it('listens to its socket with the same functions as every other TapSocket, each socket’s bytes and end still reaching its own', async () => {
    const pairs = [await socketPair(), await socketPair()];
    const inbound = pairs.map(() => [] as string[]);
    const tapped = pairs.map(({ served }, index) => {
      const socket = new TapSocket(served);
      socket.observer = { inbound: (chunk) => inbound[index]!.push(chunk.toString()), outbound() {}, closed() {} };
      socket.on('data', () => undefined);
      return socket;
    });
    for (const event of ['data', 'end', 'drain', 'connect', 'timeout', 'error', 'close']) {
      expect(pairs[0]!.served.listeners(event).length).toBeGreaterThan(0);
      expect(pairs[0]!.served.listeners(event)).toEqual(pairs[1]!.served.listeners(event));
    }
    pairs[0]!.peer.write('to the first');
    pairs[1]!.peer.write('to the second');
    await vi.waitFor(() => expect(inbound).toEqual([['to the first'], ['to the second']]));
    const ended = once(tapped[1]!, 'end');
    pairs[1]!.peer.end();
    await ended;
    expect(tapped[0]!.readableEnded).toBe(false);
  });

  it('reads the server’s end of the connection without leaving Node’s cache of it on the socket', async () => {
    const { served, peer } = await socketPair();
    if (peer.connecting) await once(peer, 'connect');
    const tapped = new TapSocket(served);
    const internals = served as unknown as { _sockname: object | null };
    expect(internals._sockname).toBeNull();
    expect(tapped.localName()).toBe(`127.0.0.1:${peer.remotePort}`);
    expect(internals._sockname).toBeNull();
    // and Node still answers when asked
    expect(tapped.localPort).toBe(peer.remotePort);
  });
});

describe('TapSocket.readDirectly', () => {
  it('hands reads straight to the reader, past both Readables, while this one flows and holds nothing, recorded first; paused, they queue and come back in order', async () => {
    const { served, peer } = await socketPair();
    const tapped = new TapSocket(served);
    const inbound: string[] = [];
    tapped.observer = { inbound: (chunk) => inbound.push(chunk.toString()), outbound() {}, closed() {} };
    // replayed before the reader takes over (as the listener hands a sniffed connection on): held in the Readable
    tapped.replay(Buffer.from('first '));
    const fromReadable: string[] = [];
    const direct: string[] = [];
    const read: string[] = [];
    tapped.on('data', (chunk: Buffer) => {
      fromReadable.push(chunk.toString());
      read.push(chunk.toString());
    });
    let socketEvents = 0;
    served.on('data', () => socketEvents++);
    tapped.readDirectly((chunk) => {
      direct.push(chunk.toString());
      read.push(chunk.toString());
    });
    peer.write('second ');
    await vi.waitFor(() => expect(read).toEqual(['first ', 'second ']));
    expect(fromReadable).toEqual(['first ']);
    expect(direct).toEqual(['second ']);
    // the reader asks for a pause (its own reader is full): reads queue in the Readable, in order
    tapped.pause();
    peer.write('third ');
    await vi.waitFor(() => expect(tapped.readableLength).toBe('third '.length));
    tapped.resume();
    await vi.waitFor(() => expect(read).toEqual(['first ', 'second ', 'third ']));
    expect(fromReadable).toEqual(['first ', 'third ']);
    peer.write('fourth');
    await vi.waitFor(() => expect(read).toEqual(['first ', 'second ', 'third ', 'fourth']));
    expect(direct).toEqual(['second ', 'fourth']);
    // the tap recorded every byte, whichever way it went; the socket's own Readable carried none of it
    expect(inbound.join('')).toBe('first second third fourth');
    expect(socketEvents).toBe(0);
  });

  it('reads into one buffer shared by every such socket, each read a copy of its own: two sockets, more than the buffer at once, paused and resumed, then the end', async () => {
    const pairs = [await socketPair(), await socketPair()];
    const received = pairs.map(() => [] as Buffer[]);
    let socketEvents = 0;
    const tapped = pairs.map(({ served }, index) => {
      served.on('data', () => socketEvents++);
      const socket = new TapSocket(served);
      socket.readDirectly((chunk) => received[index]!.push(chunk));
      socket.on('data', (chunk: Buffer) => received[index]!.push(chunk));
      return socket;
    });
    const big = pairs.map((_, index) => Buffer.alloc(300 * 1024, index + 1));
    for (const [index, { peer }] of pairs.entries()) peer.write(big[index]);
    // held for a while: the kernel keeps what the socket does not read, and it comes once resumed
    tapped[0]!.holdInput();
    await new Promise((resolve) => setTimeout(resolve, 20));
    tapped[0]!.releaseInput();
    for (const [index] of pairs.entries()) await vi.waitFor(() => expect(Buffer.concat(received[index]!).length).toBe(big[index]!.length));
    for (const [index] of pairs.entries()) expect(Buffer.concat(received[index]!).equals(big[index]!)).toBe(true);
    // more than one read each (were a chunk the shared buffer itself, the other socket's reads would have overwritten it)
    expect(received[0]!.length).toBeGreaterThan(1);
    // already reading into it: not set twice
    expect(readIntoSharedBuffer(pairs[0]!.served, () => undefined)).toBe(false);
    expect(socketEvents).toBe(0);
    const ended = once(tapped[1]!, 'end');
    pairs[1]!.peer.end();
    await ended;
  });
});

describe('TapSocket cutting HTTP/1.1 requests, its reader behind', () => {
  it('gives a read it held back, while its reader had not taken the one before, once the reader has: an upgraded WebSocket lost it, and then all that came after', async () => {
    const { served, peer } = await socketPair();
    const tapped = new TapSocket(served);
    // as the listener sets it on every HTTP/1.1 connection while the address pace is on (server/listener/one-port-server.ts)
    tapped.requestFramer = new Http1RequestFramer(false);
    const given: string[] = [];
    tapped.on('data', (piece: Buffer) => given.push(piece.toString('latin1')));
    const upgrade = 'GET /mqtt HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n';
    peer.write(upgrade);
    await vi.waitFor(() => expect(given.join('')).toBe(upgrade));
    // ws pauses the socket it reads (its stream is full): a read waits in this Readable, which asks the network for more
    tapped.pause();
    peer.write('one');
    await vi.waitFor(() => expect(tapped.readableLength).toBe(3));
    await new Promise((resolve) => setImmediate(resolve));
    // read while the reader has not taken "one": kept back, the socket paused
    peer.write('two');
    await vi.waitFor(() => expect(tapped.heldBytes).toBe(3));
    expect(served.isPaused()).toBe(true);
    // ws resumes: "one", then "two", then what the peer sends after
    tapped.resume();
    await vi.waitFor(() => expect(given.join('')).toBe(`${upgrade}onetwo`));
    peer.write('three');
    await vi.waitFor(() => expect(given.join('')).toBe(`${upgrade}onetwothree`));
    expect(tapped.heldBytes).toBe(0);
  });
});
