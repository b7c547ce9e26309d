// Known host names only (issue 36): DNS rebinding makes a page of attacker.example talk to
// Wirelab as if it were its own origin — the browser resolves attacker.example to 127.0.0.1 (or
// the teacher's LAN address) and sends `Host: attacker.example` and, when it sends one at all,
// `Origin: http://attacker.example`, which the same-origin check then finds equal. A plain GET or
// an EventSource sends no Origin. The Host names the name the browser used: every request and
// every upgrade whose Host is not one of this machine's names is refused before any route runs
// (Vite's server.allowedHosts, CVE-2025-24010, is the same defence).
import type { Bilingual } from '../../shared/bilingual.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from '../answers/http-answers.ts';
import { refuseUpgrade } from '../answers/websocket-handshake.ts';

/** The names besides IP literals and localhost that Wirelab answers to. */
export interface KnownHostsOptions {
  /** this machine's name (os.hostname()): itself, its first label, and `<label>.local` (mDNS) */
  machineName?: string;
  /** PUBLIC_URL, the join link's address */
  publicUrl?: string;
  /** ALLOWED_ORIGINS: a reverse proxy's public origins */
  allowedOrigins?: readonly string[];
  /** ALLOWED_HOSTS: more names; `.example.edu` allows every name under example.edu */
  allowedHosts?: readonly string[];
}

export interface KnownHosts {
  /** May a request with this Host (or :authority) be served? */
  admits(headers: IncomingHttpHeaders): boolean;
  /** the names, for the refusal's words and the start-up log */
  readonly names: readonly string[];
}

export function knownHosts(options: KnownHostsOptions): KnownHosts {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  const add = (name: string | undefined) => {
    const host = name === undefined ? null : hostnameOf(name);
    if (host) exact.add(host);
  };
  const machine = options.machineName?.trim().toLowerCase();
  if (machine) {
    const label = machine.split('.')[0]!;
    for (const name of [machine, label, `${label}.local`]) add(name);
  }
  for (const origin of [options.publicUrl, ...(options.allowedOrigins ?? [])]) if (origin) add(new URL(origin).host);
  for (const entry of options.allowedHosts ?? []) {
    if (entry.startsWith('.')) suffixes.push(entry.toLowerCase());
    else add(entry);
  }
  return {
    names: [...exact, ...suffixes.map((suffix) => `*${suffix}`)],
    admits(headers) {
      const raw = headers.host ?? headers[':authority'];
      // no Host at all: HTTP/1.0 from a tool; a browser always sends one
      if (raw === undefined) return true;
      const host = typeof raw === 'string' ? hostnameOf(raw) : null;
      if (host === null) return false;
      if (isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0) return true;
      if (host === 'localhost' || host.endsWith('.localhost')) return true;
      return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
  };
}

/** The name in a Host header (`Example.EDU:8080` → `example.edu`, `[::1]:80` → `[::1]`), or null when it is none. */
function hostnameOf(host: string): string | null {
  if (host === '' || /[\s/?#@\\]/.test(host)) return null;
  try {
    return new URL(`http://${host}`).hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
}

/** ALLOWED_HOSTS: comma or space separated host names (`wirelab.example.edu`, `.example.edu`); anything else stops the start. */
export function parseAllowedHosts(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const name = entry.startsWith('.') ? entry.slice(1) : entry;
      if (hostnameOf(name) === null || name.includes(':'))
        throw new Error(`ALLOWED_HOSTS: "${entry}" is not a host name like wirelab.example.edu or .example.edu`);
      return entry.toLowerCase();
    });
}

export const unknownHost = (host: string): Bilingual => ({
  en: `This Wirelab does not answer to the name “${host}”: only to this machine's names and addresses. A name of your own (a reverse proxy, a DNS name) goes in ALLOWED_HOSTS, PUBLIC_URL or ALLOWED_ORIGINS.`,
  ru: `Этот Wirelab не отвечает на имя «${host}»: только на имена и адреса своей машины. Собственное имя (обратный прокси, имя в DNS) добавьте в ALLOWED_HOSTS, PUBLIC_URL или ALLOWED_ORIGINS.`,
});

const shownHost = (headers: IncomingHttpHeaders): string => String(headers.host ?? headers[':authority'] ?? '').slice(0, 100);

/** An upgrade to an unknown host: 421 problem+json in both languages before any handshake, then the connection is closed. */
export function refuseUnknownHostUpgrade(headers: IncomingHttpHeaders, socket: Duplex, path: string): void {
  refuseUpgrade(socket, 421, unknownHost(shownHost(headers)), path);
}

/** Every HTTP request (HTTP/1.1 and h2c: pages, API, relays) to an unknown host: 421 problem+json before any route runs. */
async function hostCheck(app: FastifyInstance, options: { hosts: KnownHosts }): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    if (options.hosts.admits(request.headers)) return;
    return sendProblem(request, reply, 421, 'unknown-host', 'Misdirected Request', unknownHost(shownHost(request.headers)));
  });
}

export default fp(hostCheck, { name: 'wirelab-host-check' });
