import { describe, expect, it } from 'vitest';
import { concatBytes, frameBytes, type FrameSpec } from '../../../wire/websocket/build-frames.test-helper.ts';
import { MaskedFrameFilter, type PayloadScanner } from './masked-frame-filter.ts';

/** Finds SECRET in the unmasked payload bytes of one call. */
const secrets: PayloadScanner = {
  find(text) {
    const found: Array<[number, number]> = [];
    for (let at = text.indexOf('SECRET'); at !== -1; at = text.indexOf('SECRET', at + 1)) found.push([at, at + 6]);
    return found;
  },
};

const MASK: [number, number, number, number] = [0x37, 0xfa, 0x21, 0x3d];
/** Frames of every length size (7, 16 and 64 bits), masked and not, and a compressed one. */
const frames: Array<{ sent: FrameSpec; relayed: FrameSpec }> = [
  { sent: { opcode: 1, payload: 'a SECRET', mask: MASK }, relayed: { opcode: 1, payload: 'a ******', mask: MASK } },
  {
    sent: { opcode: 1, payload: `${'x'.repeat(300)}SECRET`, mask: [1, 2, 3, 4] },
    relayed: { opcode: 1, payload: `${'x'.repeat(300)}******`, mask: [1, 2, 3, 4] },
  },
  { sent: { opcode: 2, payload: 'SECRET!', mask: MASK, lengthBits: 64 }, relayed: { opcode: 2, payload: '******!', mask: MASK, lengthBits: 64 } },
  { sent: { opcode: 1, payload: 'plain SECRET' }, relayed: { opcode: 1, payload: 'plain ******' } },
  { sent: { opcode: 1, rsv1: true, payload: 'deflated', mask: MASK }, relayed: { opcode: 1, rsv1: true, payload: '********', mask: MASK } },
];

describe('MaskedFrameFilter', () => {
  it('blanks what the scanner finds in the unmasked payloads, whatever the frame heads and wherever a chunk cuts one', () => {
    const sent = frames.map((frame) => frameBytes(frame.sent));
    const wire = concatBytes(...sent);
    const relayed = concatBytes(...frames.map((frame) => frameBytes(frame.relayed)));
    expect([...new MaskedFrameFilter(secrets).apply(wire)]).toEqual([...relayed]);
    // every cut inside a frame head (2 to 14 bytes), so each head is read from two chunks
    let frameStart = 0;
    for (const frame of sent) {
      const headLength = frame.length - (frames[sent.indexOf(frame)].sent.payload as string).length;
      for (let cut = frameStart + 1; cut < frameStart + headLength; cut += 1) {
        const filter = new MaskedFrameFilter(secrets);
        const out = concatBytes(filter.apply(wire.subarray(0, cut)), filter.apply(wire.subarray(cut)));
        expect([...out], `cut at ${cut}`).toEqual([...relayed]);
      }
      frameStart += frame.length;
    }
  });
});
