import { once } from 'node:events';
import { connect as connectTcp, createServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it, vi } from 'vitest';
import { TapSocket } from '../../tap/tap-socket.ts';
import { SizeGuardedStream } from './size-guarded-stream.ts';

/** A transport that records each write it gets and lets the test push inbound bytes. */
class FakeTransport extends Duplex {
  readonly writes: Buffer[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.writes.push(chunk);
    callback();
  }
}

describe('SizeGuardedStream', () => {
  it('joins the pieces written in one tick into one write of the transport', async () => {
    const transport = new FakeTransport();
    const stream = new SizeGuardedStream(transport, 1024, () => undefined);
    // A PUBLISH as aedes writes it: fixed header, length, topic, payload.
    stream.write(Buffer.from([0x30]));
    stream.write(Buffer.from([0x07]));
    stream.write(Buffer.from([0x00, 0x01, 0x74]));
    stream.write(Buffer.from('hiya'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(transport.writes).toEqual([Buffer.from([0x30, 0x07, 0x00, 0x01, 0x74, ...Buffer.from('hiya')])]);
    stream.write(Buffer.from([0xd0, 0x00]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(transport.writes.length).toBe(2);
  });

  it('writes a whole packet at once when nothing of the tick waits before it, and behind the pieces that do', async () => {
    const transport = new FakeTransport();
    const stream = new SizeGuardedStream(transport, 1024, () => undefined);
    const ping = Buffer.from([0xd0, 0x00]);
    expect(stream.writeWhole(ping)).toBe(true);
    // on the transport already, before the tick ends
    expect(transport.writes).toEqual([ping]);
    stream.write(Buffer.from([0x90]));
    stream.write(Buffer.from([0x03, 0x00, 0x01, 0x01]));
    const publish = Buffer.from([0x30, 0x04, 0x00, 0x01, 0x74, 0x78]);
    stream.writeWhole(publish);
    expect(transport.writes).toEqual([ping]);
    await new Promise((resolve) => setImmediate(resolve));
    // the SUBACK written in pieces first, then the PUBLISH, in one write
    expect(transport.writes).toEqual([ping, Buffer.from([0x90, 0x03, 0x00, 0x01, 0x01, ...publish])]);
  });

  it('gives mqtt-packet nothing to cork: its packets cost no uncork on a tick of their own, and still leave in one write', async () => {
    const transport = new FakeTransport();
    const stream = new SizeGuardedStream(transport, 1024, () => undefined);
    const uncork = vi.spyOn(stream, 'uncork');
    try {
      for (let id = 1; id <= 3; id++) {
        mqttPacket.writeToStream({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, messageId: id, retain: false, dup: false }, stream);
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncork).not.toHaveBeenCalled();
    } finally {
      uncork.mockRestore();
    }
    const one = mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, messageId: 1, retain: false, dup: false });
    expect(transport.writes.length).toBe(1);
    expect(transport.writes[0]!.length).toBe(3 * one.length);
  });

  it("writes string pieces as UTF-8 in their place, calls every piece's callback once the joined write is done, and flushes before end", async () => {
    const transport = new FakeTransport();
    const stream = new SizeGuardedStream(transport, 1024, () => undefined);
    const called: string[] = [];
    // mqtt-packet writes a topic as a string: `лобби/x` is 13 bytes of UTF-8
    stream.write(Buffer.from([0x30, 0x10]));
    stream.write(Buffer.from([0x00, 0x0d]), () => called.push('length'));
    stream.write('лобби/x', () => called.push('topic'));
    stream.write(Buffer.from('a'));
    stream.end(Buffer.from([0xe0, 0x00]));
    await new Promise<void>((resolve) => stream.once('finish', () => resolve()));
    expect(Buffer.concat(transport.writes)).toEqual(Buffer.from([0x30, 0x10, 0x00, 0x0d, ...Buffer.from('лобби/x', 'utf8'), 0x61, 0xe0, 0x00]));
    expect(transport.writes[0]).toEqual(Buffer.from([0x30, 0x10, 0x00, 0x0d, ...Buffer.from('лобби/x', 'utf8'), 0x61]));
    expect(called).toEqual(['length', 'topic']);
  });

  it('says "wait" only when the transport is full, and then drains', async () => {
    // A transport that takes a write only when the test releases it: a socket whose buffer is full.
    const pending: Array<() => void> = [];
    const transport = new (class extends FakeTransport {
      override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
        this.writes.push(chunk);
        pending.push(callback);
      }
    })();
    const stream = new SizeGuardedStream(transport, 1024, () => undefined);
    const big = Buffer.alloc(32 * 1024, 1);
    let answers: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      answers.push(stream.write(big));
      await new Promise((resolve) => setImmediate(resolve));
    }
    // the first tick's write is in the transport, the others queue in the stream past its 16 KiB mark
    expect(answers[0]).toBe(true);
    expect(answers.at(-1)).toBe(false);
    const drained = new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    while (pending.length > 0 || stream.writableLength > 0) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await drained;
    expect(Buffer.concat(transport.writes).length).toBe(4 * big.length);
    answers = [stream.write(Buffer.from([0xc0, 0x00]))];
    expect(answers).toEqual([true]);
  });

  it('passes inbound packets up to the limit and ends the connection at a larger one', async () => {
    const transport = new FakeTransport();
    const refused: string[] = [];
    const stream = new SizeGuardedStream(transport, 14, (verdict) => refused.push(verdict as string));
    const read: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => read.push(chunk));
    // CONNECT (MQTT 3.1.1, clean session, keep-alive 60, empty client id: 12 bytes), PINGREQ
    const connect = Buffer.from([0x10, 0x0c, 0x00, 0x04, ...Buffer.from('MQTT'), 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]);
    transport.push(Buffer.concat([connect, Buffer.from([0xc0, 0x00])]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(read)).toEqual(Buffer.concat([connect, Buffer.from([0xc0, 0x00])]));
    transport.push(Buffer.from([0x30, 0x0f]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(refused).toEqual(['too-large']);
    expect(stream.destroyed).toBe(true);
    expect(transport.destroyed).toBe(true);
  });
});

describe('SizeGuardedStream and the rules of MQTT 3.1.1', () => {
  it('answers an unsupported protocol level with CONNACK 1 before closing, and hands the broker nothing', async () => {
    const transport = new FakeTransport();
    const refused: unknown[] = [];
    const stream = new SizeGuardedStream(transport, 1024, (refusal) => refused.push(refusal));
    const read: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => read.push(chunk));
    const body = [0x00, 0x04, ...Buffer.from('MQTT'), 0x07, 0x02, 0x00, 0x3c, 0x00, 0x00];
    transport.push(Buffer.from([0x10, body.length, ...body]));
    await new Promise<void>((resolve) => stream.once('close', () => resolve()));
    expect(transport.writes).toEqual([Buffer.from([0x20, 0x02, 0x00, 0x01])]);
    expect(read).toEqual([]);
    expect(refused).toMatchObject([{ clause: 'MQTT-3.1.2-2', connack: 1 }]);
    expect(transport.destroyed).toBe(true);
  });
});

describe('SizeGuardedStream on a tapped TCP socket', () => {
  it("reads the socket straight past the Readables (the TapSocket's and the socket's): a PUBACK taken at the gate, the rest to the broker in order, every byte recorded", async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const peer = connectTcp((server.address() as { port: number }).port, '127.0.0.1');
    const [served] = await accepted;
    server.close();
    try {
      const tapped = new TapSocket(served);
      const recorded: Buffer[] = [];
      tapped.observer = { inbound: (chunk) => recorded.push(Buffer.from(chunk)), outbound() {}, closed() {} };
      const connect = Buffer.from([0x10, 0x0c, 0x00, 0x04, ...Buffer.from('MQTT'), 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]);
      // the sniffed CONNECT, replayed before the broker's stream takes the socket (server/listener/one-port-server.ts)
      tapped.replay(connect);
      const stream = new SizeGuardedStream(tapped, 1024, () => undefined);
      let acknowledgements = 0;
      stream.tookAcknowledgement = () => (acknowledgements++, true);
      let throughReadable = 0;
      tapped.on('data', () => throughReadable++);
      let throughSocketReadable = 0;
      served.on('data', () => throughSocketReadable++);
      const read: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => read.push(chunk));
      await vi.waitFor(() => expect(Buffer.concat(read)).toEqual(connect));
      const puback = Buffer.from([0x40, 0x02, 0x00, 0x07]);
      peer.write(puback);
      await vi.waitFor(() => expect(acknowledgements).toBe(1));
      const publish = Buffer.from([0x30, 0x05, 0x00, 0x01, 0x74, 0x68, 0x69]);
      peer.write(publish);
      await vi.waitFor(() => expect(Buffer.concat(read)).toEqual(Buffer.concat([connect, publish])));
      // only the replayed CONNECT went through the TapSocket's Readable, and nothing through the socket's
      expect(throughReadable).toBe(1);
      expect(throughSocketReadable).toBe(0);
      expect(Buffer.concat(recorded)).toEqual(Buffer.concat([connect, puback, publish]));
    } finally {
      peer.destroy();
      served.destroy();
    }
  });
});
