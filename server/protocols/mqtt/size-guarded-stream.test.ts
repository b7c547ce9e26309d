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
    const stream = new SizeGuardedStream(transport, 4, (verdict) => refused.push(verdict));
    const read: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => read.push(chunk));
    transport.push(Buffer.from([0xc0, 0x00]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(read)).toEqual(Buffer.from([0xc0, 0x00]));
    transport.push(Buffer.from([0x30, 0x05]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(refused).toEqual(['too-large']);
    expect(stream.destroyed).toBe(true);
    expect(transport.destroyed).toBe(true);
  });
});
