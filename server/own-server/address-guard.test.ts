import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAddressGuard,
  guardedLookup,
  normaliseAddress,
  OwnServerRefusal,
  ownServersEnabled,
  parseDeniedPorts,
  redisDenial,
  type Resolver,
} from './address-guard.ts';
import { ConnectionBudget, openGuardedSocket, parseTarget } from './connection.ts';

describe('normaliseAddress', () => {
  it('writes every form of an address one way', () => {
    expect(normaliseAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(normaliseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normaliseAddress('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(normaliseAddress('0:0:0:0:0:ffff:c0a8:0105')).toBe('192.168.1.5');
    expect(normaliseAddress('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(normaliseAddress('[::1]')).toBe('::1');
    expect(normaliseAddress('FE80::1%eth0')).toBe('fe80::1');
    expect(normaliseAddress('localhost')).toBeNull();
  });
});

describe('the address guard', () => {
  it('lets a loopback student reach any loopback address, v4, v6 or mapped, and nothing else', () => {
    const guard = createAddressGuard({ studentAddress: '::ffff:127.0.0.1', enabled: true });
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(guard.refusalFor(address)).toBeNull();
    for (const address of ['192.168.1.5', '10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', '169.254.169.254']) {
      expect(guard.refusalFor(address)?.code).toBe('not-your-address');
    }
  });

  it('lets a student on the LAN reach only their own address, in any spelling', () => {
    const guard = createAddressGuard({ studentAddress: '::ffff:192.168.1.5', enabled: true });
    expect(guard.refusalFor('192.168.1.5')).toBeNull();
    expect(guard.refusalFor('::ffff:c0a8:105')).toBeNull();
    expect(guard.refusalFor('192.168.1.6')?.code).toBe('not-your-address');
    // the server's own machine is not the student's machine
    expect(guard.refusalFor('127.0.0.1')?.code).toBe('not-your-address');
    expect(guard.refusalFor('::1')?.code).toBe('not-your-address');
  });

  it('refuses the unspecified address, which reaches this machine', () => {
    const guard = createAddressGuard({ studentAddress: '127.0.0.1', enabled: true });
    expect(guard.refusalFor('0.0.0.0')?.code).toBe('unspecified-address');
    expect(guard.refusalFor('::')?.code).toBe('unspecified-address');
  });

  it('refuses everything when OWN_SERVERS=off, and says so in both languages', () => {
    expect(ownServersEnabled({ OWN_SERVERS: 'off' })).toBe(false);
    expect(ownServersEnabled({ OWN_SERVERS: ' OFF ' })).toBe(false);
    expect(ownServersEnabled({})).toBe(true);
    const refusal = createAddressGuard({ studentAddress: '127.0.0.1', enabled: false }).refusalFor('127.0.0.1');
    expect(refusal?.code).toBe('own-servers-off');
    expect(refusal?.localized.en).toMatch(/turned off/);
    expect(refusal?.localized.ru).toMatch(/выключена/);
  });
});

describe('ports no student reaches, and a loopback client behind a proxy (issue 36)', () => {
  const denied = { ports: new Set(parseDeniedPorts('5432, 11211')), redis: redisDenial('redis://10.0.0.7:6380/0') };

  it('refuses OWN_SERVERS_DENY_PORTS on every address, and REDIS_URL’s port on loopback and on its host', () => {
    const loopback = createAddressGuard({ studentAddress: '127.0.0.1', enabled: true, denied });
    expect(loopback.refusalFor('127.0.0.1', 8000)).toBeNull();
    expect(loopback.refusalFor('127.0.0.1')).toBeNull();
    expect(loopback.refusalFor('::1', 5432)?.fact).toEqual({ fact: 'denied-port', port: 5432, why: 'listed' });
    expect(loopback.refusalFor('127.0.0.1', 6380)?.fact).toEqual({ fact: 'denied-port', port: 6380, why: 'redis' });
    const redisHost = createAddressGuard({ studentAddress: '10.0.0.7', enabled: true, denied });
    expect(redisHost.refusalFor('10.0.0.7', 6380)?.code).toBe('denied-port');
    expect(redisHost.refusalFor('10.0.0.7', 11211)?.localized.ru).toMatch(/OWN_SERVERS_DENY_PORTS/);
    // another student's machine: its own 6380 is theirs
    expect(createAddressGuard({ studentAddress: '10.0.0.8', enabled: true, denied }).refusalFor('10.0.0.8', 6380)).toBeNull();
    expect(redisDenial('redis://redis.internal')).toEqual({ port: 6379, addresses: new Set() });
    expect(() => parseDeniedPorts('80,http')).toThrow(/OWN_SERVERS_DENY_PORTS/);
    expect(() => parseDeniedPorts('70000')).toThrow(/OWN_SERVERS_DENY_PORTS/);
  });

  it('behind a trusted proxy, a loopback client is refused, a LAN one is what it was', () => {
    const behind = { enabled: true, loopbackIsLocalUser: false };
    expect(createAddressGuard({ ...behind, studentAddress: '127.0.0.1' }).refusalFor('127.0.0.1', 8000)?.code).toBe('loopback-behind-proxy');
    expect(createAddressGuard({ ...behind, studentAddress: '192.0.2.7' }).refusalFor('192.0.2.7', 8000)).toBeNull();
  });

  it('a peer that is a trusted proxy on another machine is refused too: its clients are not known, and the proxy’s host is nobody’s own', () => {
    const behind = { enabled: true, loopbackIsLocalUser: false, isProxy: (address: string) => address === '10.0.0.4' };
    expect(createAddressGuard({ ...behind, studentAddress: '::ffff:10.0.0.4' }).refusalFor('10.0.0.4', 8000)?.code).toBe('loopback-behind-proxy');
    expect(createAddressGuard({ ...behind, studentAddress: '10.0.0.7' }).refusalFor('10.0.0.7', 8000)).toBeNull();
  });
});

describe('guardedLookup (the hook net.connect resolves names through)', () => {
  const guard = createAddressGuard({ studentAddress: '127.0.0.1', enabled: true });
  const resolver: Resolver = (_name, callback) =>
    callback(null, [
      { address: '198.51.100.1', family: 4 },
      { address: '::ffff:127.0.0.1', family: 6 },
      { address: '::1', family: 6 },
    ]);
  const lookup = guardedLookup(guard, resolver);

  it('hands net.connect only the allowed addresses, in both of the forms it asks for', async () => {
    const all = await new Promise((resolve) => lookup('x.example', { all: true }, (error, addresses) => resolve({ error, addresses })));
    expect(all).toEqual({
      error: null,
      addresses: [
        { address: '::ffff:127.0.0.1', family: 6 },
        { address: '::1', family: 6 },
      ],
    });
    const one = await new Promise((resolve) => lookup('x.example', { family: 6 }, (error, address, family) => resolve({ error, address, family })));
    expect(one).toEqual({ error: null, address: '::ffff:127.0.0.1', family: 6 });
  });

  it('refuses when no allowed address is left, with the first refusal', async () => {
    const only = guardedLookup(guard, (_name, callback) => callback(null, [{ address: '198.51.100.1', family: 4 }]));
    const error = await new Promise<Error | null>((resolve) => only('x.example', { all: true }, (failure) => resolve(failure)));
    expect(error).toBeInstanceOf(OwnServerRefusal);
    expect((error as OwnServerRefusal).localized.ru).toMatch(/198\.51\.100\.1/);
  });
});

describe('guarded connections', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const loopbackStudent = () => ({ guard: createAddressGuard({ studentAddress: '127.0.0.1', enabled: true }), budget: new ConnectionBudget() });

  function outcome(socket: ReturnType<typeof openGuardedSocket>): Promise<string> {
    return new Promise((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(`data:${chunk.toString()}`));
      socket.once('error', (error: Error) => resolve(error instanceof OwnServerRefusal ? `refused:${error.code}` : `error:${error.message}`));
    });
  }

  it('connects to loopback by address and by the name localhost', async () => {
    expect(await outcome(openGuardedSocket({ host: '127.0.0.1', port }, loopbackStudent()))).toBe('data:hello');
    const resolver: Resolver = (name, callback) => callback(null, name === 'localhost' ? [{ address: '127.0.0.1', family: 4 }] : []);
    expect(await outcome(openGuardedSocket({ host: 'localhost', port }, { ...loopbackStudent(), resolver }))).toBe('data:hello');
  });

  it('refuses a name that resolves to another machine, checked on the resolved address', async () => {
    const resolved: string[] = [];
    const resolver: Resolver = (name, callback) => {
      resolved.push(name);
      callback(null, [{ address: '203.0.113.7', family: 4 }]);
    };
    expect(await outcome(openGuardedSocket({ host: 'my-laptop.example', port }, { ...loopbackStudent(), resolver }))).toBe('refused:not-your-address');
    expect(resolved).toEqual(['my-laptop.example']);
  });

  it('keeps only the allowed addresses of a name that resolves to several (rebinding-style answers)', async () => {
    const resolver: Resolver = (_name, callback) =>
      callback(null, [
        { address: '198.51.100.1', family: 4 },
        { address: '::ffff:127.0.0.1', family: 6 },
      ]);
    // the mapped loopback address is the only one left, and it is where the connection goes
    const socket = openGuardedSocket({ host: 'twice.example', port }, { ...loopbackStudent(), resolver });
    const peer = new Promise<string | undefined>((resolve) => socket.once('connect', () => resolve(socket.remoteAddress)));
    expect(await outcome(socket)).toBe('data:hello');
    expect(normaliseAddress((await peer) ?? '')).toBe('127.0.0.1');
  });

  it("checks the system resolver's answers too: localhost, and loopback written as a number", async () => {
    // getaddrinfo reads "2130706433" and "0x7f.1" as 127.0.0.1: not IP literals to net.isIP, so they
    // go through the lookup hook, and the guard sees the address they resolve to
    expect(await outcome(openGuardedSocket({ host: 'localhost', port }, loopbackStudent()))).toBe('data:hello');
    expect(await outcome(openGuardedSocket({ host: '2130706433', port }, loopbackStudent()))).toBe('data:hello');
    const lanStudent = { guard: createAddressGuard({ studentAddress: '192.168.1.5', enabled: true }), budget: new ConnectionBudget() };
    expect(await outcome(openGuardedSocket({ host: '2130706433', port }, lanStudent))).toBe('refused:not-your-address');
    expect(await outcome(openGuardedSocket({ host: '0x7f.1', port }, lanStudent))).toBe('refused:not-your-address');
    expect(await outcome(openGuardedSocket({ host: 'localhost', port }, lanStudent))).toBe('refused:not-your-address');
  });

  it('refuses an IP literal of another machine and the mapped form of one', async () => {
    expect(await outcome(openGuardedSocket({ host: '192.0.2.1', port }, loopbackStudent()))).toBe('refused:not-your-address');
    expect(await outcome(openGuardedSocket({ host: '[::ffff:192.0.2.1]', port }, loopbackStudent()))).toBe('refused:not-your-address');
  });

  it('holds a student to their connection budget and gives it back on close', async () => {
    const context = { guard: createAddressGuard({ studentAddress: '127.0.0.1', enabled: true }), budget: new ConnectionBudget(1) };
    const first = openGuardedSocket({ host: '127.0.0.1', port }, context);
    expect(await outcome(openGuardedSocket({ host: '127.0.0.1', port }, context))).toBe('refused:too-many-connections');
    await new Promise((resolve) => first.once('close', resolve));
    expect(context.budget.openFor('127.0.0.1')).toBe(0);
    expect(await outcome(openGuardedSocket({ host: '127.0.0.1', port }, context))).toBe('data:hello');
  });

  it('cuts a connection that sends more than the byte limit', async () => {
    const flood = createServer((socket) => socket.end(Buffer.alloc(64 * 1024)));
    await new Promise<void>((resolve) => flood.listen(0, '127.0.0.1', resolve));
    const socket = openGuardedSocket(
      { host: '127.0.0.1', port: (flood.address() as AddressInfo).port },
      { ...loopbackStudent(), limits: { bytesReceivedPerConnection: 1024, connectTimeoutMs: 3000 } },
    );
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toMatch(/more than 1024 bytes/);
    await new Promise<void>((resolve) => flood.close(() => resolve()));
  });

  it('reads host:port, IPv6 in brackets', () => {
    expect(parseTarget('127.0.0.1:8000')).toEqual({ host: '127.0.0.1', port: 8000 });
    expect(parseTarget('[::1]:8000')).toEqual({ host: '::1', port: 8000 });
    expect(parseTarget('localhost:0')).toBeNull();
    expect(parseTarget('localhost')).toBeNull();
  });
});
