// What a gRPC check's transcript shows: the frames in the order they crossed the wire.
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressGuard } from './address-guard.ts';
import type { SuiteContext } from './check-kit.ts';
import { ConnectionBudget } from './connection.ts';
import { frameMessage, grpcCall } from './grpc-client.ts';

let server: Http2Server;
let port: number;
beforeAll(async () => {
  server = createServer();
  server.on('stream', (stream) => {
    stream.on('data', () => {});
    stream.once('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frameMessage(new Uint8Array([0x0a, 0x01, 0x41])));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const context = (): SuiteContext => ({
  guard: createAddressGuard({ studentAddress: '127.0.0.1', enabled: true }),
  budget: new ConnectionBudget(),
  target: { host: '127.0.0.1', port },
  signal: new AbortController().signal,
});

describe('a gRPC call’s transcript', () => {
  it('lists the response HEADERS, then DATA, then the trailers, as they came', async () => {
    const answer = await grpcCall(context(), { path: '/echo.Echo/Say', messages: [new Uint8Array([0x0a, 0x01, 0x41])] });
    const order = answer.got.split('\n').filter((line) => line.startsWith('←'));
    expect(order).toEqual(['← HEADERS', '← DATA 00 00 00 00 03 0a 01 41', '← TRAILERS']);
  });
});
