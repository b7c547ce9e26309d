// The browser's copy of its session's captures (README.md): the capture store, composed of its
// rooms — the channel (capture-channel.ts), the memory budget (capture-budget.ts), the decoding
// (connection-decode.ts) and its schedule (decode-schedule.ts), the server processes it heard
// (server-processes.ts), the waits for an exchange (exchange-waiters.ts) and the pcapng export
// (capture-export.ts). Other rooms import it through capture-store.ts, with the page's one store.
import { base64Decode } from '@bufbuild/protobuf/wire';
import { layersLoading, onLayerSettled } from '../../wire/lazy-layer.ts';
import type { CaptureChunk, HttpExchange } from '../../wire/types.ts';
import { CaptureBudget } from './capture-budget.ts';
import { CaptureChannel } from './capture-channel.ts';
import { trackedToPcapng } from './capture-export.ts';
import type {
  CaptureSnapshot,
  CaptureStatus,
  CaptureStoreOptions,
  ConnectionView,
  InspectedExchange,
  ServerMessage,
  TrackedConnection,
  WaitForExchange,
} from './capture-types.ts';
import type { ConnectionKeys } from './connection-keys.ts';
import { decodeToEnd, decodeTracked, forgetDecode, isBehind, markedView } from './connection-decode.ts';
import { DecodeSchedule } from './decode-schedule.ts';
import { ExchangeWaiters } from './exchange-waiters.ts';
import { ServerProcesses } from './server-processes.ts';

/**
 * The session's captures: keeps the connections and their chunks (bounded), and decodes a
 * connection only when it got new bytes. Framework-light: subscribe/getSnapshot fit React's
 * useSyncExternalStore.
 */
export class CaptureStore {
  private readonly budget: CaptureBudget;
  private readonly channel: CaptureChannel;
  private readonly processes = new ServerProcesses();
  private readonly schedule: DecodeSchedule;
  private readonly waiters = new ExchangeWaiters(() => this.exchanges());
  private state: { status: CaptureStatus; recording: boolean } = { status: 'closed', recording: true };
  private version = 0;
  private snapshot: CaptureSnapshot | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: CaptureStoreOptions) {
    this.budget = new CaptureBudget(options.maxBytes);
    this.channel = new CaptureChannel(options, {
      status: (status) => this.setStatus(status),
      message: (message) => this.apply(message),
      chunks: (chunks) => this.applyChunks(chunks),
    });
    this.schedule = new DecodeSchedule({
      decodeSlice: (until) => this.decodeSlice(until),
      changed: () => this.changed(),
      notify: () => {
        this.waiters.settle();
        for (const listener of this.listeners) listener();
      },
    });
    // A decoder layer arrived (wire/lazy-layer.ts): what was decoded without it showed a
    // placeholder, and the memo may hold units decoded that way, so every connection starts over.
    onLayerSettled(() => this.redecodeAll());
  }

  get status(): CaptureStatus {
    return this.state.status;
  }

  get recording(): boolean {
    return this.state.recording;
  }

  /** Opens the capture channel (once); reconnects with backoff until stop(). */
  connect(): void {
    this.channel.connect();
  }

  stop(): void {
    this.schedule.stop();
    this.channel.stop();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CaptureSnapshot => {
    if (this.snapshot?.version !== this.version) this.snapshot = this.buildSnapshot();
    return this.snapshot;
  };

  exchanges(): InspectedExchange[] {
    return this.getSnapshot().exchanges;
  }

  connections(): ConnectionView[] {
    return this.getSnapshot().connections;
  }

  /**
   * The chunks the store holds for one connection, as the tap recorded them (arrival order):
   * what byte counts are summed from (web/compare measures runs with it).
   */
  chunksOf(conn: string): readonly CaptureChunk[] {
    return this.budget.connections.get(conn)?.chunks ?? [];
  }

  /**
   * This store's ids of the connections a server process names (its replies name them as the
   * capture channel does: an own-server report's `connections`), fixed at the call. `instance`:
   * that process (the report's `captureInstance`); one whose hello has not come yet (a report
   * faster than the restarted server's hello) gets the place its hello will take.
   */
  connectionKeys(instance?: string): ConnectionKeys {
    return this.processes.connectionKeys(instance);
  }

  /** Every connection is decoded to its last chunk (a burst may take a few background slices), with every layer it needs. */
  caughtUp(): boolean {
    return !layersLoading() && ![...this.budget.connections.values()].some(isBehind);
  }

  /**
   * Decodes every connection to its last chunk now, in this task, rather than a slice per task
   * (what is shared must be read from every byte the store holds), and gives the snapshot.
   */
  catchUpNow(): CaptureSnapshot {
    for (const tracked of this.budget.connections.values()) decodeToEnd(tracked, this.isBeforeRestart(tracked), this.options.decode);
    this.changed();
    return this.getSnapshot();
  }

  /** Switches recording for this browser's session; the server confirms with a `recording` message. */
  setRecording(on: boolean): void {
    this.channel.send({ type: 'recording', on });
  }

  /** Drops the session's captures on the server; the server confirms with `cleared`. */
  clear(): void {
    this.channel.send({ type: 'clear' });
  }

  /**
   * Resolves with the first exchange of that method and target whose request's first byte came
   * at or after `after`, once its response is complete; with null after `timeoutMs`.
   */
  waitForExchange(query: WaitForExchange): Promise<HttpExchange | null> {
    return this.waiters.wait(query);
  }

  /** Applies one capture-channel message (exposed for tests and replays). */
  apply(message: ServerMessage): void {
    switch (message.type) {
      case 'hello':
        // a channel that names no process starts from nothing again (an older server's)
        this.startInstance(message.instance as string | undefined);
        this.state = { ...this.state, recording: message.recording };
        break;
      case 'connection': {
        const conn = this.processes.keyed(message.conn);
        const existing = this.budget.connections.get(conn.id);
        if (existing) existing.connection = { ...existing.connection, ...conn };
        else this.budget.track(conn, this.processes.current);
        break;
      }
      case 'chunks':
        // the JSON form (base64 data): replays and tests; the channel itself sends binary frames
        this.applyChunks(message.chunks.map((wire) => ({ ...wire, data: base64Decode(wire.data) })));
        return;
      case 'closed': {
        const tracked = this.budget.connections.get(this.processes.keyOf(message.conn));
        if (tracked) tracked.connection = { ...tracked.connection, closedAt: message.t };
        break;
      }
      case 'recording':
        this.state = { ...this.state, recording: message.on };
        break;
      case 'cleared':
        this.clearChunks();
        break;
      default:
        return;
    }
    this.changed();
  }

  /** Applies the chunks of one binary capture message (contracts/capture-channel/messages.ts). */
  applyChunks(chunks: readonly CaptureChunk[]): void {
    const renamed = this.processes.ordinal() !== 0;
    const instance = this.processes.current;
    for (const chunk of chunks) this.budget.add(renamed ? { ...chunk, conn: this.processes.keyOf(chunk.conn) } : chunk, instance);
    this.budget.enforceLimit();
    this.changed();
  }

  /**
   * The recorded bytes of these connections (every one when none is named) as a pcapng file for
   * Wireshark (wire/pcapng), from all chunks (capture-export.ts).
   */
  toPcapng(connIds?: readonly string[]): Uint8Array<ArrayBuffer> {
    const { connections } = this.budget;
    return trackedToPcapng(connIds ? connIds.flatMap((id) => connections.get(id) ?? []) : [...connections.values()]);
  }

  private setStatus(status: CaptureStatus): void {
    if (status === this.state.status) return;
    this.state = { ...this.state, status };
    this.changed();
  }

  private redecodeAll(): void {
    for (const tracked of this.budget.connections.values()) forgetDecode(tracked);
    // decoded again between the page's tasks, as a burst is (even with no listener to ask)
    this.schedule.catchUp();
    this.changed();
  }

  /**
   * A `hello`: the server replays its ring after it, and that is the truth of its own captures,
   * so what this store kept of that server process goes and comes again with the replay. Another
   * process's captures stay, marked as from before the restart: its ring is gone with it (a
   * restarted server's starts empty). The class channel's relay of the teacher's captures names
   * its process the same way (web/classroom/teacher-captures.ts); a hello naming none starts
   * from nothing again.
   */
  private startInstance(instance: string | undefined): void {
    this.budget.drop((tracked) => instance === undefined || tracked.instance === instance);
    this.processes.start(instance);
  }

  private isBeforeRestart(tracked: TrackedConnection): boolean {
    return this.processes.isBefore(tracked.instance);
  }

  /**
   * Like the server: closed connections go, open ones stay (a browser keeps its keep-alive
   * connections) without their bytes, and keep counting their requests.
   */
  private clearChunks(): void {
    // before the restart, nothing is open any more: all of it goes
    this.budget.drop((tracked) => tracked.connection.closedAt !== undefined || this.isBeforeRestart(tracked));
    for (const tracked of this.budget.connections.values()) {
      const view = decodeToEnd(tracked, false, this.options.decode);
      tracked.indexBase += view.exchanges.length;
      this.budget.emptied(tracked);
    }
  }

  /** The snapshot is new at once (getSnapshot decodes on demand); listeners hear of it throttled. */
  private changed(): void {
    this.version += 1;
    this.schedule.notifySoon();
  }

  /** Decodes connections that are behind until `until`; whether some still are. */
  private decodeSlice(until: number): boolean {
    for (const tracked of this.budget.connections.values()) {
      if (performance.now() > until) break;
      if (isBehind(tracked)) decodeTracked(tracked, this.isBeforeRestart(tracked), this.options.decode);
    }
    return [...this.budget.connections.values()].some(isBehind);
  }

  private buildSnapshot(): CaptureSnapshot {
    const snapshot = this.schedule.timed(() => this.decodeAll());
    if ([...this.budget.connections.values()].some(isBehind)) this.schedule.catchUp();
    return snapshot;
  }

  private decodeAll(): CaptureSnapshot {
    // While catching up, a snapshot shows how far the catch-up got instead of decoding a slice of
    // its own in the same task as the render that asked for it.
    const catchingUp = this.schedule.catchingUp;
    const connections = [...this.budget.connections.values()].map((tracked) => {
      const beforeRestart = this.isBeforeRestart(tracked);
      return catchingUp && tracked.decoded && isBehind(tracked)
        ? markedView(tracked, beforeRestart)
        : decodeTracked(tracked, beforeRestart, this.options.decode);
    });
    connections.sort((a, b) => a.connection.openedAt - b.connection.openedAt);
    const exchanges = connections.flatMap((view) => view.exchanges).sort((a, b) => a.request.firstByteAt - b.request.firstByteAt || a.index - b.index);
    const messages = connections.flatMap((view) => view.messages).sort((a, b) => a.at - b.at || a.index - b.index);
    const beforeRestart = new Set<string>();
    for (const view of connections) if (view.beforeRestart) beforeRestart.add(view.connection.id);
    return { ...this.state, version: this.version, connections, exchanges, messages, beforeRestart };
  }
}
