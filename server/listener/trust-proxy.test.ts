import { describe, expect, it } from 'vitest';
import { forwardedClient, parseTrustProxy } from './trust-proxy.ts';

describe('TRUST_PROXY', () => {
  it('is absent, true, a number of hops, or addresses and CIDR ranges; anything else stops the start', () => {
    expect(parseTrustProxy(undefined)).toBeNull();
    expect(parseTrustProxy(' ')).toBeNull();
    expect(parseTrustProxy('false')).toBeNull();
    expect(parseTrustProxy('true')?.trust('203.0.113.9', 5)).toBe(true);
    expect(parseTrustProxy('1')?.description).toBe('1 proxy hop');
    for (const bad of ['yes', '0', '10.0.0.0/33', 'nginx', '10.0.0.1/8/1']) expect(() => parseTrustProxy(bad)).toThrow(/TRUST_PROXY/);
  });

  it('names the client as Fastify does: right to left through X-Forwarded-For while each hop is trusted', () => {
    const loopback = parseTrustProxy('127.0.0.1, ::1, 10.0.0.0/8')!.trust;
    expect(forwardedClient('127.0.0.1', '192.0.2.7', loopback)).toBe('192.0.2.7');
    expect(forwardedClient('::ffff:127.0.0.1', '192.0.2.7', loopback)).toBe('192.0.2.7');
    // a client's own forged entry stays left of the first untrusted hop
    expect(forwardedClient('127.0.0.1', '127.0.0.1, 192.0.2.7', loopback)).toBe('192.0.2.7');
    expect(forwardedClient('127.0.0.1', '198.51.100.1, 10.1.2.3', loopback)).toBe('198.51.100.1');
    // an untrusted peer's X-Forwarded-For is its own words
    expect(forwardedClient('192.0.2.50', '127.0.0.1', loopback)).toBe('192.0.2.50');
    expect(forwardedClient('127.0.0.1', undefined, loopback)).toBe('127.0.0.1');
    expect(forwardedClient('127.0.0.1', '192.0.2.7', null)).toBe('127.0.0.1');
    const oneHop = parseTrustProxy('1')!.trust;
    expect(forwardedClient('127.0.0.1', '198.51.100.1, 192.0.2.7', oneHop)).toBe('192.0.2.7');
  });
});
