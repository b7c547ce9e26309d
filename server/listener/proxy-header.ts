import { isIP } from 'node:net';
import { Command, IPv4ProxyAddress, IPv6ProxyAddress, V1ProxyProtocol, V2ProxyProtocol } from 'proxy-protocol-js';

/**
 * The PROXY protocol (HAProxy's `send-proxy` / `send-proxy-v2`): a load balancer that passes a
 * connection through as bytes puts one header in front of them naming the client's address.
 * Accepted only from the addresses named in `PROXY_PROTOCOL_FROM`; the header is taken off
 * before the byte tap, so the inspector still shows the student's own bytes.
 */

/** The client a header names (null: the balancer speaks for itself — a health check, `UNKNOWN`). */
export interface ProxiedClient {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export type ProxyHeaderRead =
  | { kind: 'need-more' }
  | { kind: 'none' }
  | { kind: 'header'; length: number; client: ProxiedClient | null }
  | { kind: 'invalid'; reason: string };

const V1_SIGNATURE = Buffer.from('PROXY ', 'latin1');
const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
/** "PROXY TCP6 " + two full IPv6 addresses + two ports + CRLF (the spec's 107) */
const V1_MAX = 107;
const V2_FIXED = 16;

/** Reads a PROXY protocol header (v1 or v2) at the start of a connection's first bytes. */
export function readProxyHeader(seen: Buffer): ProxyHeaderRead {
  if (startsLike(seen, V2_SIGNATURE)) return seen.length < V2_SIGNATURE.length ? { kind: 'need-more' } : readV2(seen);
  if (startsLike(seen, V1_SIGNATURE)) return seen.length < V1_SIGNATURE.length ? { kind: 'need-more' } : readV1(seen);
  return { kind: 'none' };
}

function startsLike(seen: Buffer, signature: Buffer): boolean {
  const compared = Math.min(seen.length, signature.length);
  return seen.subarray(0, compared).equals(signature.subarray(0, compared));
}

function readV1(seen: Buffer): ProxyHeaderRead {
  const end = seen.subarray(0, V1_MAX).indexOf('\r\n');
  if (end === -1) return seen.length < V1_MAX ? { kind: 'need-more' } : { kind: 'invalid', reason: 'a PROXY v1 line longer than 107 bytes' };
  const line = seen.subarray(0, end + 2).toString('latin1');
  if (/^PROXY UNKNOWN[ \r]/.test(line)) return { kind: 'header', length: end + 2, client: null };
  try {
    const { source } = V1ProxyProtocol.parse(line);
    const family = isIP(source.ipAddress);
    if (family === 0) return { kind: 'invalid', reason: 'a PROXY v1 line without a client address' };
    return { kind: 'header', length: end + 2, client: { address: source.ipAddress, port: source.port, family: family === 4 ? 'IPv4' : 'IPv6' } };
  } catch {
    return { kind: 'invalid', reason: 'a malformed PROXY v1 line' };
  }
}

function readV2(seen: Buffer): ProxyHeaderRead {
  if (seen.length < V2_FIXED) return { kind: 'need-more' };
  const length = V2_FIXED + seen.readUInt16BE(14);
  if (seen.length < length) return { kind: 'need-more' };
  let header: V2ProxyProtocol;
  try {
    header = V2ProxyProtocol.parse(seen.subarray(0, length));
  } catch {
    return { kind: 'invalid', reason: 'a malformed PROXY v2 header' };
  }
  if (header.command === Command.LOCAL) return { kind: 'header', length, client: null };
  const address = header.proxyAddress;
  if (address instanceof IPv4ProxyAddress) {
    return { kind: 'header', length, client: { address: address.sourceAddress.address.join('.'), port: address.sourcePort, family: 'IPv4' } };
  }
  if (address instanceof IPv6ProxyAddress) {
    const bytes = Buffer.from(address.sourceAddress.address);
    const groups = Array.from({ length: 8 }, (_, index) => bytes.readUInt16BE(index * 2).toString(16));
    return { kind: 'header', length, client: { address: groups.join(':'), port: address.sourcePort, family: 'IPv6' } };
  }
  // a UNIX socket or an unspecified family: no client address to speak of
  return { kind: 'header', length, client: null };
}

/** `PROXY_PROTOCOL_FROM`: the balancers' addresses, comma or space separated (IPv4-mapped IPv6 as IPv4). */
export function parseProxyProtocolFrom(value: string | undefined): Set<string> {
  const addresses = new Set<string>();
  for (const item of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    const address = plainAddress(item);
    if (isIP(address) === 0) throw new Error(`PROXY_PROTOCOL_FROM: "${item}" is not an IP address`);
    addresses.add(address);
  }
  return addresses;
}

/** An address as sockets report it, IPv4-mapped IPv6 written as IPv4. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
