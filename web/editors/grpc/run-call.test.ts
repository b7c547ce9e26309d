import { describe, expect, it } from 'vitest';
import type { CallEvent } from './call-log.ts';
import { findMethod, grpcRegistry } from './method-catalog.ts';
import { runBrowserCall } from './run-call.ts';
import type { GrpcProtocol } from './grpc-cell-config.ts';

/** A call to GetUser answered by `response`, as the cell runs it: every event it logged. */
async function callAnsweredWith(protocol: GrpcProtocol, response: () => Response, path = 'wirelab.users.v1.UserService/GetUser'): Promise<CallEvent[]> {
  const events: CallEvent[] = [];
  await runBrowserCall({
    method: findMethod(path)!,
    protocol,
    registry: grpcRegistry(),
    baseUrl: 'http://127.0.0.1:1',
    request: {},
    metadata: {},
    signal: new AbortController().signal,
    onEvent: (event) => events.push(event),
    now: () => 0,
    fetch: async () => response(),
  });
  return events;
}

const pairsOf = (events: CallEvent[], kind: 'headers' | 'status') =>
  events.flatMap((event) =>
    event.kind === kind ? [kind === 'status' ? (event as { trailers: unknown }).trailers : (event as { headers: unknown }).headers] : [],
  );

/** The HTTP headers every answer of the server carries, none of them a trailer. */
const httpHeaders = { date: 'Mon, 23 Nov 2026 14:00:00 GMT', connection: 'keep-alive', 'x-wirelab-sandbox': 'k3' };

/** gRPC-Web's trailers frame: flag 0x80, a 4-byte length, then the trailers as header lines. */
function trailersFrame(text: string): Uint8Array<ArrayBuffer> {
  const payload = new TextEncoder().encode(text);
  const frame = new Uint8Array(5 + payload.length);
  frame[0] = 0x80;
  new DataView(frame.buffer).setUint32(1, payload.length);
  frame.set(payload, 5);
  return frame;
}

describe('the gRPC cell’s Trailers', () => {
  it('lists no HTTP header as a trailer of a Connect unary error: only the trailer- metadata', async () => {
    const body = JSON.stringify({ code: 'not_found', message: 'user 999 does not exist' });
    const events = await callAnsweredWith(
      'connect-json',
      () =>
        new Response(body, {
          status: 404,
          headers: { ...httpHeaders, 'content-type': 'application/json', 'content-length': String(body.length), 'trailer-x-wirelab-duration-ms': '3' },
        }),
    );
    expect(events.find((event) => event.kind === 'status')).toMatchObject({ status: { name: 'NOT_FOUND' } });
    expect(pairsOf(events, 'status')).toEqual([[['x-wirelab-duration-ms', '3']]]);
    // the headers are still shown, as headers
    expect(pairsOf(events, 'headers')[0]).toEqual(
      expect.arrayContaining([
        ['content-length', String(body.length)],
        ['date', httpHeaders.date],
      ]),
    );
  });

  it('lists a failed gRPC-Web call’s trailers frame, not its HTTP headers', async () => {
    const frame = trailersFrame('grpc-status: 5\r\ngrpc-message: user%20999\r\nx-wirelab-duration-ms: 2\r\n');
    const events = await callAnsweredWith(
      'grpc-web',
      () =>
        new Response(frame, { status: 200, headers: { ...httpHeaders, 'content-type': 'application/grpc-web+proto', 'x-content-type-options': 'nosniff' } }),
    );
    expect(events.find((event) => event.kind === 'status')).toMatchObject({ status: { name: 'NOT_FOUND' } });
    const [trailers] = pairsOf(events, 'status') as Array<Array<[string, string]>>;
    expect(trailers.map(([name]) => name).sort()).toEqual(['grpc-message', 'grpc-status', 'x-wirelab-duration-ms']);
  });

  it('lists a failed Connect stream’s end-of-stream metadata, not its HTTP headers', async () => {
    const endStream = new TextEncoder().encode(
      JSON.stringify({ error: { code: 'invalid_argument', message: 'no' }, metadata: { 'x-wirelab-duration-ms': ['4'] } }),
    );
    const envelope: Uint8Array<ArrayBuffer> = new Uint8Array(5 + endStream.length);
    envelope[0] = 0x02;
    new DataView(envelope.buffer).setUint32(1, endStream.length);
    envelope.set(endStream, 5);
    const events = await callAnsweredWith(
      'connect-json',
      () => new Response(envelope, { status: 200, headers: { ...httpHeaders, 'content-type': 'application/connect+json' } }),
      'wirelab.lab.v1.LabService/Ticks',
    );
    expect(events.find((event) => event.kind === 'status')).toMatchObject({ status: { name: 'INVALID_ARGUMENT' } });
    expect(pairsOf(events, 'status')).toEqual([[['x-wirelab-duration-ms', '4']]]);
    expect(pairsOf(events, 'headers')).toHaveLength(1);
  });
});
