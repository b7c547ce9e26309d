import { create, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { GetUserRequestSchema } from '../../proto/gen/wirelab/users/v1/users_pb.ts';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import { contiguousOffsets, decodePayload, type PayloadContext } from '../payload-layers.ts';
import { GRPC_DETAILED_MESSAGES_PER_BODY } from './grpc-layers.ts';
import type { WireMessage, WireNode } from '../types.ts';

function decodeFixture(name: string) {
  const { fixture, chunks } = readFixture(name);
  return decodeConnection(fixture.connections[0], chunks);
}

const ofLayer = (messages: WireMessage[] | undefined, layer: string) => (messages ?? []).filter((message) => message.layer === layer);

function find(node: WireNode, predicate: (node: WireNode) => boolean): WireNode | undefined {
  if (predicate(node)) return node;
  for (const child of node.children ?? []) {
    const found = find(child, predicate);
    if (found) return found;
  }
  return undefined;
}

describe('gRPC over HTTP/2 (native)', () => {
  const decoded = decodeFixture('grpc-unary');
  const grpcMessages = ofLayer(decoded.messages, 'grpc-message');
  const statuses = ofLayer(decoded.messages, 'grpc-status');

  it('each length-prefixed message is a WireMessage of its stream, decoded with the method’s types', () => {
    const [request, response] = grpcMessages;
    expect(request).toMatchObject({
      dir: 'in',
      group: 'stream 1',
      fields: {
        protocol: 'grpc',
        dir: 'request',
        compressed: false,
        length: 2,
        method: '/wirelab.users.v1.UserService/GetUser',
        messageType: 'wirelab.users.v1.GetUserRequest',
        complete: true,
      },
    });
    expect(request.tree.children?.map((child) => child.kind)).toEqual(['grpc-flags', 'grpc-length', 'pb-message']);
    expect(find(request.tree, (node) => node.kind === 'pb-field')?.label).toBe('1 id: uint32');
    expect(response.fields).toMatchObject({ dir: 'response', messageType: 'wirelab.users.v1.GetUserResponse' });
    expect(find(response.tree, (node) => node.label === '2 name: string')?.value).toBe('"Ada Lovelace"');
    // the envelope header: 1 flag byte then a 4-byte length, right before the message
    const [flags, length, body] = response.tree.children!;
    expect(flags.range.end).toBe(length.range.start);
    expect(length.range.end - length.range.start).toBe(4);
    expect(body.range.start).toBe(length.range.end);
  });

  it('a message split over two DATA frames is one message; its bytes span both frames', () => {
    const echo = grpcMessages.find((message) => message.fields?.messageType === 'wirelab.lab.v1.EchoRequest')!;
    const dataFrames = decoded.messages!.filter(
      (message) =>
        message.layer === 'h2-frame' &&
        message.group === echo.group &&
        message.dir === 'in' &&
        message.fields?.type === 'DATA' &&
        Number(message.fields.dataLength) > 0,
    );
    expect(dataFrames).toHaveLength(2);
    expect(echo.fields?.length).toBe(30004);
    expect(echo.range.start).toBeLessThan(dataFrames[0].range.end);
    expect(echo.range.end).toBe(dataFrames[1].range.end);
    const text = find(echo.tree, (node) => node.kind === 'pb-string')!;
    expect(JSON.parse(text.value!)).toBe('Привет, gRPC! '.repeat(1500));
  });

  it('a compressed response is flagged, not misread as protobuf', () => {
    const echoResponse = grpcMessages.find((message) => message.fields?.messageType === 'wirelab.lab.v1.EchoResponse')!;
    expect(echoResponse.fields?.compressed).toBe(true);
    expect(echoResponse.tree.children?.[0].value).toBe('0x01 = compressed');
    expect(echoResponse.tree.children?.[2]).toMatchObject({ kind: 'grpc-compressed', label: 'Message compressed with gzip (not decompressed here)' });
  });

  it('trailers: grpc-status OK, and NOT_FOUND with grpc-message and grpc-status-details-bin as google.rpc.Status', () => {
    expect(statuses.map((status) => status.fields?.codeName)).toEqual(['OK', 'NOT_FOUND', 'OK']);
    const notFound = statuses[1];
    expect(notFound).toMatchObject({
      dir: 'out',
      group: 'stream 3',
      fields: {
        protocol: 'grpc',
        code: 5,
        codeName: 'NOT_FOUND',
        message: 'user 42 not found',
        details: 'google.rpc.ErrorInfo',
        method: '/wirelab.users.v1.UserService/GetUser',
      },
    });
    expect(notFound.tree.error).toBe('grpc-not-found');
    expect(find(notFound.tree, (node) => node.label === '1 reason: string')?.value).toBe('"USER_NOT_FOUND"');
    // the status is also highlighted inside the HEADERS frame that carried the trailers
    const trailersFrame = decoded.messages!.find(
      (message) => message.layer === 'h2-frame' && message.group === 'stream 3' && message.fields?.grpcStatus === 5,
    )!;
    expect(trailersFrame.fields).toMatchObject({ type: 'HEADERS', endStream: true, trailers: true });
    expect(trailersFrame.tree.children?.some((child) => child.kind === 'grpc-status')).toBe(true);
    // and the exchange's headers end with the trailers
    expect(decoded.exchanges[1].response?.headers.find(([name]) => name === 'grpc-status')?.[1]).toBe('5');
  });

  it('server streaming: three responses in order, then the status', () => {
    const streaming = decodeFixture('grpc-server-streaming');
    const responses = ofLayer(streaming.messages, 'grpc-message').filter((message) => message.dir === 'out');
    expect(responses.map((message) => message.fields?.index)).toEqual([0, 1, 2]);
    expect(responses.map((message) => find(message.tree, (node) => node.label === '2 position: uint32')?.value ?? '0')).toEqual(['0', '1', '2']);
    expect(ofLayer(streaming.messages, 'grpc-status').map((status) => status.fields?.codeName)).toEqual(['OK']);
  });
});

describe("gRPC to the Wirelab server's own plugin", () => {
  it('Echo metadata comes back as headers; Fail INVALID_ARGUMENT carries ErrorInfo and BadRequest', () => {
    const decoded = decodeFixture('grpc-wirelab');
    expect(decoded.exchanges.map((exchange) => exchange.request.path)).toEqual([
      '/wirelab.lab.v1.LabService/Echo',
      '/wirelab.users.v1.UserService/ListUsers',
      '/wirelab.lab.v1.LabService/Fail',
    ]);
    expect(decoded.exchanges[0].request.headers).toContainEqual(['x-echo-lang', 'ru']);
    expect(decoded.exchanges[0].response?.headers).toContainEqual(['x-echo-lang', 'ru']);
    const echoed = ofLayer(decoded.messages, 'grpc-message').find((message) => message.fields?.messageType === 'wirelab.lab.v1.EchoResponse')!;
    expect(find(echoed.tree, (node) => node.label === '1 message: string')?.value).toBe('"привет"');
    const fail = ofLayer(decoded.messages, 'grpc-status').find((status) => status.fields?.code === 3)!;
    expect(fail.fields).toMatchObject({
      codeName: 'INVALID_ARGUMENT',
      message: 'name must not be empty',
      details: 'google.rpc.ErrorInfo,google.rpc.BadRequest',
      method: '/wirelab.lab.v1.LabService/Fail',
    });
    expect(find(fail.tree, (node) => node.label.startsWith('1 field_violations'))).toBeDefined();
  });
});

describe('gRPC-Web over HTTP/1.1', () => {
  const decoded = decodeFixture('grpc-web');

  it('messages and the 0x80 trailers frame of each call', () => {
    const grpcMessages = ofLayer(decoded.messages, 'grpc-message');
    expect(grpcMessages.every((message) => message.fields?.protocol === 'grpc-web')).toBe(true);
    expect(grpcMessages.map((message) => `${message.dir} ${message.fields?.messageType}`)).toEqual([
      'in wirelab.users.v1.GetUserRequest',
      'out wirelab.users.v1.GetUserResponse',
      'in wirelab.users.v1.GetUserRequest',
      'in wirelab.users.v1.ListUsersRequest',
      'out wirelab.users.v1.ListUsersResponse',
      'out wirelab.users.v1.ListUsersResponse',
      'out wirelab.users.v1.ListUsersResponse',
    ]);
    const statuses = ofLayer(decoded.messages, 'grpc-status');
    expect(statuses.map((status) => [status.group, status.fields?.codeName])).toEqual([
      ['exchange 0', 'OK'],
      ['exchange 1', 'NOT_FOUND'],
      ['exchange 2', 'OK'],
    ]);
    expect(statuses[1].fields).toMatchObject({ protocol: 'grpc-web', message: 'user 42 not found', details: 'google.rpc.ErrorInfo' });
    const body = decoded.exchanges[1].response!.tree.children!.find((child) => child.kind === 'body')!;
    const trailers = find(body, (node) => node.kind === 'grpc-web-trailers')!;
    expect(trailers.children?.[0].value).toBe('0x80 = trailers');
    const lines = find(trailers, (node) => node.kind === 'grpc-web-trailer-lines')!;
    expect(lines.children?.map((line) => line.label)).toContain('grpc-status');
    // each trailer line points at its own bytes in the response body
    const stream = decoded.streams.out;
    const statusLine = lines.children!.find((line) => line.label === 'grpc-status')!;
    expect(Buffer.from(stream.slice(statusLine.range)).toString()).toBe('grpc-status: 5\r\n');
  });
});

describe('Connect over HTTP/1.1', () => {
  const decoded = decodeFixture('connect-streaming');

  it('streaming envelopes (proto and JSON) end with the 0x02 end-stream JSON', () => {
    const messages = ofLayer(decoded.messages, 'grpc-message');
    const proto = messages.filter((message) => message.group === 'exchange 0');
    expect(proto.map((message) => message.fields?.codec)).toEqual(['proto', 'proto', 'proto', 'proto']);
    const json = messages.filter((message) => message.group === 'exchange 1' && message.dir === 'out');
    expect(json).toHaveLength(3);
    expect(json[0].tree.children?.[2]).toMatchObject({ kind: 'grpc-json' });
    expect(JSON.parse(json[0].tree.children![2].value!)).toMatchObject({ user: { name: 'Ada Lovelace' } });
    const endStream = find(decoded.exchanges[0].response!.tree, (node) => node.kind === 'connect-end-stream')!;
    expect(endStream.children?.[0].value).toBe('0x02 = end of stream');
    const statuses = ofLayer(decoded.messages, 'grpc-status');
    expect(statuses.map((status) => [status.group, status.fields?.protocol, status.fields?.codeName])).toEqual([
      ['exchange 0', 'connect', 'OK'],
      ['exchange 1', 'connect', 'OK'],
      ['exchange 3', 'connect', 'NOT_FOUND'],
    ]);
  });

  it('unary: the proto body is the message itself; a JSON error body is the status', () => {
    const unary = ofLayer(decoded.messages, 'grpc-message').filter((message) => message.group === 'exchange 2');
    expect(unary.map((message) => [message.dir, message.fields?.envelope, message.fields?.messageType])).toEqual([
      ['in', false, 'wirelab.users.v1.GetUserRequest'],
      ['out', false, 'wirelab.users.v1.GetUserResponse'],
    ]);
    const error = ofLayer(decoded.messages, 'grpc-status').find((status) => status.group === 'exchange 3')!;
    expect(error.fields).toMatchObject({ code: 5, message: 'user 42 not found', details: 'google.rpc.ErrorInfo' });
    expect(find(error.tree, (node) => node.label === '1 reason: string')?.value).toBe('"USER_NOT_FOUND"');
  });
});

describe('envelopes built by hand', () => {
  const message = toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: 7 } }));
  const envelope = (flags: number, body: Uint8Array) => Uint8Array.from([flags, 0, 0, 0, body.length, ...body]);
  const context = (contentType: string, complete: boolean): PayloadContext => ({
    carrier: 'h2-data',
    contentType,
    path: '/wirelab.users.v1.UserService/GetUser',
    headers: [[':method', 'POST']],
    complete,
  });

  it('an envelope still arriving says "incomplete"; cut short once the stream ended, "truncated"', () => {
    const partial = envelope(0, message).subarray(0, 6);
    const [arriving] = decodePayload(partial, contiguousOffsets(0), context('application/grpc', false));
    expect(arriving).toMatchObject({ kind: 'grpc-message', error: 'incomplete' });
    const [cut] = decodePayload(partial, contiguousOffsets(0), context('application/grpc', true));
    expect(cut.error).toBe('truncated');
    const [header] = decodePayload(Uint8Array.from([0, 0]), contiguousOffsets(0), context('application/grpc', false));
    expect(header).toMatchObject({ kind: 'grpc-incomplete', value: '2 of the 5 bytes of an envelope header' });
  });

  it(`only the last ${GRPC_DETAILED_MESSAGES_PER_BODY} messages of a body are decoded field by field`, () => {
    const count = GRPC_DETAILED_MESSAGES_PER_BODY + 2;
    const body = Uint8Array.from(Array.from({ length: count }, () => [...envelope(0, message)]).flat());
    const nodes = decodePayload(body, contiguousOffsets(0), context('application/grpc', true));
    expect(nodes).toHaveLength(count);
    expect(nodes.map((node) => node.children?.[2].kind).slice(0, 3)).toEqual(['grpc-not-detailed', 'grpc-not-detailed', 'pb-message']);
    expect(nodes[0].children?.[2].range).toEqual({ start: 5, end: 5 + message.length });
    expect(nodes[count - 1].children?.[2].kind).toBe('pb-message');
  });

  it('grpc-web-text: base64 of the envelopes, decoded, trailers included', () => {
    const trailers = new TextEncoder().encode('grpc-status:0\r\n');
    const body = new TextEncoder().encode(Buffer.from([...envelope(0, message), ...envelope(0x80, trailers)]).toString('base64'));
    const [text] = decodePayload(body, contiguousOffsets(0), { ...context('application/grpc-web-text', true), carrier: 'http-request-body' });
    expect(text.kind).toBe('grpc-web-text');
    expect(text.children?.map((child) => child.kind)).toEqual(['grpc-message', 'grpc-web-trailers']);
    expect(find(text, (node) => node.kind === 'pb-field')?.value).toBe('7');
  });
});
