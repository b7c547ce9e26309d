import type { Socket } from 'node:net';

/**
 * What a session refused at its start is sent, and all it is sent (RFC 9113): the server's
 * connection preface, an empty SETTINGS frame (§3.4: a server's first frame), then GOAWAY
 * (§6.8) with last stream 0 — none of the client's streams was or will be processed — and
 * ENHANCE_YOUR_CALM (0xb). Two frame headers of 9 bytes, GOAWAY's payload of 8.
 */
export const REFUSAL_AT_START: Buffer = Buffer.from([
  // SETTINGS: length 0, type 0x4, no flags, stream 0
  0, 0, 0, 0x4, 0, 0, 0, 0, 0,
  // GOAWAY: length 8, type 0x7, no flags, stream 0; last stream 0; ENHANCE_YOUR_CALM
  0, 0, 8, 0x7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b,
]);

/** Addresses calming down at once at most; past it a new one is not held back (memory stays bounded). */
export const MAX_CALMING_ADDRESSES = 4096;

/**
 * Connections held unanswered at once (every address together) before their refusal; past it, a
 * new one is refused at once. Each holds a socket and its kernel buffers, nothing read.
 */
export const MAX_HELD_REFUSALS = 256;

/** How often ended calms are looked for (and reported): at most this late. */
export const CALM_SWEEP_MS = 1000;

/** What an address's calm ended with: the sessions refused at their start meanwhile. */
export interface CalmReport {
  address: string;
  sessionsRefusedAtStart: number;
}

export interface AddressCalmOptions {
  /** how long an address calms down after one of its sessions was ended for flooding */
  calmMs: number;
  /** from the GOAWAY to the connection's close: the client reads the GOAWAY, not a TCP reset */
  closeAfterMs: number;
  /** from a refused connection's first bytes to its refusal, nothing of it read meanwhile (0: at once) */
  holdMs: number;
  /** once per calm that refused a session (never per session): how many it refused */
  onCalmEnded(report: CalmReport): void;
  now?: () => number;
}

interface Calming {
  until: number;
  sessionsRefusedAtStart: number;
}

/**
 * Per client address: once one of its HTTP/2 sessions has been ended for flooding, its new
 * sessions are refused at their start, for `calmMs`. A session refused so costs the server its
 * TCP accept, the sniffed preface and 35 bytes written: no HTTP/2 session is made, none of its
 * frames is parsed, no stream of it exists (each stream Node makes and closes with an error code
 * costs an Error with its stack, the route a request, the log a line). A flood that comes back
 * session after session, as a script does, is refused so until its address has been calm for
 * `calmMs`; it is logged once for the whole calm.
 *
 * The refusal comes `holdMs` after the connection's first bytes, none read meanwhile. Answered at
 * once, a script that opens its next session as soon as the last is refused (the bench's flooder:
 * eight at a time) came back some 800 times a second, and each time cost the server an accept,
 * a read, a write and the kernel's TCP handshakes on loopback (`bench/h2-flood.ts`: +67–257 ms
 * of the server's CPU a second during a SETTINGS or PING flood); held, it comes back eight times
 * per `holdMs`. A real client refused meanwhile reads the same GOAWAY a moment later.
 */
export class Http2AddressCalm {
  private readonly calming = new Map<string, Calming>();
  private readonly now: () => number;
  private held = 0;
  /** one timer for every calming address (not one each: a flood from many addresses), while there is one */
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly options: AddressCalmOptions) {
    this.now = options.now ?? Date.now;
  }

  /** One of `address`'s sessions was ended for flooding: its new sessions are refused for `calmMs` from now. */
  startCalm(address: string): void {
    const until = this.now() + this.options.calmMs;
    const calming = this.calming.get(address);
    if (calming) {
      calming.until = until;
      return;
    }
    if (this.calming.size >= MAX_CALMING_ADDRESSES) return;
    this.calming.set(address, { until, sessionsRefusedAtStart: 0 });
    this.sweeper ??= setInterval(() => this.endCalms(), Math.min(CALM_SWEEP_MS, this.options.calmMs)).unref();
  }

  /** Is `address` calming down, its new sessions refused at their start? */
  isCalming(address: string): boolean {
    const calming = this.calming.get(address);
    return calming !== undefined && this.now() < calming.until;
  }

  /**
   * Refuses a new HTTP/2 connection of a calming address before any HTTP/2 session exists, once
   * it has been held `holdMs` unread (at once past MAX_HELD_REFUSALS held): the SETTINGS and
   * GOAWAY above, then FIN; what the client sends from then on is read and dropped unparsed (not
   * left unread: closing over unread bytes answers with a TCP reset, which may overtake the
   * GOAWAY), and the connection is closed `closeAfterMs` later if the client has not.
   */
  refuseAtStart(socket: Socket, address: string): void {
    const calming = this.calming.get(address);
    if (calming) calming.sessionsRefusedAtStart += 1;
    socket.on('error', ignore);
    if (this.options.holdMs <= 0 || this.held >= MAX_HELD_REFUSALS) {
      this.refuseNow(socket);
      return;
    }
    this.held += 1;
    // (the sniffing paused it: its next bytes wait in the kernel, unread)
    socket.pause();
    setTimeout(() => {
      this.held -= 1;
      this.refuseNow(socket);
    }, this.options.holdMs).unref();
  }

  /** Connections held before their refusal now. */
  get heldRefusals(): number {
    return this.held;
  }

  private refuseNow(socket: Socket): void {
    if (socket.destroyed) return;
    socket.write(REFUSAL_AT_START);
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), this.options.closeAfterMs).unref();
  }

  /** Addresses calming down now (or whose calm's end is not reported yet). */
  get addresses(): number {
    return this.calming.size;
  }

  /** Forgets the calms that have ended (a calm begun again while it lasted ends `calmMs` after the last), reporting those that refused. */
  private endCalms(): void {
    const now = this.now();
    for (const [address, calming] of this.calming) {
      if (now < calming.until) continue;
      this.calming.delete(address);
      if (calming.sessionsRefusedAtStart > 0) this.options.onCalmEnded({ address, sessionsRefusedAtStart: calming.sessionsRefusedAtStart });
    }
    if (this.calming.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}

function ignore(): void {}
