import { Command, IPv4Address, IPv4ProxyAddress, IPv6Address, IPv6ProxyAddress, TransportProtocol, V2ProxyProtocol } from 'proxy-protocol-js';
import { describe, expect, it } from 'vitest';
import { parseProxyProtocolFrom, plainAddress, readProxyHeader } from './proxy-header.ts';

const request = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1');

describe('readProxyHeader', () => {
  it('reads a v1 line (HAProxy send-proxy) and says how long it is', () => {
    const header = Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.2 40000 8080\r\n', 'latin1');
    expect(readProxyHeader(Buffer.concat([header, request]))).toEqual({
      kind: 'header',
      length: header.length,
      client: { address: '203.0.113.7', port: 40000, family: 'IPv4' },
    });
    expect(readProxyHeader(Buffer.from('PROXY TCP6 2001:db8::7 2001:db8::1 40000 8080\r\n'))).toMatchObject({
      client: { address: '2001:db8::7', family: 'IPv6' },
    });
    expect(readProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({ kind: 'header', length: 15, client: null });
  });

  it('reads a v2 header (send-proxy-v2), IPv4 and IPv6, and LOCAL as no client', () => {
    const v4 = Buffer.from(
      new V2ProxyProtocol(
        Command.PROXY,
        TransportProtocol.STREAM,
        new IPv4ProxyAddress(IPv4Address.createFrom([198, 51, 100, 9]), 1234, IPv4Address.createFrom([10, 0, 0, 2]), 8080),
      ).build(),
    );
    expect(readProxyHeader(Buffer.concat([v4, request]))).toEqual({
      kind: 'header',
      length: v4.length,
      client: { address: '198.51.100.9', port: 1234, family: 'IPv4' },
    });
    const six = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
    const v6 = Buffer.from(
      new V2ProxyProtocol(
        Command.PROXY,
        TransportProtocol.STREAM,
        new IPv6ProxyAddress(IPv6Address.createFrom(six), 1, IPv6Address.createFrom(six), 2),
      ).build(),
    );
    expect(readProxyHeader(v6)).toMatchObject({ client: { address: '2001:db8:0:0:0:0:0:7', family: 'IPv6' } });
    const local = Buffer.from(
      new V2ProxyProtocol(
        Command.LOCAL,
        TransportProtocol.UNSPEC,
        new IPv4ProxyAddress(IPv4Address.createWithEmptyAddress(), 0, IPv4Address.createWithEmptyAddress(), 0),
      ).build(),
    );
    expect(readProxyHeader(local)).toMatchObject({ kind: 'header', client: null });
  });

  it('waits for a header cut into pieces, and refuses a broken one', () => {
    const line = 'PROXY TCP4 203.0.113.7 10.0.0.2 40000 8080\r\n';
    for (let at = 1; at < line.length; at += 1) expect(readProxyHeader(Buffer.from(line.slice(0, at)))).toEqual({ kind: 'need-more' });
    expect(readProxyHeader(Buffer.from(`PROXY ${'x'.repeat(120)}`))).toMatchObject({ kind: 'invalid' });
    expect(readProxyHeader(Buffer.from('PROXY TCP4 not-an-address 10.0.0.2 1 2\r\n'))).toMatchObject({ kind: 'invalid' });
  });

  it('leaves every other first bytes alone: HTTP/1.1, the h2c preface, MQTT', () => {
    expect(readProxyHeader(request)).toEqual({ kind: 'none' });
    expect(readProxyHeader(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'))).toEqual({ kind: 'none' });
    expect(readProxyHeader(Buffer.from([0x10, 0x0c, 0x00, 0x04]))).toEqual({ kind: 'none' });
  });
});

describe('PROXY_PROTOCOL_FROM', () => {
  it('takes addresses, writes IPv4-mapped IPv6 as IPv4, and refuses anything else', () => {
    expect([...parseProxyProtocolFrom('10.0.0.5, ::ffff:10.0.0.6 2001:db8::1')]).toEqual(['10.0.0.5', '10.0.0.6', '2001:db8::1']);
    expect(parseProxyProtocolFrom(undefined).size).toBe(0);
    expect(() => parseProxyProtocolFrom('haproxy.local')).toThrow(/not an IP address/);
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });
});
