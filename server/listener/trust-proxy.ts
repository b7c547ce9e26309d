// TRUST_PROXY: the reverse proxies whose X-Forwarded-For Wirelab believes — a comma list of
// their addresses and CIDR ranges, walked from the right: each hop is believed only while the
// address before it is one of the proxies named. `true` and a number of hops are refused at
// start (issue 51): the header's left part is whatever the client wrote, and a count cannot tell
// a proxy's entry from one the client added — `true`, or a count larger than the real chain,
// hands the client the choice of its own address. One trust function serves Fastify
// (request.ip) and the upgrades the one-port server routes before Fastify (the consoles'
// relays), so both name the same client. "Check my server" believes none of it: its address
// guard takes the connection's own peer (or the PROXY protocol's client), see address-guard.ts.
import { BlockList, isIP } from 'node:net';
import { normaliseAddress } from './ip-address.ts';

/** Fastify's trustProxy function form: may the hop at `address` (`hop` 0 = the TCP peer) be believed? */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** The parsed setting: what it says in words (the start-up log), and the trust function. */
export interface TrustProxySetting {
  trust: ProxyTrust;
  description: string;
}

/**
 * Parses TRUST_PROXY; absent, empty or `false`: no proxy is trusted (null). `true`, a number of
 * hops or a malformed value throws, saying why in both languages (Wirelab does not start).
 */
export function parseTrustProxy(text: string | undefined): TrustProxySetting | null {
  const value = text?.trim() ?? '';
  if (value === '' || value === 'false') return null;
  if (value === 'true' || /^\d+$/.test(value)) {
    throw new Error(
      `TRUST_PROXY=${value} would believe an X-Forwarded-For the client writes itself; name the proxies' addresses instead, e.g. TRUST_PROXY=127.0.0.1 / ` +
        `TRUST_PROXY=${value} поверил бы X-Forwarded-For, который клиент пишет сам; укажите адреса прокси, например TRUST_PROXY=127.0.0.1`,
    );
  }
  const list = new BlockList();
  const entries = value.split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) addEntry(list, entry);
  return {
    trust: (address) => {
      const plain = normaliseAddress(address);
      if (plain === null) return false;
      return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
    },
    description: `the proxies at ${entries.join(', ')}`,
  };
}

function addEntry(list: BlockList, entry: string): void {
  const [address, prefix, ...rest] = entry.split('/');
  const plain = normaliseAddress(address ?? '');
  const family = plain === null ? 0 : isIP(plain);
  const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
  if (plain === null || rest.length > 0 || !/^\d{0,3}$/.test(prefix ?? '') || bits > (family === 6 ? 128 : 32)) {
    throw new Error(`TRUST_PROXY: "${entry}" is not an address or a CIDR range like 10.0.0.0/8 / «${entry}» — не адрес и не диапазон CIDR вида 10.0.0.0/8`);
  }
  list.addSubnet(plain, bits, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address as Fastify computes request.ip with this trust (proxy-addr's walk): from
 * the TCP peer back through X-Forwarded-For, right to left, while each hop is trusted; the first
 * untrusted one is the client. `peer`: the connection's address (the PROXY protocol's client when
 * a balancer sent one).
 */
export function forwardedClient(peer: string, forwardedFor: string | string[] | undefined, trust: ProxyTrust | null): string {
  if (!trust) return peer;
  const chain = [peer, ...forwardedList(forwardedFor).reverse()];
  for (let hop = 0; hop < chain.length - 1; hop++) {
    if (!trust(chain[hop]!, hop)) return chain[hop]!;
  }
  return chain.at(-1)!;
}

function forwardedList(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
