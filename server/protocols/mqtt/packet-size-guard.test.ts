import { describe, expect, it } from 'vitest';
import { MqttPacketSizeGuard } from './packet-size-guard.ts';

const pingreq = Buffer.from([0xc0, 0x00]);
const publish = (bodyBytes: number): Buffer => {
  const length: number[] = [];
  let left = bodyBytes;
  do {
    let byte = left % 128;
    left = Math.floor(left / 128);
    if (left > 0) byte |= 0x80;
    length.push(byte);
  } while (left > 0);
  return Buffer.concat([Buffer.from([0x30, ...length]), Buffer.alloc(bodyBytes, 0x61)]);
};

describe('MqttPacketSizeGuard', () => {
  it('lets packets up to the limit through, whole or byte by byte', () => {
    const stream = Buffer.concat([publish(100), pingreq, publish(1000), pingreq]);
    expect(new MqttPacketSizeGuard(1000).feed(stream)).toBe('ok');
    const guard = new MqttPacketSizeGuard(1000);
    for (const byte of stream) expect(guard.feed(Buffer.from([byte]))).toBe('ok');
  });

  it('refuses a packet past the limit as soon as its length is read', () => {
    const guard = new MqttPacketSizeGuard(1000);
    expect(guard.feed(publish(100))).toBe('ok');
    const big = publish(1001);
    expect(guard.feed(big.subarray(0, 3))).toBe('too-large');
    // and stays refused
    expect(guard.feed(pingreq)).toBe('too-large');
  });

  it('finds the boundary after a long body split anywhere', () => {
    const stream = Buffer.concat([publish(300), publish(5000)]);
    for (const cut of [1, 2, 3, 150, 302, 303, 304, 305]) {
      const guard = new MqttPacketSizeGuard(1000);
      expect(guard.feed(stream.subarray(0, cut))).toBe('ok');
      expect(guard.feed(stream.subarray(cut)), `cut at ${cut}`).toBe('too-large');
    }
  });

  it('calls a remaining length of five bytes malformed', () => {
    expect(new MqttPacketSizeGuard(1 << 30).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe('malformed');
  });
});
