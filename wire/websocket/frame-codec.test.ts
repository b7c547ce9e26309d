import { describe, expect, it } from 'vitest';
import { applyMask, encodeFrame, splitFrames } from './frame-codec.ts';

const text = (value: string) => new TextEncoder().encode(value);

describe('WebSocket frames written and split (RFC 6455 §5.2)', () => {
  it('writes RFC 6455 §5.7 examples byte for byte', () => {
    // a single-frame unmasked text message "Hello"
    expect([...encodeFrame({ opcode: 1, payload: text('Hello'), maskKey: null })]).toEqual([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    // a single-frame masked text message "Hello"
    expect([...encodeFrame({ opcode: 1, payload: text('Hello'), maskKey: Uint8Array.of(0x37, 0xfa, 0x21, 0x3d) })]).toEqual([
      0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
    ]);
    // 256 bytes binary message in a single unmasked frame
    expect([...encodeFrame({ opcode: 2, payload: new Uint8Array(256), maskKey: null }).subarray(0, 4)]).toEqual([0x82, 0x7e, 0x01, 0x00]);
    // 64 KiB binary message in a single unmasked frame
    expect([...encodeFrame({ opcode: 2, payload: new Uint8Array(65_536), maskKey: null }).subarray(0, 10)]).toEqual([
      0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00,
    ]);
  });

  it('sets FIN, the reserved bits and the opcode as asked, even where a library never would', () => {
    const [first] = encodeFrame({ fin: false, rsv: 0b101, opcode: 0x3, maskKey: null });
    expect(first).toBe(0b0101_0011);
  });

  it('splits what it wrote back, masked or not, and keeps an unfinished frame for later', () => {
    const key = Uint8Array.of(1, 2, 3, 4);
    const frames = [
      encodeFrame({ opcode: 1, payload: text('one'), maskKey: null }),
      encodeFrame({ opcode: 2, payload: new Uint8Array(300).fill(7), maskKey: key }),
      encodeFrame({ fin: false, rsv: 0b100, opcode: 1, payload: text('half'), maskKey: null }),
    ];
    const all = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
    let at = 0;
    for (const frame of frames) {
      all.set(frame, at);
      at += frame.length;
    }
    const { frames: split, rest } = splitFrames(all.subarray(0, all.length - 2));
    expect(split.map((frame) => [frame.opcode, frame.masked, frame.payload.length])).toEqual([
      [1, false, 3],
      [2, true, 300],
    ]);
    expect(split[1]!.payload.every((byte) => byte === 7)).toBe(true);
    expect(rest.length).toBe(frames[2]!.length - 2);
    const last = splitFrames(all.subarray(all.length - frames[2]!.length)).frames[0]!;
    expect([last.fin, last.rsv, new TextDecoder().decode(last.payload)]).toEqual([false, 0b100, 'half']);
  });

  it('masks and unmasks with the same XOR', () => {
    const key = Uint8Array.of(9, 8, 7, 6);
    expect([...applyMask(applyMask(text('payload'), key), key)]).toEqual([...text('payload')]);
  });
});
