import { clientAddress } from './address-budget.ts';
import type { PacingLimits } from './client-limits.ts';

/**
 * A connection the gate can stop reading. TapSocket (server/tap/) is one: pausing it stops
 * reading the network, so TCP backpressure makes the client wait instead of the server parsing,
 * routing and refusing what it sends.
 */
export interface PacedConnection {
  /**
   * Gives the parser nothing more (TapSocket still reads a little, to notice a client that closes).
   * `untilTurn`: only until its turn — what it read before a FIN is still given when resumed.
   */
  pauseInput(untilTurn?: boolean): void;
  resumeInput(): void;
  readonly destroyed: boolean;
  /** bytes read and not given to the parser yet (HTTP/1.1 requests pipelined after the pause) */
  readonly heldBytes?: number;
}

/** What one address has done to the gate since the last report (one log line per address). */
export interface PacingReport {
  address: string;
  /** times one of its connections was paused because the address had spent its pace */
  pauses: number;
  /** connections closed at accept because the address held its maximum already */
  refusedConnections: number;
}

/** The gate's view of one address, for tests and the report. */
export interface AddressPace {
  connections: number;
  /** its connections paused now */
  paused: number;
  /** bytes its paused connections have read and not given to the parser */
  heldBytes: number;
  pausesSoFar: number;
  refusedConnectionsSoFar: number;
}

interface AddressState {
  connections: number;
  requestTokens: number;
  byteTokens: number;
  at: number;
  /** paused connections, oldest first: they are resumed in the order they were paused */
  waiting: Set<PacedConnection>;
  timer: NodeJS.Timeout | null;
  /** the next paused connection's resumption, a turn of the event loop after the one before (resumeWaiting) */
  nextResume: NodeJS.Immediate | null;
  /** the turn of the event loop its reads were last counted in, and how many it had in that turn */
  turn: number;
  readsThisTurn: number;
  pausesSoFar: number;
  refusedConnectionsSoFar: number;
  unreportedPauses: number;
  unreportedRefusals: number;
}

/** Past this many tracked addresses, the idle ones with full buckets are forgotten. */
const SWEEP_AT = 4096;
/** A chunk read from the network costs at least this many bytes: a flood of tiny messages is paced too. */
const MIN_CHUNK_COST = 256;
/** Refusals and pauses are reported at most this often, one line per address (never one line each). */
export const PACING_REPORT_MS = 10_000;

/**
 * Refuses and paces per client address before anything is parsed (server/limits/README.md):
 *
 * - at accept, an address holding `connectionsPerAddress` connections gets its next one closed
 *   at once (nothing read, nothing answered);
 * - every request (HTTP/1.1 or HTTP/2 stream) and every byte read spends from the address's two
 *   token buckets (bytes with a burst smaller than a window's worth); an address that has spent them has the connection that overspent paused —
 *   not refused — until the buckets refill, and its paused connections are resumed oldest first;
 * - in one turn of the event loop an address has at most `readsPerTurnPerAddress` reads given to
 *   the parser; its other reads that turn wait, their connections resumed one a turn after it, so
 *   the loop looks at the network between two of them (round robin between addresses).
 *
 * An address that stays within its pace never notices the gate; one that floods waits in its
 * own TCP buffers while every other address is served, and costs the event loop almost nothing.
 */
export class AddressGate {
  private readonly addresses = new Map<string, AddressState>();
  /** resumed connections whose next request was paid for when they were resumed */
  private readonly prepaid = new WeakSet<PacedConnection>();
  private report: ((reports: PacingReport[]) => void) | null = null;
  private reportTimer: NodeJS.Timeout | null = null;
  /** the server is closing: what is still open is read at once, so it can finish */
  private closing = false;
  private readonly requestRefillPerMs: number;
  private readonly byteRefillPerMs: number;
  /** the turn of the event loop now: counted up by an immediate of each turn that read something */
  private turn = 0;
  private turnEnds: NodeJS.Immediate | null = null;

  constructor(
    readonly limits: PacingLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.requestRefillPerMs = limits.requestsPerAddress / limits.windowMs;
    this.byteRefillPerMs = limits.bytesPerAddress / limits.windowMs;
  }

  /** Where the aggregated report goes (the server's log); without it nothing is reported. */
  reportTo(report: (reports: PacingReport[]) => void): void {
    this.report = report;
  }

  /**
   * A new TCP connection from `address`: `null` if the address holds its maximum already (close
   * it at once), else the function to call once when it closes.
   */
  admitConnection(rawAddress: string | undefined): (() => void) | null {
    const state = this.stateOf(clientAddress(rawAddress));
    if (state.connections >= this.limits.connectionsPerAddress) {
      state.refusedConnectionsSoFar += 1;
      if (this.report) state.unreportedRefusals += 1;
      this.scheduleReport();
      return null;
    }
    state.connections += 1;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      state.connections -= 1;
      if (state.connections === 0) this.forgetIfIdle(clientAddress(rawAddress), state);
    };
  }

  /** One request (or HTTP/2 stream, or WebSocket upgrade) arrived on `connection`. */
  spendRequest(rawAddress: string | undefined, connection: PacedConnection): void {
    if (this.prepaid.delete(connection) || this.closing) return;
    const state = this.stateOf(clientAddress(rawAddress));
    this.refill(state);
    state.requestTokens -= 1;
    if (state.requestTokens < 0) this.pause(state, connection);
  }

  /**
   * `bytes` were read from `connection`. True: the read is past its address's share of this turn
   * of the event loop, and must wait (kept, not given to the parser): its connection is paused
   * and resumed in a later turn. An overspent bucket pauses the connection after this read.
   */
  spendBytes(rawAddress: string | undefined, connection: PacedConnection, bytes: number): boolean {
    if (this.closing) return false;
    const state = this.stateOf(clientAddress(rawAddress));
    this.refill(state);
    state.byteTokens -= Math.max(bytes, MIN_CHUNK_COST);
    if (state.byteTokens < 0) this.pause(state, connection);
    if (this.countRead(state) <= this.limits.readsPerTurnPerAddress) return false;
    this.waitForTurn(state, connection);
    return true;
  }

  /** The connection closed: it waits no more. */
  forget(rawAddress: string | undefined, connection: PacedConnection): void {
    this.addresses.get(clientAddress(rawAddress))?.waiting.delete(connection);
  }

  pace(rawAddress: string | undefined): AddressPace {
    const state = this.addresses.get(clientAddress(rawAddress));
    if (!state) return { connections: 0, paused: 0, heldBytes: 0, pausesSoFar: 0, refusedConnectionsSoFar: 0 };
    let heldBytes = 0;
    for (const connection of state.waiting) heldBytes += connection.heldBytes ?? 0;
    return {
      connections: state.connections,
      paused: state.waiting.size,
      heldBytes,
      pausesSoFar: state.pausesSoFar,
      refusedConnectionsSoFar: state.refusedConnectionsSoFar,
    };
  }

  /** Resumes every paused connection, paces no more and stops the timers (the server is closing). */
  close(): void {
    this.closing = true;
    for (const state of this.addresses.values()) {
      if (state.timer) clearTimeout(state.timer);
      if (state.nextResume) clearImmediate(state.nextResume);
      state.timer = null;
      state.nextResume = null;
      for (const connection of state.waiting) connection.resumeInput();
      state.waiting.clear();
    }
    if (this.reportTimer) clearTimeout(this.reportTimer);
    this.reportTimer = null;
    if (this.turnEnds) clearImmediate(this.turnEnds);
    this.turnEnds = null;
  }

  private stateOf(address: string): AddressState {
    let state = this.addresses.get(address);
    if (!state) {
      if (this.addresses.size >= SWEEP_AT) this.sweep();
      state = {
        connections: 0,
        requestTokens: this.limits.requestsPerAddress,
        byteTokens: this.limits.bytesBurstPerAddress,
        at: this.now(),
        waiting: new Set(),
        timer: null,
        nextResume: null,
        turn: -1,
        readsThisTurn: 0,
        pausesSoFar: 0,
        refusedConnectionsSoFar: 0,
        unreportedPauses: 0,
        unreportedRefusals: 0,
      };
      this.addresses.set(address, state);
    }
    return state;
  }

  private refill(state: AddressState): void {
    const now = this.now();
    const elapsed = now - state.at;
    state.at = now;
    state.requestTokens = Math.min(this.limits.requestsPerAddress, state.requestTokens + elapsed * this.requestRefillPerMs);
    state.byteTokens = Math.min(this.limits.bytesBurstPerAddress, state.byteTokens + elapsed * this.byteRefillPerMs);
  }

  private pause(state: AddressState, connection: PacedConnection): void {
    if (connection.destroyed || state.waiting.has(connection)) return;
    connection.pauseInput();
    state.waiting.add(connection);
    state.pausesSoFar += 1;
    if (this.report) state.unreportedPauses += 1;
    this.scheduleReport();
    this.scheduleResume(state);
  }

  /** One more read of this address in this turn of the event loop: how many it has had in it. */
  private countRead(state: AddressState): number {
    if (state.turn !== this.turn) {
      state.turn = this.turn;
      state.readsThisTurn = 0;
      // The turn ends after this turn's reads: immediates run once the loop has polled the network.
      this.turnEnds ??= setImmediate(() => {
        this.turnEnds = null;
        this.turn += 1;
      });
    }
    state.readsThisTurn += 1;
    return state.readsThisTurn;
  }

  /**
   * A read past the address's share of the turn: its connection waits, with the address's
   * paused ones, and is resumed in its turn (an immediate scheduled now runs after this turn's
   * reads; each resumption schedules the next for the turn after). Not a pause of the pace: not
   * reported, the buckets are not short.
   */
  private waitForTurn(state: AddressState, connection: PacedConnection): void {
    if (connection.destroyed) return;
    if (!state.waiting.has(connection)) {
      connection.pauseInput(true);
      state.waiting.add(connection);
    }
    if (!state.timer) state.nextResume ??= setImmediate(() => this.resumeWaiting(state));
  }

  /** Wakes when the buckets have room for the oldest paused connection again. */
  private scheduleResume(state: AddressState): void {
    if (state.timer || state.nextResume || state.waiting.size === 0) return;
    const requestWaitMs = state.requestTokens >= 1 ? 0 : (1 - state.requestTokens) / this.requestRefillPerMs;
    const byteWaitMs = state.byteTokens >= 0 ? 0 : -state.byteTokens / this.byteRefillPerMs;
    state.timer = setTimeout(
      () => {
        state.timer = null;
        this.resumeWaiting(state);
      },
      Math.max(1, Math.ceil(Math.max(requestWaitMs, byteWaitMs))),
    );
    state.timer.unref();
  }

  /**
   * Resumes the oldest paused connection, paying now for its next request, while the buckets
   * have room, and the next one a turn of the event loop later: a flood goes at the pace and no
   * faster, no paused connection is passed over, and every other address's reads are served
   * between two of its requests. Resumed all at once, the forty requests a flooding script held
   * ran back to back, 60–130 ms of the one event loop twice a second, and every student's
   * request that arrived meanwhile waited for all of them (bench/soak.ts, issue 40).
   */
  private resumeWaiting(state: AddressState): void {
    state.nextResume = null;
    this.refill(state);
    for (const connection of state.waiting) {
      if (state.requestTokens < 1 || state.byteTokens < 0) break;
      state.waiting.delete(connection);
      if (connection.destroyed) continue;
      state.requestTokens -= 1;
      this.prepaid.add(connection);
      this.countRead(state);
      connection.resumeInput();
      if (state.waiting.size > 0) state.nextResume = setImmediate(() => this.resumeWaiting(state));
      return;
    }
    this.scheduleResume(state);
  }

  private forgetIfIdle(address: string, state: AddressState): void {
    this.refill(state);
    const full = state.requestTokens >= this.limits.requestsPerAddress && state.byteTokens >= this.limits.bytesBurstPerAddress;
    if (full && state.waiting.size === 0 && !state.timer && !state.nextResume && state.unreportedPauses + state.unreportedRefusals === 0)
      this.addresses.delete(address);
  }

  private sweep(): void {
    for (const [address, state] of this.addresses) {
      if (state.connections === 0) this.forgetIfIdle(address, state);
    }
  }

  private scheduleReport(): void {
    if (this.reportTimer || !this.report) return;
    this.reportTimer = setTimeout(() => {
      this.reportTimer = null;
      const reports: PacingReport[] = [];
      for (const [address, state] of this.addresses) {
        if (state.unreportedPauses + state.unreportedRefusals === 0) continue;
        reports.push({ address, pauses: state.unreportedPauses, refusedConnections: state.unreportedRefusals });
        state.unreportedPauses = 0;
        state.unreportedRefusals = 0;
      }
      if (reports.length > 0) this.report?.(reports);
    }, PACING_REPORT_MS);
    this.reportTimer.unref();
  }
}
