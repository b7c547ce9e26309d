import { describe, expect, it } from 'vitest';
import { forwardedClient, parseTrustProxy } from './trust-proxy.ts';

describe('TRUST_PROXY', () => {
  it('is absent or addresses and CIDR ranges; anything else stops the start', () => {
    expect(parseTrustProxy(undefined)).toBeNull();
    expect(parseTrustProxy(' ')).toBeNull();
    expect(parseTrustProxy('false')).toBeNull();
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8')?.description).toBe('the proxies at 127.0.0.1, 10.0.0.0/8');
    for (const bad of ['yes', '10.0.0.0/33', 'nginx', '10.0.0.1/8/1']) expect(() => parseTrustProxy(bad)).toThrow(/TRUST_PROXY.*\/ .*TRUST_PROXY|не адрес/);
  });

  it('refuses true and a number of hops, in both languages: either lets the client write its own address', () => {
    for (const handsOver of ['true', '0', '1', '2', '32']) {
      expect(() => parseTrustProxy(handsOver)).toThrow(
        /would believe an X-Forwarded-For the client writes itself.*поверил бы X-Forwarded-For, который клиент пишет сам/,
      );
    }
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
    // more entries than named proxies: the walk stops at the first unnamed one, from the right
    expect(forwardedClient('127.0.0.1', '203.0.113.66, 198.51.100.1, 127.0.0.1', loopback)).toBe('198.51.100.1');
  });
});
