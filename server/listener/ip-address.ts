// One spelling per IP address, for everything that compares client addresses: the proxies
// TRUST_PROXY names (trust-proxy.ts) and the addresses "check my server" may reach
// (../own-server/address-guard.ts). It sits here, below both, so the listener needs nothing above it.
import { isIP } from 'node:net';

/**
 * One spelling per address: IPv6 in its canonical short form, an IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`, `::ffff:7f00:1`) as the IPv4 address it maps, brackets and zone dropped.
 * Returns null for anything that is not an IP address.
 */
export function normaliseAddress(raw: string): string | null {
  const address = raw
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return null;
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const high = parseInt(mapped[1], 16);
  const low = parseInt(mapped[2], 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
