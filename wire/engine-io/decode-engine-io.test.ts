import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { messageMarkOf } from '../message-marks.ts';
import { chunkedOffsets, contiguousOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { concatBytes, connectionOf, frameBytes, handshake } from '../websocket/build-frames.test-helper.ts';
import { decodeEngineIoPayload, decodeEngineIoWebSocketMessage, encodeEngineIoPayload, engineIoLayer } from './decode-engine-io.ts';
import { decodeSocketIoPacket } from './decode-socket-io.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const KEY: [number, number, number, number] = [1, 2, 3, 4];

function find(node: WireNode, kind: string): WireNode | undefined {
  if (node.kind === kind) return node;
  for (const child of node.children ?? []) {
    const found = find(child, kind);
    if (found) return found;
  }
  return undefined;
}

describe('Socket.IO packets', () => {
  const decode = (text: string) => decodeSocketIoPacket(text, (index) => 100 + new TextEncoder().encode(text.slice(0, index)).length);

  it('reads type, namespace, ack id and event arguments', () => {
    const packet = decode('2/chat,12["chat:join","lobby"]');
    expect(packet).toMatchObject({ type: 'EVENT', namespace: '/chat', ackId: 12, event: 'chat:join', data: ['chat:join', 'lobby'] });
    expect(messageMarkOf(packet.node)!.fields).toEqual({ type: 'EVENT', namespace: '/chat', ackId: 12, event: 'chat:join' });
    expect(find(packet.node, 'sio-namespace')!.range).toEqual({ start: 101, end: 107 });
    expect(find(packet.node, 'sio-ack-id')!.range).toEqual({ start: 107, end: 109 });
    expect(find(packet.node, 'sio-data')!.range).toEqual({ start: 109, end: 100 + '2/chat,12["chat:join","lobby"]'.length });
  });

  it('knows every packet type and the defaults', () => {
    expect(decode('0{"name":"student"}')).toMatchObject({ type: 'CONNECT', namespace: '/', namespaceWritten: false, data: { name: 'student' } });
    expect(messageMarkOf(decode('0{"sid":"abc"}').node)!.fields).toMatchObject({ type: 'CONNECT', sid: 'abc' });
    expect(decode('1').type).toBe('DISCONNECT');
    expect(decode('30[{"ok":true}]')).toMatchObject({ type: 'ACK', ackId: 0, data: [{ ok: true }] });
    expect(messageMarkOf(decode('4{"message":"name required"}').node)!.fields).toEqual({ type: 'CONNECT_ERROR', namespace: '/', message: 'name required' });
    expect(decode('51-["upload",{"_placeholder":true,"num":0}]')).toMatchObject({ type: 'BINARY_EVENT', attachments: 1, event: 'upload' });
    expect(decode('61-3[{"_placeholder":true,"num":0}]')).toMatchObject({ type: 'BINARY_ACK', attachments: 1, ackId: 3 });
  });

  it('counts UTF-8 bytes for the ranges after non-ASCII text', () => {
    const text = '2["чат","дальше"]';
    const packet = decode(text);
    expect(packet.event).toBe('чат');
    expect(packet.node.range).toEqual({ start: 100, end: 100 + new TextEncoder().encode(text).length });
  });

  it('reports malformed packets instead of throwing', () => {
    expect(decode('9').error).toBe('unknown-packet-type');
    expect(decode('2["unterminated"').error).toBe('invalid-json');
    expect(decode('2{"not":"an array"}').error).toBe('event-without-name');
    expect(decode('2').error).toBe('missing-data');
  });
});

describe('Engine.IO over polling', () => {
  it('splits a body at the record separators and reads each packet', () => {
    const body = '0{"sid":"Ab1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}\x1e40{"sid":"Xy2"}\x1e2';
    const packets = decodeEngineIoPayload(utf8(body), contiguousOffsets(50));
    expect(packets.map((packet) => [packet.type, packet.transport, packet.probe])).toEqual([
      ['open', 'polling', false],
      ['message', 'polling', false],
      ['ping', 'polling', false],
    ]);
    expect(packets[0].open).toEqual({ sid: 'Ab1', upgrades: ['websocket'], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 });
    expect(messageMarkOf(packets[0].node)!.fields).toMatchObject({ type: 'open', transport: 'polling', probe: false, sid: 'Ab1', pingInterval: 25000 });
    expect(packets[1].socketIo).toMatchObject({ type: 'CONNECT', data: { sid: 'Xy2' } });
    const second = body.indexOf('40');
    expect(packets[1].node.range).toEqual({ start: 50 + second, end: 50 + second + '40{"sid":"Xy2"}'.length });
    expect(find(packets[0].node, 'eio-separator')!.range).toEqual({ start: 50 + second - 1, end: 50 + second });
  });

  it('writes a polling body the reader splits back into the same packets', () => {
    const packets = ['40{"name":"Ада"}', '42["chat:message",{"text":"x"}]', '3'];
    expect(encodeEngineIoPayload(packets)).toBe(packets.join('\x1e'));
    const read = decodeEngineIoPayload(utf8(encodeEngineIoPayload(packets)), contiguousOffsets(0));
    expect(read.map((packet) => packet.type)).toEqual(['message', 'message', 'pong']);
    expect(read.map((packet) => packet.socketIo?.type)).toEqual(['CONNECT', 'EVENT', undefined]);
  });

  it('decodes "b" + base64 binary packets and ties them to the BINARY_EVENT before them', () => {
    const body = '451-["upload",{"_placeholder":true,"num":0}]\x1ebAQID/w==';
    const packets = decodeEngineIoPayload(utf8(body), contiguousOffsets(0));
    expect(packets[1]).toMatchObject({ type: 'message', binary: true, bytes: new Uint8Array([1, 2, 3, 255]) });
    expect(packets[1].node.label).toContain('attachment 0 of the BINARY_EVENT');
    expect(messageMarkOf(packets[1].node)!.fields).toEqual({ type: 'message', transport: 'polling', probe: false, binary: true });
  });

  it('maps ranges through a chunked body', () => {
    const body = utf8('2\x1e3');
    // the body's bytes sit in two chunk-data ranges: "2\x1e" at 10–12 and "3" at 20–21
    const packets = decodeEngineIoPayload(
      body,
      chunkedOffsets([
        { start: 10, end: 12 },
        { start: 20, end: 21 },
      ]),
    );
    expect(packets.map((packet) => packet.node.range)).toEqual([
      { start: 10, end: 11 },
      { start: 20, end: 21 },
    ]);
  });

  it('accepts polling bodies but not the "ok" (text/html) answer to a POST or other paths', () => {
    const base = { path: '/socket.io/', complete: true } as const;
    expect(engineIoLayer.accepts({ ...base, carrier: 'http-response-body', contentType: 'text/plain; charset=utf-8' })).toBe(true);
    expect(engineIoLayer.accepts({ ...base, carrier: 'http-request-body', contentType: 'text/plain;charset=utf-8' })).toBe(true);
    expect(engineIoLayer.accepts({ ...base, carrier: 'http-response-body', contentType: 'text/html' })).toBe(false);
    expect(engineIoLayer.accepts({ ...base, carrier: 'ws-message', path: '/ws/echo' })).toBe(false);
  });
});

describe('Engine.IO over WebSocket', () => {
  it('reads the probe dance, the upgrade and binary attachments as messages of the connection', () => {
    const { request, response } = handshake({ path: '/socket.io/?EIO=4&transport=websocket&sid=Ab1' });
    const inbound = concatBytes(
      request,
      frameBytes({ opcode: 1, payload: '2probe', mask: KEY }),
      frameBytes({ opcode: 1, payload: '5', mask: KEY }),
      frameBytes({ opcode: 1, payload: '451-0["upload",{"_placeholder":true,"num":0}]', mask: KEY }),
      frameBytes({ opcode: 2, payload: new Uint8Array([9, 8, 7]), mask: KEY }),
    );
    const outbound = concatBytes(response, frameBytes({ opcode: 1, payload: '3probe' }), frameBytes({ opcode: 1, payload: '2' }));
    const { connection, chunks } = connectionOf([inbound], [outbound]);
    const decoded = decodeConnection(connection, chunks);
    const layers = decoded.messages!.filter((message) => message.layer !== 'ws-frame').map((message) => [message.dir, message.layer, message.fields]);
    expect(layers).toEqual([
      ['in', 'engine-io-packet', { type: 'ping', transport: 'websocket', probe: true }],
      ['in', 'engine-io-packet', { type: 'upgrade', transport: 'websocket', probe: false }],
      ['in', 'engine-io-packet', { type: 'message', transport: 'websocket', probe: false }],
      ['in', 'socket-io-packet', { type: 'BINARY_EVENT', namespace: '/', ackId: 0, event: 'upload', attachments: 1 }],
      ['in', 'engine-io-packet', { type: 'message', transport: 'websocket', probe: false, binary: true }],
      ['out', 'engine-io-packet', { type: 'pong', transport: 'websocket', probe: true }],
      ['out', 'engine-io-packet', { type: 'ping', transport: 'websocket', probe: false }],
    ]);
    // each packet sits inside its frame's payload
    const frames = decoded.messages!.filter((message) => message.layer === 'ws-frame');
    const probe = decoded.messages!.find((message) => message.layer === 'engine-io-packet')!;
    expect(probe.range.start).toBe(frames[0].range.start + 6);
    expect(probe.range.end).toBe(frames[0].range.end);
    // numbering follows byte order: frame, then the packets inside it
    expect(decoded.messages!.map((message) => message.index)).toEqual(decoded.messages!.map((_, index) => index));
  });

  it('a binary WebSocket message on /socket.io/ is an attachment', () => {
    const packet = decodeEngineIoWebSocketMessage(new Uint8Array([1, 2]), contiguousOffsets(0), true);
    expect(packet).toMatchObject({ type: 'message', binary: true, transport: 'websocket' });
  });
});
