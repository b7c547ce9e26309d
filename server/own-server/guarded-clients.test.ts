// Every client the checks use goes through the guard on every connection, not only the probe
// before a suite: a DNS name that answers loopback first and another machine next (rebinding)
// is refused on the connection that would reach the other machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressGuard, OwnServerRefusal, type Resolver } from './address-guard.ts';
import type { SuiteContext } from './check-kit.ts';
import { CheckStopped, ConnectionBudget } from './connection.ts';
import { EventStreamReader } from './sse-client.ts';
import { httpExchange } from './http-exchange.ts';
import { MqttLog, connectMqtt } from './mqtt-client.ts';
import { openWebSocket } from './websocket-client.ts';

let server: Server;
let port: number;
let connections = 0;
/** Sockets of requests to /hold, which are never answered, and who waits for the next one. */
const held: Socket[] = [];
let heldChanged: () => void = () => {};
const nextHeldChange = () => new Promise<void>((resolve) => (heldChanged = resolve));
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url !== '/hold') return response.end('hi');
    held.push(request.socket);
    request.socket.once('close', () => heldChanged());
    heldChanged();
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function context(studentAddress: string, host = '127.0.0.1', resolver?: Resolver): SuiteContext {
  return {
    guard: createAddressGuard({ studentAddress, enabled: true }),
    budget: new ConnectionBudget(),
    resolver,
    target: { host, port },
    signal: new AbortController().signal,
  };
}

describe("the checks' clients", () => {
  it('refuse another machine in HTTP, SSE, WebSocket and MQTT alike, without connecting', async () => {
    const before = connections;
    const lanStudent = context('192.168.1.5');
    await expect(httpExchange(lanStudent, { method: 'GET', path: '/' })).rejects.toBeInstanceOf(OwnServerRefusal);
    await expect(openWebSocket(lanStudent, '/ws/echo')).rejects.toBeInstanceOf(OwnServerRefusal);
    await expect(connectMqtt(lanStudent, new MqttLog(), 'client', { clientId: 'guarded' })).rejects.toBeInstanceOf(OwnServerRefusal);
    const stream = new EventStreamReader(lanStudent, '/events');
    expect(await stream.until(() => stream.status !== 0, 'an answer')).toBe(false);
    expect(connections).toBe(before);
  });

  it('resolve the name again for every connection and refuse when it now points elsewhere', async () => {
    const answers = ['127.0.0.1', '198.51.100.20'];
    const resolver: Resolver = (_name, callback) => callback(null, [{ address: answers.shift() ?? '198.51.100.20', family: 4 }]);
    const student = context('127.0.0.1', 'rebinding.example', resolver);
    const first = await httpExchange(student, { method: 'GET', path: '/' });
    expect(first.status).toBe(200);
    expect(first.sent).toMatch(/^GET \/ HTTP\/1\.1\n/);
    expect(first.got).toMatch(/^HTTP\/1\.1 200 OK\n[\s\S]*\nhi$/);
    const second = await httpExchange(student, { method: 'GET', path: '/' }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(OwnServerRefusal);
    expect((second as OwnServerRefusal).code).toBe('not-your-address');
  });
});

describe('a stopped check (the page that asked is gone)', () => {
  it('closes every connection it holds at once, and opens none after', async () => {
    const stop = new AbortController();
    const student = { ...context('127.0.0.1'), stop: stop.signal };
    const exchange = httpExchange(student, { method: 'GET', path: '/hold' }).catch((error: unknown) => error);
    const stream = new EventStreamReader(student, '/hold');
    while (held.length < 2) await nextHeldChange();
    const mine = held.slice(-2);

    stop.abort();
    expect(String(await exchange)).toMatch(/stopped/);
    while (!mine.every((socket) => socket.destroyed)) await nextHeldChange();
    expect(await stream.until(() => stream.status !== 0, 'an answer')).toBe(false);

    const before = connections;
    await expect(httpExchange(student, { method: 'GET', path: '/' })).rejects.toBeInstanceOf(CheckStopped);
    await expect(openWebSocket(student, '/ws/echo')).rejects.toBeInstanceOf(CheckStopped);
    expect(connections).toBe(before);
  });
});
