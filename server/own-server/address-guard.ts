// Safe by construction: Wirelab connects out only to the machine the student's own browser
// connects from (loopback when they work alone on the server's machine), never to any other
// machine. The check is made on the RESOLVED address of every connection — a name is resolved
// inside net.connect's `lookup` hook and only the addresses that pass are handed on, so a DNS
// answer that changes between two lookups (rebinding) cannot slip another machine through.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { LookupFunction } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { relayFactText, type RelayFact } from '../../contracts/own-server/relays.ts';
import { normaliseAddress } from '../listener/ip-address.ts';

// The one address spelling sits in the listener (a floor below), which needs it too; the guard's importers still find it here.
export { normaliseAddress };

export type RefusalCode =
  | 'own-servers-off'
  | 'not-your-address'
  | 'unspecified-address'
  | 'not-resolved'
  | 'too-many-connections'
  | 'denied-port'
  | 'loopback-behind-proxy';

type RefusalFact = Extract<RelayFact, { fact: RefusalCode }>;

/** A connection Wirelab will not open; the message in both languages, for the student. */
export class OwnServerRefusal extends Error {
  readonly code: RefusalCode;
  readonly localized: Bilingual;

  /** `fact`: the refusal as data, which a console's relay passes on (contracts/own-server/relays.ts) */
  constructor(readonly fact: RefusalFact) {
    const localized = relayFactText(fact);
    super(localized.en);
    this.name = 'OwnServerRefusal';
    this.code = fact.fact;
    this.localized = localized;
  }
}

/** `OWN_SERVERS=off` turns "check my server" off: every outbound connection is refused. */
export function ownServersEnabled(environment: NodeJS.ProcessEnv = process.env): boolean {
  return (environment.OWN_SERVERS ?? 'on').trim().toLowerCase() !== 'off';
}

/**
 * The student's address as the guard takes it: the connection's own peer — behind HAProxy the
 * PROXY protocol's client, which the listener put there — never X-Forwarded-For (`request.ip`
 * behind TRUST_PROXY): a relay that passes the client's bytes on unchanged, as socat and `ssh -L`
 * do, lets the client write that header itself (issue 51).
 */
export function provenClient(socket: { remoteAddress?: string } | undefined): string {
  return socket?.remoteAddress ?? '';
}

export function isLoopback(normalised: string): boolean {
  return normalised === '::1' || /^127\./.test(normalised);
}

function isUnspecified(normalised: string): boolean {
  return normalised === '0.0.0.0' || normalised === '::';
}

export interface AddressGuard {
  readonly enabled: boolean;
  /** The student's address as their browser connects from (normalised). */
  readonly studentAddress: string;
  /** null when a connection to this resolved address (and `port`, when known) is allowed, else why not. */
  refusalFor(resolvedAddress: string, port?: number): OwnServerRefusal | null;
}

/**
 * Ports no outbound connection may reach, whoever asks (issue 36): the teacher's list
 * (`OWN_SERVERS_DENY_PORTS`) on every address, and the Redis Wirelab itself uses (`REDIS_URL`)
 * at its port on loopback and on its own host's addresses.
 */
export interface DeniedPorts {
  ports: ReadonlySet<number>;
  redis?: { port: number; addresses: ReadonlySet<string> };
}

export interface GuardOptions {
  studentAddress: string;
  enabled?: boolean;
  denied?: DeniedPorts;
  /**
   * false when Wirelab is behind a reverse proxy it trusts (TRUST_PROXY): a loopback client is then
   * the proxy, or someone on the machine bypassing it, not a student at the teacher's keyboard,
   * and is refused. Default true: loopback is this machine's own user.
   */
  loopbackIsLocalUser?: boolean;
  /**
   * The proxies of TRUST_PROXY. `studentAddress` is the connection's own peer (or the PROXY
   * protocol's client), never X-Forwarded-For, which a relay like socat or `ssh -L` passes on as
   * the client wrote it (issue 51); a peer that is one of these proxies is refused like loopback
   * behind a proxy: which machine is the student's is not known.
   */
  isProxy?: (address: string) => boolean;
}

/** What every guard of one Wirelab shares: the student's address aside. */
export type GuardPolicy = Omit<GuardOptions, 'studentAddress' | 'enabled'>;

export function createAddressGuard(options: GuardOptions): AddressGuard {
  const studentAddress = normaliseAddress(options.studentAddress);
  if (studentAddress === null) throw new Error(`not an IP address: ${options.studentAddress}`);
  const enabled = options.enabled ?? ownServersEnabled();
  const denied = options.denied;
  const localUser = options.loopbackIsLocalUser ?? true;
  return {
    enabled,
    studentAddress,
    refusalFor(resolvedAddress, port) {
      if (!enabled) return refusals.off();
      const target = normaliseAddress(resolvedAddress);
      if (target === null) return refusals.notResolved(resolvedAddress);
      if (isUnspecified(target)) return refusals.unspecified(target);
      if ((isLoopback(studentAddress) && !localUser) || options.isProxy?.(studentAddress)) return refusals.loopbackBehindProxy(studentAddress);
      const allowed = isLoopback(studentAddress) ? isLoopback(target) : target === studentAddress;
      if (!allowed) return refusals.notYours(target, studentAddress);
      return port === undefined || !denied ? null : deniedPortRefusal(denied, target, port);
    },
  };
}

function deniedPortRefusal(denied: DeniedPorts, target: string, port: number): OwnServerRefusal | null {
  const redis = denied.redis;
  if (redis && port === redis.port && (isLoopback(target) || redis.addresses.has(target))) return refusals.deniedPort(port, 'redis');
  return denied.ports.has(port) ? refusals.deniedPort(port, 'listed') : null;
}

/** OWN_SERVERS_DENY_PORTS: a comma list of ports (1–65535); a malformed one throws (Wirelab does not start). */
export function parseDeniedPorts(text: string | undefined): number[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      if (!/^\d{1,5}$/.test(entry) || Number(entry) < 1 || Number(entry) > 65_535) {
        throw new Error(`OWN_SERVERS_DENY_PORTS: "${entry}" is not a port (1…65535); write them as 5432,6379,11211`);
      }
      return Number(entry);
    });
}

/** The Redis of REDIS_URL as a denied port: its port (6379 by default) and its host when that is an address. */
export function redisDenial(redisUrl: string | undefined): DeniedPorts['redis'] {
  if (!redisUrl) return undefined;
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    return undefined;
  }
  const host = normaliseAddress(url.hostname);
  return { port: url.port ? Number(url.port) : 6379, addresses: new Set(host ? [host] : []) };
}

// The words are the relays' facts' (contracts/own-server/relays.ts): a console's relay closes with
// the same fact the checks and the HTTP cells report.
export const refusals = {
  off: () => new OwnServerRefusal({ fact: 'own-servers-off' }),
  notResolved: (name: string) => new OwnServerRefusal({ fact: 'not-resolved', name }),
  unspecified: (target: string) => new OwnServerRefusal({ fact: 'unspecified-address', target }),
  notYours: (target: string, student: string) => new OwnServerRefusal({ fact: 'not-your-address', target, student }),
  tooMany: (limit: number) => new OwnServerRefusal({ fact: 'too-many-connections', limit }),
  deniedPort: (port: number, why: 'redis' | 'listed') => new OwnServerRefusal({ fact: 'denied-port', port, why }),
  loopbackBehindProxy: (student: string) => new OwnServerRefusal({ fact: 'loopback-behind-proxy', student }),
};

/** What resolves names: node's `dns.lookup` (getaddrinfo, /etc/hosts included), or a test's own. */
export type Resolver = (hostname: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;

export const systemResolver: Resolver = (hostname, callback) =>
  dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => callback(error, addresses ?? []));

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect: resolves the name with `resolver`, keeps only the addresses the
 * guard allows, and refuses when none is left. Answers both forms net.connect asks for (one
 * address, or all of them when it tries families in turn).
 */
export function guardedLookup(guard: AddressGuard, resolver: Resolver = systemResolver, port?: number): LookupFunction {
  return (hostname, options, callback: LookupCallback): void => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    resolver(hostname, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed: LookupAddress[] = [];
      let firstRefusal: OwnServerRefusal | null = null;
      for (const candidate of addresses) {
        if (family && family !== candidate.family) continue;
        const refusal = guard.refusalFor(candidate.address, port);
        if (refusal) firstRefusal ??= refusal;
        else allowed.push(candidate);
      }
      if (allowed.length === 0) return callback(firstRefusal ?? refusals.notResolved(hostname), []);
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}
