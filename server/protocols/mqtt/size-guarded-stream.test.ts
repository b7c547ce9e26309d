import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
