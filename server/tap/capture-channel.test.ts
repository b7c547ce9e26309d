import { describe, expect, it } from 'vitest';
import { decodeChunkFrame } from '../../contracts/capture-channel/messages.ts';
import { chunkFrame, toWireMessages } from './capture-channel.ts';
import type { CapturedChunk } from './capture-types.ts';

const chunk = (seq: number, dir: 'in' | 'out', offset: number, text: string): CapturedChunk => ({
  conn: 'c3',
  seq,
  dir,
  t: 1732260000125.25 + seq,
  offset,
  data: Buffer.from(text, 'latin1'),
});

describe('the capture channel’s messages', () => {
  it('sends runs of chunks as one binary frame the browser reads back byte for byte', () => {
    const binary = Buffer.from([0x81, 0x85, 0x00, 0xff, 0x0d, 0x0a]).toString('latin1');
    const chunks = [chunk(1, 'in', 0, 'GET / HTTP/1.1\r\n\r\n'), chunk(2, 'out', 0, binary), chunk(3, 'out', 6, '')];
    const messages = toWireMessages([
      { type: 'connection', conn: { id: 'c3', transport: 'http/1.1', remote: 'a', local: 'b', openedAt: 1 } },
      ...chunks.slice(0, 2).map((c) => ({ type: 'chunk' as const, chunk: c })),
      { type: 'closed', conn: 'c3', t: 5 },
      { type: 'chunk', chunk: chunks[2] },
    ]);
    expect(messages.map((message) => message.type)).toEqual(['connection', 'chunks', 'closed', 'chunks']);
    const first = messages[1];
    if (first.type !== 'chunks') throw new Error('expected chunks');
    const decoded = decodeChunkFrame(new Uint8Array(first.frame));
    expect(decoded.map(({ data, ...rest }) => ({ ...rest, data: Buffer.from(data).toString('latin1') }))).toEqual(
      chunks.slice(0, 2).map(({ data, ...rest }) => ({ ...rest, data: data.toString('latin1') })),
    );
  });

  it('refuses a frame that is cut short instead of inventing bytes', () => {
    const frame = chunkFrame([chunk(1, 'in', 0, 'hello')]);
    expect(() => decodeChunkFrame(new Uint8Array(frame.subarray(0, frame.length - 1)))).toThrow(/shorter/);
    expect(() => decodeChunkFrame(new Uint8Array([0, 0, 0, 99, 1]))).toThrow(/header/);
  });
});
