import type { CaptureHub } from '../../tap/capture-hub.ts';
import type { CaptureMessage, CapturedChunk, ConnectionInfo } from '../../tap/capture-types.ts';
import { RelayStreamFilter } from '../blanking/relay-stream-filter.ts';
import { SecretBook } from '../blanking/secret-scanner.ts';

/**
 * What a follower receives of the teacher's wire: JSON messages, and chunks as binary frames
 * (built once per batch by whoever sends them). `connection-update` is never sent to a
 * follower: it keeps what a late follower's replay says about a connection already announced.
 */
export type RelayedMessage =
  /** the relay starts again; `instance`: the server process whose captures follow (CaptureHub.instance) */
  | { type: 'reset'; instance: string }
  | { type: 'connection'; conn: ConnectionInfo }
  | { type: 'connection-update'; conn: ConnectionInfo }
  | { type: 'closed'; conn: string; t: number }
  | { type: 'chunks'; chunks: CapturedChunk[] };

export interface RelayListener {
  (messages: RelayedMessage[]): void;
}

/** Bytes of the teacher's traffic kept for a follower who joins or comes back. @default 2 MiB */
export const RELAY_REPLAY_BYTES = 2 * 1024 * 1024;

/**
 * What a follower who joins late gets: the connections announced and the last `replayBytes` of
 * chunks. Fed with the relay's messages wherever they are delivered, so every instance that has
 * followers of a class keeps one (README.md, "Several instances").
 */
export class RelayReplay {
  private connections = new Map<string, ConnectionInfo>();
  private kept: CapturedChunk[] = [];
  private keptBytes = 0;
  /** a relay has started (a reset came): only then is there anything to replay */
  started = false;
  /** the server process of the relay's captures, from its last reset */
  private instance = '';

  constructor(private readonly replayBytes = RELAY_REPLAY_BYTES) {}

  apply(messages: readonly RelayedMessage[]): void {
    for (const message of messages) {
      switch (message.type) {
        case 'reset':
          this.started = true;
          this.instance = message.instance;
          this.connections.clear();
          this.kept = [];
          this.keptBytes = 0;
          break;
        case 'connection':
        case 'connection-update':
          this.connections.set(message.conn.id, message.conn);
          break;
        case 'closed': {
          const info = this.connections.get(message.conn);
          if (info) this.connections.set(message.conn, { ...info, closedAt: message.t });
          break;
        }
        case 'chunks':
          for (const chunk of message.chunks) this.keep(chunk);
          break;
      }
    }
  }

  /** Everything a new follower needs to see the teacher's traffic so far. */
  replay(): RelayedMessage[] {
    const out: RelayedMessage[] = [{ type: 'reset', instance: this.instance }];
    const withChunks = new Set(this.kept.map((chunk) => chunk.conn));
    for (const info of this.connections.values()) {
      if (withChunks.has(info.id)) out.push({ type: 'connection', conn: info });
    }
    if (this.kept.length > 0) out.push({ type: 'chunks', chunks: this.kept.slice() });
    for (const info of this.connections.values()) {
      if (withChunks.has(info.id) && info.closedAt !== undefined) out.push({ type: 'closed', conn: info.id, t: info.closedAt });
    }
    return out;
  }

  private keep(chunk: CapturedChunk): void {
    this.kept.push(chunk);
    this.keptBytes += chunk.data.length;
    while (this.keptBytes > this.replayBytes && this.kept.length > 1) {
      const dropped = this.kept.shift()!;
      this.keptBytes -= dropped.data.length;
    }
  }
}

interface RelayedConnection {
  info: ConnectionInfo;
  filters: Record<'in' | 'out', RelayStreamFilter>;
  announced: boolean;
}

/**
 * The teacher's captured traffic on its way to the followers: the hub's own chunks of the
 * teacher's browser session (the bytes the teacher's connections really carried), from the
 * moment the teacher started leading, HTTP/1.1 connections only, with every secret of the
 * teacher's session blanked (relay-stream-filter.ts). One subscription to the hub per class however many follow;
 * what a follower joining late needs is kept by a RelayReplay wherever the messages are delivered.
 * h2c and MQTT connections are not relayed: their headers are compressed (HPACK) or carry the
 * session in a user name, where blanking would mean rebuilding.
 */
export class TeacherRelay {
  private connections = new Map<string, RelayedConnection>();
  private unsubscribe: (() => void) | null = null;
  private startedAt = 0;
  /** what every connection of this teacher's session blanks; learns secrets on the way */
  private book = new SecretBook([]);
  session: string | null = null;

  constructor(
    private readonly hub: CaptureHub,
    private readonly listener: RelayListener,
    /** secrets besides the teacher's session id that must never reach a follower (the teacher key) */
    private readonly secrets: readonly string[] = [],
  ) {}

  /** Relays this session's traffic from now on (a new teacher session starts afresh). */
  lead(session: string, now = performance.timeOrigin + performance.now()): void {
    if (this.session === session && this.unsubscribe) return;
    this.stop();
    if (this.session !== session) {
      this.connections.clear();
      this.book = new SecretBook([session, ...this.secrets]);
      // a new teacher session on the same process, or the first one after a restart: the follower's
      // page keeps the teacher's earlier captures only when they were another process's
      this.listener([{ type: 'reset', instance: this.hub.instance }]);
      this.startedAt = now;
    }
    this.session = session;
    this.unsubscribe = this.hub.subscribe(session, { deliver: (batch) => this.deliver(batch) });
  }

  /** The secrets of the session it relays, with those learned on the way: a cell the teacher sends is blanked with them too (cell-drafts.ts). */
  get secretBook(): SecretBook {
    return this.book;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private deliver(batch: CaptureMessage[]): void {
    const out: RelayedMessage[] = [];
    let run: CapturedChunk[] = [];
    const endRun = () => {
      if (run.length > 0) out.push({ type: 'chunks', chunks: run });
      run = [];
    };
    for (const message of batch) {
      switch (message.type) {
        case 'connection': {
          const known = this.connections.get(message.conn.id);
          if (known) {
            known.info = { ...known.info, ...message.conn };
            if (known.announced) {
              endRun();
              out.push({ type: 'connection-update', conn: known.info });
            }
          } else if (message.conn.transport === 'http/1.1') {
            this.connections.set(message.conn.id, { info: { ...message.conn }, filters: this.newFilters(), announced: false });
          }
          break;
        }
        case 'chunk': {
          const { chunk } = message;
          const connection = this.connections.get(chunk.conn);
          if (!connection || chunk.t < this.startedAt) break;
          if (!connection.announced) {
            connection.announced = true;
            endRun();
            out.push({ type: 'connection', conn: connection.info });
          }
          const filtered = connection.filters[chunk.dir].apply(chunk.data);
          const data = filtered === chunk.data ? chunk.data : Buffer.from(filtered.buffer, filtered.byteOffset, filtered.byteLength);
          const relayed: CapturedChunk = { ...chunk, data };
          run.push(relayed);
          break;
        }
        case 'closed': {
          const connection = this.connections.get(message.conn);
          if (!connection) break;
          connection.info = { ...connection.info, closedAt: message.t };
          if (connection.announced) {
            endRun();
            out.push({ type: 'closed', conn: message.conn, t: message.t });
          }
          break;
        }
        default:
          // recording switches and clears are the teacher's own business
          break;
      }
    }
    endRun();
    if (out.length > 0) this.listener(out);
  }

  private newFilters(): Record<'in' | 'out', RelayStreamFilter> {
    return { in: new RelayStreamFilter('in', this.book), out: new RelayStreamFilter('out', this.book) };
  }
}
