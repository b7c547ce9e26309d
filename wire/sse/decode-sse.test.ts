import { describe, expect, it } from 'vitest';
import { messageMarkOf } from '../message-marks.ts';
import { chunkedOffsets, contiguousOffsets, payloadLayerFor } from '../payload-layers.ts';
import '../decode-connection.ts';
import type { WireNode } from '../types.ts';
import { decodeSseStream, sseLayer } from './decode-sse.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

function find(node: WireNode, kind: string): WireNode[] {
  return [...(node.kind === kind ? [node] : []), ...(node.children ?? []).flatMap((child) => find(child, kind))];
}

describe('text/event-stream bodies', () => {
  it('reads id, event, data lines and retry, and marks each event with its fields', () => {
    const body = 'retry: 3000\n\nid: 7\nevent: user.created\ndata: {"id":13,\ndata: "name":"Ада"}\n\n';
    const { events } = decodeSseStream(utf8(body), contiguousOffsets(200));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ retry: 3000, hasRetry: true, dispatched: false, complete: true, dataLines: [] });
    expect(events[1]).toMatchObject({ type: 'user.created', id: '7', data: '{"id":13,\n"name":"Ада"}', dispatched: true, complete: true });
    expect(messageMarkOf(events[1].node)!.fields).toEqual({
      event: 'user.created',
      id: '7',
      comment: false,
      hasRetry: false,
      dataLines: 2,
      dispatched: true,
      complete: true,
    });
    expect(messageMarkOf(events[0].node)!.fields).toMatchObject({ retry: 3000, hasRetry: true, comment: false, dispatched: false });
    // The second event starts right after the first one's blank line; ranges count UTF-8 bytes.
    const secondStart = body.indexOf('id: 7');
    expect(events[1].node.range).toEqual({ start: 200 + secondStart, end: 200 + utf8(body).length });
    const value = find(events[1].node, 'sse-field-value').find((node) => node.value === 'user.created')!;
    expect(value.range.start).toBe(200 + body.indexOf('user.created'));
  });

  it('takes a comment-only block for a heartbeat, and names the default type "message"', () => {
    const { events } = decodeSseStream(utf8(': keep-alive\n\ndata: hi\n\n'), contiguousOffsets(0));
    expect(messageMarkOf(events[0].node)!.fields).toMatchObject({ comment: true, dispatched: false });
    expect(messageMarkOf(events[0].node)!.fields.event).toBeUndefined();
    expect(events[0].comments).toEqual(['keep-alive']);
    expect(messageMarkOf(events[1].node)!.fields).toMatchObject({ event: 'message', comment: false, dispatched: true });
  });

  it('accepts CRLF and CR line ends, a line without a colon, a byte order mark, and ignores bad retry and unknown fields', () => {
    const { events, nodes } = decodeSseStream(utf8('\uFEFFdata\r\nretry: 1e3\rfoo: bar\r\n\r\n'), contiguousOffsets(0));
    expect(nodes[0].kind).toBe('sse-bom');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ data: '', dataLines: [''], hasRetry: true, unknownFields: ['foo'], dispatched: true });
    expect(events[0].retry).toBeUndefined();
    expect(find(events[0].node, 'sse-field').map((node) => node.error)).toEqual([undefined, 'retry-not-digits', undefined]);
  });

  it('decodes a body that is still streaming: the last block is unfinished', () => {
    const { events } = decodeSseStream(utf8('id: 1\ndata: one\n\nid: 2\nda'), contiguousOffsets(0));
    expect(events.map((event) => event.complete)).toEqual([true, false]);
    expect(events[1]).toMatchObject({ id: '2', dispatched: false });
    expect(events[1].node.error).toBe('incomplete');
    expect(messageMarkOf(events[1].node)!.fields).toMatchObject({ complete: false });
  });

  it('maps ranges through the chunks of a chunked body', () => {
    // "data: a\n\n" split after "data:" over two chunks whose data lies at 10..15 and 20..24 in the stream
    const offsets = chunkedOffsets([
      { start: 10, end: 15 },
      { start: 20, end: 24 },
    ]);
    const { events } = decodeSseStream(utf8('data: a\n\n'), offsets);
    expect(events[0].node.range).toEqual({ start: 10, end: 24 });
    expect(find(events[0].node, 'sse-field-value')[0].range).toEqual({ start: 21, end: 22 });
  });

  it('is the layer for text/event-stream responses only', () => {
    expect(payloadLayerFor({ carrier: 'http-response-body', contentType: 'text/event-stream; charset=utf-8', complete: false })).toBe(sseLayer);
    expect(sseLayer.accepts({ carrier: 'http-request-body', contentType: 'text/event-stream', complete: true })).toBe(false);
    expect(sseLayer.accepts({ carrier: 'http-response-body', contentType: 'application/json', complete: true })).toBe(false);
  });
});
