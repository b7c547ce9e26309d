import { describe, expect, it } from 'vitest';
import { inspectHttp1Connection } from './http1/decode-http1.ts';
import { chunkedOffsets, decodePayload, registerPayloadLayer, type PayloadContext } from './payload-layers.ts';
import { assembleStream } from './stream-assembler.ts';
import type { CaptureChunk, WireNode } from './types.ts';

const encoder = new TextEncoder();

/** One node per byte of the body, so every range can be checked against the stream. */
registerPayloadLayer({
  name: 'test-letters',
  accepts: (context) => context.contentType === 'application/x-letters',
  decode: (payload, offsets, context) => [
    {
      kind: 'letters',
      label: `${context.carrier} ${context.path}`,
      range: { start: offsets(0), end: offsets(payload.length - 1) + 1 },
      children: [...payload].map((byte, index) => ({
        kind: 'letter',
        label: String.fromCharCode(byte),
        range: { start: offsets(index), end: offsets(index) + 1 },
      })),
    },
  ],
});
registerPayloadLayer({
  name: 'test-broken',
  accepts: (context) => context.contentType === 'application/x-broken',
  decode: () => {
    throw new Error('no luck');
  },
});

function connection(request: string, response: string) {
  const chunk = (dir: 'in' | 'out', text: string): CaptureChunk => ({
    conn: 'c1',
    seq: dir === 'in' ? 1 : 2,
    dir,
    t: dir === 'in' ? 1 : 2,
    offset: 0,
    data: encoder.encode(text),
  });
  const inbound = assembleStream('c1', 'in', [chunk('in', request)], true);
  const outbound = assembleStream('c1', 'out', [chunk('out', response)], true);
  return { inbound, outbound, ...inspectHttp1Connection(inbound, outbound) };
}

const letters = (node: WireNode | undefined) => node?.children?.find((child) => child.kind === 'letters');

describe('payload layers under HTTP/1.1 bodies', () => {
  it('decodes a Content-Length body with ranges in the stream', () => {
    const request = 'POST /abc HTTP/1.1\r\nContent-Type: application/x-letters\r\nContent-Length: 3\r\n\r\nxyz';
    const { exchanges, inbound } = connection(request, 'HTTP/1.1 204 No Content\r\n\r\n');
    const body = exchanges[0].request.tree.children?.find((child) => child.kind === 'body');
    const decoded = letters(body);
    expect(decoded?.label).toBe('http-request-body /abc');
    const text = new TextDecoder().decode(inbound.slice(decoded!.children![1].range));
    expect(text).toBe('y');
  });

  it("maps a chunked body's bytes across its chunks, and gives the request path to the response", () => {
    const response = 'HTTP/1.1 200 OK\r\nContent-Type: application/x-letters\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n';
    const { exchanges, outbound } = connection('GET /letters HTTP/1.1\r\nHost: x\r\n\r\n', response);
    const decoded = letters(exchanges[0].response?.tree.children?.find((child) => child.kind === 'body'));
    expect(decoded?.label).toBe('http-response-body /letters');
    const picked = decoded!.children!.map((child) => new TextDecoder().decode(outbound.slice(child.range)));
    expect(picked).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('turns a layer that throws into one node with the error', () => {
    const context: PayloadContext = { carrier: 'http-request-body', contentType: 'application/x-broken', complete: true };
    const nodes = decodePayload(encoder.encode('zz'), (index) => 100 + index, context);
    expect(nodes).toEqual([{ kind: 'layer-failed', label: 'test-broken', value: 'no luck', range: { start: 100, end: 102 }, error: 'decoder-failed' }]);
  });

  it('leaves bodies no layer accepts alone', () => {
    const request = 'POST /abc HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nxyz';
    const { exchanges } = connection(request, 'HTTP/1.1 204 No Content\r\n\r\n');
    const body = exchanges[0].request.tree.children?.find((child) => child.kind === 'body');
    expect(body?.children ?? []).toEqual([]);
  });

  it('counts chunk offsets past the last chunk', () => {
    const offsets = chunkedOffsets([
      { start: 10, end: 12 },
      { start: 20, end: 21 },
    ]);
    expect([0, 1, 2, 3].map(offsets)).toEqual([10, 11, 20, 21]);
  });

  it('maps every payload byte to its chunk, skipping empty chunks', () => {
    const pieces = [
      { start: 5, end: 5 },
      { start: 10, end: 13 },
      { start: 13, end: 13 },
      { start: 30, end: 31 },
      { start: 40, end: 44 },
    ];
    const offsets = chunkedOffsets(pieces);
    expect(Array.from({ length: 10 }, (_, index) => offsets(index))).toEqual([10, 11, 12, 30, 40, 41, 42, 43, 44, 45]);
    expect(chunkedOffsets([{ start: 7, end: 7 }])(2)).toBe(9);
    expect(chunkedOffsets([])(2)).toBe(2);
  });
});
