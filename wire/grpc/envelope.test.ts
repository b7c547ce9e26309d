import { describe, expect, it } from 'vitest';
import { ENVELOPE_FLAGS, encodeEnvelope, envelopeLength, exactlyOneEnvelope, wholeEnvelopes } from './envelope.ts';

describe('the 5-byte gRPC envelope', () => {
  it('writes the flags, the big-endian length and the message', () => {
    expect([...encodeEnvelope(ENVELOPE_FLAGS.connectEndStream, new Uint8Array([0x7b, 0x7d]))]).toEqual([0x02, 0, 0, 0, 2, 0x7b, 0x7d]);
    expect([...encodeEnvelope(0, new Uint8Array(0))]).toEqual([0, 0, 0, 0, 0]);
  });

  it('reads a length with the high bit set as unsigned', () => {
    const header = new Uint8Array([0, 0xff, 0xff, 0xff, 0xfe]);
    expect(envelopeLength(header)).toBe(0xfffffffe);
    const long = encodeEnvelope(0, new Uint8Array(0x01_02_03));
    expect(envelopeLength(long)).toBe(0x01_02_03);
    expect(envelopeLength(new Uint8Array([9, 9, ...long]), 2)).toBe(0x01_02_03);
  });

  it('takes bytes as one envelope only when its length ends where they end', () => {
    const one = encodeEnvelope(ENVELOPE_FLAGS.grpcWebTrailers, new TextEncoder().encode('grpc-status: 0\r\n'));
    expect(exactlyOneEnvelope(one)).toEqual({ flags: 0x80, data: one.subarray(5) });
    expect(exactlyOneEnvelope(one.subarray(0, one.length - 1))).toBeNull();
    expect(exactlyOneEnvelope(new Uint8Array([...one, 0]))).toBeNull();
    expect(exactlyOneEnvelope(new Uint8Array([0, 0, 0]))).toBeNull();
  });

  it('gives a Buffer a Buffer view, not a copy', () => {
    const buffer = Buffer.from(encodeEnvelope(0, new Uint8Array([1, 2, 3])));
    const read = exactlyOneEnvelope(buffer);
    expect(Buffer.isBuffer(read?.data)).toBe(true);
    expect(read?.data.buffer).toBe(buffer.buffer);
  });
});

describe('whole envelopes one after another', () => {
  it('splits a body into its messages and leaves an unfinished envelope out', () => {
    const body = new Uint8Array([
      ...encodeEnvelope(0, Uint8Array.of(8, 1)),
      ...encodeEnvelope(0, new Uint8Array()),
      ...encodeEnvelope(0x80, Uint8Array.of(1, 2, 3)),
    ]);
    expect(wholeEnvelopes(body).map(({ flags, data }) => [flags, [...data]])).toEqual([
      [0, [8, 1]],
      [0, []],
      [0x80, [1, 2, 3]],
    ]);
    expect(wholeEnvelopes(body.subarray(0, body.length - 1))).toHaveLength(2);
    expect(wholeEnvelopes(Uint8Array.of(0, 0, 0))).toEqual([]);
  });
});
