import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { noWirelabHere, wirelabItselfTest } from './wirelab-itself.ts';

describe('is the peer Wirelab itself', () => {
  it('bound to one address: that address and port only, in any spelling of it', () => {
    const isWirelab = wirelabItselfTest(() => ({ address: '127.0.0.1', family: 'IPv4', port: 8080 }));
    expect(isWirelab({ address: '127.0.0.1', port: 8080 })).toBe(true);
    expect(isWirelab({ address: '::ffff:127.0.0.1', port: 8080 })).toBe(true);
    expect(isWirelab({ address: '127.0.0.1', port: 8000 })).toBe(false);
    expect(isWirelab({ address: '127.0.0.2', port: 8080 })).toBe(false);
  });

  it('bound to every address: any loopback address or an address of this machine at that port', () => {
    const isWirelab = wirelabItselfTest(() => ({ address: '::', family: 'IPv6', port: 8080 }));
    expect(isWirelab({ address: '127.0.0.2', port: 8080 })).toBe(true);
    expect(isWirelab({ address: '::1', port: 8080 })).toBe(true);
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && !entry.internal);
    if (lan) expect(isWirelab({ address: lan.address, port: 8080 })).toBe(true);
    expect(isWirelab({ address: '192.0.2.1', port: 8080 })).toBe(false);
    expect(isWirelab({ address: '::1', port: 8081 })).toBe(false);
  });

  it('not listening (before listen, a socket file, the command line): nothing is Wirelab', () => {
    expect(wirelabItselfTest(() => null)({ address: '127.0.0.1', port: 8080 })).toBe(false);
    expect(wirelabItselfTest(() => '/tmp/wirelab.sock')({ address: '127.0.0.1', port: 8080 })).toBe(false);
    expect(noWirelabHere({ address: '127.0.0.1', port: 8080 })).toBe(false);
  });
});
