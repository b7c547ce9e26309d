// Is the address a suite connected to Wirelab's own listening port on this machine? Every check
// passes there — it shows what passing looks like — so a report says so (`targetIsWirelab`) and a
// lesson's exercise does not count it. Decided from the probe connection's real peer (after DNS,
// after the guard), never from the text the student typed: `localhost:8080`, `127.0.0.2:8080`,
// `[::1]:8080` and this machine's LAN address all reach the same listener.
import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { networkInterfaces } from 'node:os';
import { isLoopback, normaliseAddress } from './address-guard.ts';
import { readHttp1Head } from '../../wire/http1/http1-head.ts';

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

// ---- through a forwarder ------------------------------------------------------------------------
// A forwarder in front of Wirelab (a 20-line TCP relay, socat, ssh -L) has a peer of its own, so
// the test above cannot see Wirelab behind it. So the runner also asks the target, once, on a
// connection of its own that no check and no capture sees: `GET /_wirelab/whoami` with a fresh
// nonce. Wirelab answers with an HMAC of the nonce under a key of this process
// (`wirelabWhoamiRoute`); a student's server answers anything else (a 404, a close), which it
// cannot forge without forwarding to this very process. Other instances of a deployment have keys
// of their own: a forwarder to another instance is not seen (a limit, said in README.md).

export const WHOAMI_PATH = '/_wirelab/whoami';
const NONCE_HEADER = 'x-wirelab-nonce';
const PROOF_HEADER = 'x-wirelab-proof';
/** How long the target may take to answer the question; a server that does not speak HTTP closes or stays silent. */
const WHOAMI_TIMEOUT_MS = 1500;
const WHOAMI_MAX_BYTES = 4096;
const processKey = randomBytes(32);

const proofOf = (nonce: string): string => createHmac('sha256', processKey).update(nonce).digest('base64url');

/** The route that answers the question: the nonce's proof, nothing else (no secret, no session). */
export async function wirelabWhoamiRoute(app: FastifyInstance): Promise<void> {
  app.get(WHOAMI_PATH, async (request, reply) => {
    const nonce = request.headers[NONCE_HEADER];
    if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return reply.code(204).header('cache-control', 'no-store').send();
    return reply.code(204).header('cache-control', 'no-store').header(PROOF_HEADER, proofOf(nonce)).send();
  });
}

/** Does the target answer the question as this Wirelab process would? `open` gives a guarded connection to it. */
export function answersAsWirelab(open: () => Socket): Promise<boolean> {
  const nonce = randomBytes(18).toString('base64url');
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = open();
    const done = (is: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(is);
    };
    const timer = setTimeout(() => done(false), WHOAMI_TIMEOUT_MS);
    // Host: localhost, a name every Wirelab answers to (listener/host-check.ts), whatever the forwarder's name
    socket.once('connect', () => socket.write(`GET ${WHOAMI_PATH} HTTP/1.1\r\nHost: localhost\r\n${NONCE_HEADER}: ${nonce}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // the answer's head, read with wire/http1 as the inspector reads it
      const head = readHttp1Head(received, 'response');
      if (!head && received.length < WHOAMI_MAX_BYTES) return;
      const proof = head?.headers.find(([name]) => name.toLowerCase() === PROOF_HEADER)?.[1];
      done(proof !== undefined && proof === proofOf(nonce));
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

// ---- the run's own requests, arriving back ------------------------------------------------------
// The question above is a path a forwarder can filter: a 35-line forwarder that answers 404 to
// /_wirelab/ and passes the rest to Wirelab hid Wirelab from it, and lesson 15 counted Wirelab's
// 34/34 as the student's fix (issue 51). So the server also decides from what it saw. Each run has
// a mark, and the suites put it where the protocol needs it to arrive unchanged, not only in a
// header a forwarder may drop: the REST, SSE, GraphQL and gRPC suites in the emails of the users
// they create (the body of a POST, a mutation, a CreateUser), the MQTT suite in its client ids and
// topics (CONNECT, SUBSCRIBE, PUBLISH), every WebSocket handshake in its Sec-WebSocket-Key (which
// the server must hash into its Sec-WebSocket-Accept, so a forwarder that changed it would have to
// change the answer too). Wirelab's own listener shows every byte it reads on a connection it
// accepted (`noticedBytes`, server/app.ts) and every request's headers (`noticed`: the mark's
// header, `x-wirelab-check-run`, which also reaches HTTP/2's compressed headers). A run any of
// whose marks reached Wirelab is a run of Wirelab, whatever answered the question. With Redis,
// the instances of a deployment tell each other (arriving-back-bus.ts). What is still not seen is
// said in README.md.

export const RUN_MARK_HEADER = 'x-wirelab-check-run';

/** The run mark as a header, when the context carries one. */
export function runMarkHeader(context: { runMark?: string }): Record<string, string> {
  return context.runMark ? { [RUN_MARK_HEADER]: context.runMark } : {};
}

/**
 * What goes before the mark wherever it is sent inside the traffic: the listener looks for this one
 * string in a read, not for every run's mark (one search a read, however many runs are watched).
 * Four base64 characters, so it begins a Sec-WebSocket-Key too (its 3 bytes, then the mark's 6).
 */
const ANCHOR = 'wlrn';
const ANCHOR_BYTES = Buffer.from(ANCHOR, 'latin1');
/** The mark's bytes: 6, so that after the anchor's 3 its base64 (8 characters) is whole in a Sec-WebSocket-Key. */
const MARK_BYTES = 6;
const MARK_HEX = 2 * MARK_BYTES;
const MARK_BASE64 = (MARK_BYTES / 3) * 4;
/** The anchor and the longer form of a mark: a read's last bytes less one are kept for a mark cut between reads. */
const SEAM_BYTES = ANCHOR.length + MARK_HEX - 1;

/** The run's mark as the suites write it into what they send (`wlrn` and 12 hex digits), or undefined without one. */
export function runTagOf(context: { runMark?: string }): string | undefined {
  return context.runMark ? `${ANCHOR}${context.runMark}` : undefined;
}

/**
 * A value unique to this use (`bytes` random bytes, in hex) that carries the run's mark when there
 * is one: emails, topics and names the suites send, so that one of them reaching Wirelab gives the
 * run away. Without a mark (the command line, tests) only the random part.
 */
export function markedUnique(context: { runMark?: string }, bytes = 4): string {
  return `${runTagOf(context) ?? ''}${randomBytes(bytes).toString('hex')}`;
}

/** A Sec-WebSocket-Key (16 bytes, base64) that begins with the anchor and the run's mark when there is one, the rest random. */
export function webSocketKeyOf(context: { runMark?: string }): string {
  const marked = context.runMark ? Buffer.concat([Buffer.from(ANCHOR, 'base64'), Buffer.from(context.runMark, 'hex')]) : Buffer.alloc(0);
  return Buffer.concat([marked, randomBytes(16 - marked.length)]).toString('base64');
}

/** A run in progress: its nonce, and whether one of its requests has come back to Wirelab. */
export interface MarkedRun {
  mark: string;
  /** Ends the watch; with Redis, first asks whether another instance saw the run (arriving-back-bus.ts). */
  end(): Promise<void>;
  arrivedBack(): boolean;
}

/** How the instances of a deployment tell each other of their runs (arriving-back-bus.ts). */
export interface ArrivalsBus {
  /** Announced before the run's first request, so the others watch for it; settled once Redis has it. */
  began(mark: string): Promise<void>;
  /** Did another instance see the run arrive? Asked once, at its end. */
  ended(mark: string): Promise<boolean>;
}

/** Why a report names the target Wirelab (contracts/own-server/check-result.ts `wirelabSeen`). */
export type WirelabSeen = 'peer' | 'answers-as-wirelab' | 'requests-arrived-back';

interface WatchedRun {
  arrived: boolean;
  /** A run of another instance (arriving-back-bus.ts): told there, not here. */
  foreign?: (mark: string) => void;
}

export class ChecksArrivingBack {
  private readonly runs = new Map<string, WatchedRun>();
  /** Each watched mark's base64 (as a WebSocket key carries it) → the mark. */
  private readonly byBase64 = new Map<string, string>();
  /** The end of each connection's last read while a run was watched, so a mark cut in two is found. */
  private tails = new WeakMap<object, Buffer>();
  /** The other instances of a deployment (arriving-back-bus.ts); null: one process. */
  bus: ArrivalsBus | null = null;

  async begin(): Promise<MarkedRun> {
    const mark = randomBytes(MARK_BYTES).toString('hex');
    const run: WatchedRun = { arrived: false };
    this.watch(mark, run);
    // (Redis unreachable: the run goes on, seen by this instance alone, as without Redis)
    await this.bus?.began(mark).catch(() => undefined);
    return {
      mark,
      arrivedBack: () => run.arrived,
      end: async () => {
        this.forget(mark);
        if (!run.arrived && (await this.bus?.ended(mark).catch(() => false))) run.arrived = true;
      },
    };
  }

  /** Watches for a run another instance began; `arrived` tells that instance when one of its marks arrives here. */
  watchForeign(mark: string, arrived: (mark: string) => void): void {
    if (!this.runs.has(mark)) this.watch(mark, { arrived: false, foreign: arrived });
  }

  private watch(mark: string, run: WatchedRun): void {
    this.runs.set(mark, run);
    this.byBase64.set(Buffer.from(mark, 'hex').toString('base64'), mark);
  }

  /** Another instance's run ended (or was never ended within its time): no longer watched here. */
  forgetForeign(mark: string): void {
    if (this.runs.get(mark)?.foreign) this.forget(mark);
  }

  private forget(mark: string): void {
    this.runs.delete(mark);
    this.byBase64.delete(Buffer.from(mark, 'hex').toString('base64'));
    if (this.runs.size === 0) this.tails = new WeakMap();
  }

  /** Every request (and upgrade, and h2c stream) Wirelab's own listener receives. */
  noticed(headers: Record<string, string | string[] | undefined>): void {
    if (this.runs.size === 0) return;
    const mark = headers[RUN_MARK_HEADER];
    if (typeof mark !== 'string') return;
    const run = this.runs.get(mark);
    if (run) this.arrive(mark, run);
  }

  /**
   * Every read of a connection Wirelab's own listener accepted (never the suites' own outbound
   * ones: their answers may carry the mark back honestly). Nothing is done while no run is watched.
   */
  noticedBytes(connection: object, chunk: Buffer): void {
    if (this.runs.size === 0) return;
    const tail = this.tails.get(connection);
    this.findMarks(chunk);
    if (tail) this.findMarks(Buffer.concat([tail, chunk.subarray(0, SEAM_BYTES)]));
    // (a forwarder may write a byte at a time: the tail then grows from the reads before)
    const last = chunk.length >= SEAM_BYTES ? chunk.subarray(chunk.length - SEAM_BYTES) : Buffer.concat([tail ?? Buffer.alloc(0), chunk]).subarray(-SEAM_BYTES);
    this.tails.set(connection, Buffer.from(last));
  }

  /** Each anchor in `bytes` followed by a watched mark, in hex or in base64. */
  private findMarks(bytes: Buffer): void {
    for (let at = bytes.indexOf(ANCHOR_BYTES); at !== -1 && this.runs.size > 0; at = bytes.indexOf(ANCHOR_BYTES, at + 1)) {
      const after = at + ANCHOR.length;
      const hex = bytes.toString('latin1', after, after + MARK_HEX);
      const mark = this.runs.has(hex) ? hex : this.byBase64.get(bytes.toString('latin1', after, after + MARK_BASE64));
      const run = mark === undefined ? undefined : this.runs.get(mark);
      if (mark !== undefined && run) this.arrive(mark, run);
    }
  }

  private arrive(mark: string, run: WatchedRun): void {
    if (run.foreign) {
      // told once: the rest of the run's bytes need not be looked at here
      run.foreign(mark);
      this.forget(mark);
    } else run.arrived = true;
  }
}
