import { describe, expect, it } from 'vitest';
import { decodeRelayEnvelope, encodeRelayEnvelope, type RelayEnvelope } from './relay-envelope.ts';

const envelope: RelayEnvelope = {
  from: 'instance-a',
  code: 'K7FM3Q',
  messages: [
    { type: 'reset', instance: 'i-a-0a1b2c3d4e5f' },
    { type: 'connection', conn: { id: 'c1', transport: 'http/1.1', remote: '127.0.0.1:5000', local: '127.0.0.1:8080', openedAt: 1 } },
    {
      type: 'chunks',
      chunks: [
        { conn: 'c1', seq: 0, dir: 'in', t: 2, offset: 0, data: Buffer.from('GET / HTTP/1.1\r\n\r\n') },
        { conn: 'c1', seq: 1, dir: 'out', t: 3, offset: 0, data: Buffer.from([0, 255, 13, 10]) },
      ],
    },
    { type: 'closed', conn: 'c1', t: 4 },
    { type: 'chunks', chunks: [{ conn: 'c1', seq: 2, dir: 'out', t: 5, offset: 4, data: Buffer.alloc(0) }] },
  ],
};

describe('relay envelope', () => {
  it('carries the messages and the exact bytes of every chunk', () => {
    expect(decodeRelayEnvelope(encodeRelayEnvelope(envelope))).toEqual(envelope);
  });

  it('gives null, never an exception, for bytes it did not write', () => {
    const encoded = encodeRelayEnvelope(envelope);
    expect(decodeRelayEnvelope(Buffer.alloc(0))).toBeNull();
    expect(decodeRelayEnvelope(Buffer.from('hello'))).toBeNull();
    expect(decodeRelayEnvelope(encoded.subarray(0, encoded.length - 1))).toBeNull();
    expect(decodeRelayEnvelope(Buffer.concat([encoded, Buffer.from([1])]))).toBeNull();
    const header = Buffer.from('{"from":"a","code":"B","messages":[{"type":"chunks","chunks":[{"length":-1}]}]}');
    expect(decodeRelayEnvelope(Buffer.concat([Buffer.from([0, 0, 0, header.length]), header]))).toBeNull();
  });
});
