import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import { rangeOf, registerPayloadLayer, type PayloadContext } from '../payload-layers.ts';
import type { WireMessage, WireNode } from '../types.ts';
import { concatBytes, connectionOf, frameBytes, handshake, RFC_ACCEPT } from './build-frames.test-helper.ts';
import { computeWebSocketAccept } from './websocket-handshake.ts';

const KEY: [number, number, number, number] = [0x37, 0xfa, 0x21, 0x3d];
const frames = (messages: WireMessage[] | undefined) => (messages ?? []).filter((message) => message.layer === 'ws-frame');

function find(node: WireNode, kind: string): WireNode | undefined {
  if (node.kind === kind) return node;
  for (const child of node.children ?? []) {
    const found = find(child, kind);
    if (found) return found;
  }
  return undefined;
}

function decode(inPieces: Uint8Array[], outPieces: Uint8Array[], closed = false) {
  const { connection, chunks } = connectionOf(inPieces, outPieces, closed);
  return decodeConnection(connection, chunks);
}

describe('Sec-WebSocket-Accept', () => {
  it('computes the RFC 6455 §1.3 example', () => {
    expect(computeWebSocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('annotates the 101 response: a match, and a mismatch with the expected value', () => {
    const good = handshake();
    const ok = decode([good.request], [good.response]);
    const check = find(ok.exchanges[0].response!.tree, 'ws-accept-check')!;
    expect(check.error).toBeUndefined();
    expect(check.value).toMatch(/^matches/);

    const bad = handshake({ accept: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    const wrong = decode([bad.request], [bad.response]);
    const mismatch = find(wrong.exchanges[0].response!.tree, 'ws-accept-check')!;
    expect(mismatch.error).toBe('accept-mismatch');
    expect(mismatch.value).toContain(RFC_ACCEPT);
  });
});

describe('WebSocket frames', () => {
  it('reads a masked client text frame and an unmasked server answer, with both payload views', () => {
    const { request, response } = handshake();
    const sent = frameBytes({ opcode: 1, payload: 'hello', mask: KEY });
    const echoed = frameBytes({ opcode: 1, payload: 'hello' });
    const decoded = decode([concatBytes(request, sent)], [concatBytes(response, echoed)]);
    expect(decoded.notes).toEqual([]);
    const list = frames(decoded.messages);
    expect(list.map((message) => [message.dir, message.fields])).toEqual([
      ['in', { opcode: 'text', fin: true, masked: true, length: 5, lengthBits: 7 }],
      ['out', { opcode: 'text', fin: true, masked: false, length: 5, lengthBits: 7 }],
    ]);
    const inbound = list[0];
    expect(inbound.range).toEqual({ start: request.length, end: request.length + sent.length });
    expect(find(inbound.tree, 'ws-masking-key')!.value).toBe('37 fa 21 3d');
    expect(find(inbound.tree, 'ws-masking-key')!.range).toEqual({ start: request.length + 2, end: request.length + 6 });
    expect(find(inbound.tree, 'ws-unmasked')!.value).toBe('hello');
    expect(find(inbound.tree, 'ws-payload')!.value).not.toContain('hello');
    expect(find(inbound.tree, 'ws-message')!.value).toBe('hello');
    expect(inbound.summary).toContain('hello');
  });

  it('shows the 16- and 64-bit length encodings and the bytes that carry them', () => {
    const { request, response } = handshake();
    const medium = new Uint8Array(300).fill(7);
    const large = new Uint8Array(70_000).fill(9);
    const mediumFrame = frameBytes({ opcode: 2, payload: medium, mask: KEY });
    const largeFrame = frameBytes({ opcode: 2, payload: large, mask: KEY });
    const decoded = decode([concatBytes(request, mediumFrame, largeFrame)], [response]);
    const [first, second] = frames(decoded.messages);
    expect(first.fields).toMatchObject({ opcode: 'binary', lengthBits: 16, length: 300, masked: true });
    expect(find(first.tree, 'ws-extended-length')!).toMatchObject({ value: '300', range: { start: request.length + 2, end: request.length + 4 } });
    expect(second.fields).toMatchObject({ opcode: 'binary', lengthBits: 64, length: 70_000 });
    const start = request.length + mediumFrame.length;
    expect(find(second.tree, 'ws-extended-length')!).toMatchObject({ value: '70000', range: { start: start + 2, end: start + 10 } });
    expect(find(second.tree, 'ws-length-7')!.value).toMatch(/^127/);
  });

  it('reassembles a fragmented message with a ping between its fragments', () => {
    const { request, response } = handshake();
    const out = concatBytes(
      response,
      frameBytes({ opcode: 1, fin: false, payload: 'Hel' }),
      frameBytes({ opcode: 9, payload: 'are you there' }),
      frameBytes({ opcode: 0, fin: false, payload: 'lo, ' }),
      frameBytes({ opcode: 0, payload: 'wire' }),
    );
    const decoded = decode([request], [out]);
    const list = frames(decoded.messages);
    expect(list.map((message) => [message.fields!.opcode, message.fields!.fin])).toEqual([
      ['text', false],
      ['ping', true],
      ['continuation', false],
      ['continuation', true],
    ]);
    const message = find(list[3].tree, 'ws-message')!;
    expect(message.value).toBe('Hello, wire');
    expect(message.label).toContain('3 frames');
    expect(list.every((item) => !item.fields!.error)).toBe(true);
  });

  it('decodes a frame whose bytes came in several chunks, and waits for an unfinished one', () => {
    const { request, response } = handshake();
    const whole = frameBytes({ opcode: 1, payload: 'split across chunks' });
    const next = frameBytes({ opcode: 1, payload: 'not yet complete' });
    const decoded = decode([request], [response, whole.subarray(0, 1), whole.subarray(1, 5), concatBytes(whole.subarray(5), next.subarray(0, 6))]);
    const list = frames(decoded.messages);
    expect(list).toHaveLength(1);
    expect(find(list[0].tree, 'ws-message')!.value).toBe('split across chunks');
    const pending = decoded.notes.find((note) => note.node.kind === 'ws-pending')!;
    expect(pending.node.error).toBeUndefined();
    expect(pending.node.value).toBe(`6 of ${next.length} bytes`);
    // once the connection closed, the unfinished frame is cut short
    const closed = decode([request], [response, whole, next.subarray(0, 6)], true);
    expect(closed.notes.find((note) => note.node.kind === 'ws-pending')!.node.error).toBe('truncated');
  });

  it('names close codes and reads the UTF-8 reason', () => {
    const { request, response } = handshake();
    const reason = 'сообщение слишком большое';
    const payload = concatBytes(new Uint8Array([0x03, 0xf1]), new TextEncoder().encode(reason));
    const decoded = decode(
      [concatBytes(request, frameBytes({ opcode: 8, payload: new Uint8Array([0x03, 0xe8]), mask: KEY }))],
      [concatBytes(response, frameBytes({ opcode: 8, payload }))],
    );
    const [, serverClose] = frames(decoded.messages);
    expect(serverClose.fields).toMatchObject({ opcode: 'close', closeCode: 1009, closeReason: reason });
    expect(find(serverClose.tree, 'ws-close-code')!.value).toBe('1009 message too big');
    expect(serverClose.summary).toContain('1009 message too big');
  });

  it('shows protocol violations instead of throwing', () => {
    const { request, response } = handshake();
    const decoded = decode(
      [
        concatBytes(
          request,
          frameBytes({ opcode: 1, payload: 'no mask' }),
          frameBytes({ opcode: 9, payload: new Uint8Array(126), mask: KEY }),
          frameBytes({ opcode: 10, fin: false, mask: KEY }),
          frameBytes({ opcode: 3, payload: 'x', mask: KEY }),
          frameBytes({ opcode: 0, payload: 'x', mask: KEY }),
          frameBytes({ opcode: 1, payload: 'short', mask: KEY, lengthBits: 16 }),
          frameBytes({ opcode: 8, payload: new Uint8Array([0x03, 0xee]), mask: KEY }),
          frameBytes({ opcode: 1, payload: new Uint8Array([0xc3, 0x28]), mask: KEY }),
        ),
      ],
      [concatBytes(response, frameBytes({ opcode: 1, payload: 'masked by the server', mask: KEY }))],
    );
    const errors = frames(decoded.messages).map((message) => [message.dir, message.fields!.error]);
    expect(errors).toEqual([
      ['in', 'unmasked-client-frame'],
      ['in', 'control-frame-too-long'],
      ['in', 'fragmented-control-frame'],
      ['in', 'reserved-opcode'],
      ['in', 'unexpected-continuation'],
      ['in', 'non-minimal-length'],
      ['in', 'invalid-close-code'],
      ['in', 'frame-after-close,invalid-utf8'],
      ['out', 'masked-server-frame'],
    ]);
  });

  it('stops at a hole in the recording and says why', () => {
    const { request, response } = handshake();
    const first = frameBytes({ opcode: 1, payload: 'before' });
    const { connection, chunks } = connectionOf([request], [concatBytes(response, first)]);
    chunks.push({ conn: 'c1', seq: 99, dir: 'out', t: 1500, offset: response.length + first.length + 40, data: frameBytes({ opcode: 1, payload: 'after' }) });
    const decoded = decodeConnection(connection, chunks);
    expect(frames(decoded.messages)).toHaveLength(1);
    expect(decoded.notes.map((note) => [note.dir, note.node.kind, note.node.error])).toEqual([['out', 'ws-after-gap', 'after-gap']]);
  });

  it('hands messages to payload layers with the path, subprotocol and a type from the opcode', () => {
    const { request, response } = handshake({ offer: 'wirelab.chat.v1, other', protocol: 'wirelab.chat.v1' });
    const seen: PayloadContext[] = [];
    registerPayloadLayer({
      name: 'test-chat-v1',
      accepts: (context) => context.carrier === 'ws-message' && context.subprotocol === 'wirelab.chat.v1',
      decode: (payload, offsets, context) => {
        seen.push(context);
        return [{ kind: 'test-chat', label: 'chat', value: new TextDecoder().decode(payload), range: rangeOf(offsets, 0, payload.length) }];
      },
    });
    const text = frameBytes({ opcode: 1, fin: false, payload: '{"a":', mask: KEY });
    const rest = frameBytes({ opcode: 0, payload: '1}', mask: KEY });
    const decoded = decode([concatBytes(request, text, rest, frameBytes({ opcode: 2, payload: new Uint8Array([1]), mask: KEY }))], [response]);
    expect(seen.map((context) => [context.path, context.subprotocol, context.contentType])).toEqual([
      ['/ws/echo', 'wirelab.chat.v1', 'text/plain; charset=utf-8'],
      ['/ws/echo', 'wirelab.chat.v1', 'application/octet-stream'],
    ]);
    const layered = find(frames(decoded.messages)[1].tree, 'test-chat')!;
    expect(layered.value).toBe('{"a":1}');
    // the payload spans two frames: its range runs from the first fragment's payload to the last's end
    expect(layered.range).toEqual({ start: request.length + 6, end: request.length + text.length + rest.length });
  });
});

describe('a WebSocket upgrade captured from curl (wire/fixtures/curl-upgrade.json)', () => {
  it('turns the bytes after the 101 into a frame instead of an "upgraded" note', () => {
    const { fixture, chunks } = readFixture('curl-upgrade');
    const decoded = decodeConnection(fixture.connections[0], chunks);
    expect(decoded.notes.filter((note) => note.node.kind === 'upgraded')).toEqual([]);
    const [frame] = frames(decoded.messages);
    expect(frame).toMatchObject({ dir: 'out', layer: 'ws-frame', index: 0, fields: { opcode: 'text', fin: true, masked: false, length: 5 } });
    expect(frame.range.start).toBe(decoded.exchanges[0].upgrade!.outboundOffset);
    expect(find(frame.tree, 'ws-message')!.value).toBe('hello');
  });
});
