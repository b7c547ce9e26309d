// Is the address a suite connected to Wirelab's own listening port on this machine? Every check
// passes there — it shows what passing looks like — so a report says so (`targetIsWirelab`) and a
// lesson's exercise does not count it. Decided from the probe connection's real peer (after DNS,
// after the guard), never from the text the student typed: `localhost:8080`, `127.0.0.2:8080`,
// `[::1]:8080` and this machine's LAN address all reach the same listener.
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { isLoopback, normaliseAddress } from './address-guard.ts';

/** The peer a connection reached: its `remoteAddress` and `remotePort`. */
export interface Peer {
  address: string;
  port: number;
}

export type WirelabItselfTest = (peer: Peer) => boolean;

/** Nobody listens in this process (the command line): no peer is Wirelab itself. */
export const noWirelabHere: WirelabItselfTest = () => false;

function unspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** Every address of this machine's interfaces, normalised. */
function machineAddresses(): Set<string> {
  const found = new Set<string>();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      const address = normaliseAddress(entry.address);
      if (address) found.add(address);
    }
  }
  return found;
}

/**
 * `listening()` is read at every call (Fastify's `server.address()`: null before listen, a pipe
 * name for a socket file). A peer is Wirelab when its port is the listening port and its address
 * is one the listener accepts on: the bound address itself, or — bound to `0.0.0.0`/`::` — any
 * address of this machine (loopback or an interface's).
 */
export function wirelabItselfTest(listening: () => AddressInfo | string | null): WirelabItselfTest {
  return (peer) => {
    const own = listening();
    if (!own || typeof own === 'string' || own.port !== peer.port) return false;
    const reached = normaliseAddress(peer.address);
    const bound = normaliseAddress(own.address);
    if (!reached || !bound) return false;
    if (!unspecified(bound)) return reached === bound;
    return isLoopback(reached) || machineAddresses().has(reached);
  };
}
