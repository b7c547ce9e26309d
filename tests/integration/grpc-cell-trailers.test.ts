import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../web/editors/grpc/call-log.ts';
import type { GrpcProtocol } from '../../web/editors/grpc/grpc-cell-config.ts';
import { findMethod, grpcRegistry } from '../../web/editors/grpc/method-catalog.ts';
import { runBrowserCall } from '../../web/editors/grpc/run-call.ts';
import { newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/** The gRPC cell's call of GetUser for a user that does not exist, against the real server: its log. */
async function missingUser(protocol: GrpcProtocol, session: string): Promise<CallEvent[]> {
  const events: CallEvent[] = [];
  await runBrowserCall({
    method: findMethod('wirelab.users.v1.UserService/GetUser')!,
    protocol,
    registry: grpcRegistry(),
    baseUrl: server.origin,
    request: { id: 999 },
    metadata: { 'x-wirelab-sandbox': session },
    signal: new AbortController().signal,
    onEvent: (event) => events.push(event),
  });
  return events;
}

const names = (events: CallEvent[], kind: 'headers' | 'status') =>
  events
    .flatMap((event) => (event.kind === 'status' && kind === 'status' ? event.trailers : event.kind === 'headers' && kind === 'headers' ? event.headers : []))
    .map(([name]) => name);

describe('the gRPC cell’s Trailers against the real server', () => {
  it('shows no HTTP header among a Connect unary error’s trailers', async () => {
    const events = await missingUser('connect-json', await newSession(server.origin));
    expect(events.find((event) => event.kind === 'status')).toMatchObject({ status: { name: 'NOT_FOUND' } });
    expect(names(events, 'headers')).toEqual(expect.arrayContaining(['content-type', 'date']));
    for (const name of names(events, 'status'))
      expect(['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']).not.toContain(name);
  });

  it('shows the trailers frame of a failed gRPC-Web call, and none of its HTTP headers', async () => {
    const events = await missingUser('grpc-web', await newSession(server.origin));
    expect(events.find((event) => event.kind === 'status')).toMatchObject({ status: { name: 'NOT_FOUND' } });
    const trailers = names(events, 'status');
    expect(trailers).toEqual(expect.arrayContaining(['grpc-status', 'grpc-message']));
    for (const name of trailers) expect(['content-type', 'date', 'connection', 'keep-alive', 'transfer-encoding']).not.toContain(name);
  });
});
