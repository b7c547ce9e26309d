import type { FastifyBaseLogger } from 'fastify';
import { decodeChunkFrame, encodeChunkFrame, type CaptureChunk, type CapturedConnection } from '../../../contracts/capture-channel/messages.ts';
import type { CaptureHub } from '../../tap/capture-hub.ts';
import type { CaptureMessage } from '../../tap/capture-types.ts';
import { sessionKeyOf } from '../../scale/session-homes.ts';

/** Batches kept per student session (one per few milliseconds of traffic; the oldest go first). */
export const MIRRORED_BATCHES = 2000;
/** A batch larger than this is not mirrored (a pass needs requests and answers, not downloads). */
export const MIRRORED_BATCH_BYTES = 1024 * 1024;
/** A student's mirror outlives their last traffic by this long. */
export const MIRROR_TTL_MS = 2 * 60 * 60 * 1000;
/**
 * A session no longer online is still mirrored this long: a student's page that moves to another
 * lesson closes its class channel and opens the next one, and a session followed again replays
 * its whole ring into the log.
 */
export const FOLLOW_GRACE_MS = 60_000;

/** One batch of a process's captures of a session, as the mirror keeps it. */
export interface MirroredBatch {
  /** the capture hub's instance: the process that recorded it */
  process: string;
  /** the batch's connections (new ones whole, closed ones `{id, closedAt}`) as JSON */
  connections: string;
  /** its chunks as one capture frame (contracts/capture-channel) */
  frame: Uint8Array;
  /** the session cleared its captures in this batch */
  cleared: boolean;
}

/**
 * Where the batches are kept: Redis scaled out (redis-capture-mirror-log.ts), the domain's SQLite
 * file in one process (sqlite-capture-mirror-log.ts), for the next process after a restart.
 * Each keeps at most MIRRORED_BATCHES per session and forgets a session MIRROR_TTL_MS after its last batch.
 */
export interface CaptureMirrorLog {
  /** Settles once kept; rejects when the store cannot be reached (the mirror logs it once). */
  append(sessionKey: string, batch: MirroredBatch): Promise<void>;
  /** Oldest first. */
  batches(sessionKey: string): Promise<MirroredBatch[]>;
}

/** Another process's captures of a session, with connection ids made unique (`<process>/<id>`). */
export interface CapturesElsewhere {
  connections: CapturedConnection[];
  chunks: CaptureChunk[];
}

/**
 * The captures of the class's students outlive the process that recorded them (README.md, "A
 * report in flight"): every batch this process's tap records for a student's session also goes
 * to the mirror's log (Redis scaled out, SQLite in one process), so a progress report that
 * lands on another instance, or on this one after it restarted, is judged from what the server
 * captured wherever that was: the verdict comes from the capture, not from where or when the
 * report arrives. Students only: the sessions of the class's students online on any instance.
 */
export class StudentCaptureMirror {
  /** session → unsubscribe from the hub, and when it was last among the sessions to follow */
  private readonly followed = new Map<string, { unsubscribe: () => void; wantedAt: number }>();
  private failing = false;

  constructor(
    private readonly hub: CaptureHub,
    private readonly store: CaptureMirrorLog,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Mirrors these sessions from now on (a new one's ring so far first), and those followed
   * before for FOLLOW_GRACE_MS after they were last among them.
   */
  follow(sessions: Iterable<string>): void {
    const now = this.now();
    for (const session of sessions) {
      const followed = this.followed.get(session);
      if (followed) {
        followed.wantedAt = now;
        continue;
      }
      const key = sessionKeyOf(session);
      this.followed.set(session, { unsubscribe: this.hub.subscribe(session, { deliver: (messages) => this.write(key, messages) }), wantedAt: now });
    }
    for (const [session, followed] of this.followed) {
      if (now - followed.wantedAt <= FOLLOW_GRACE_MS) continue;
      followed.unsubscribe();
      this.followed.delete(session);
    }
  }

  stop(): void {
    for (const { unsubscribe } of this.followed.values()) unsubscribe();
    this.followed.clear();
  }

  /** One batch of the hub's messages as one stream entry: the connections as JSON, the chunks as a capture frame. */
  private write(key: string, messages: readonly CaptureMessage[]): void {
    const connections: unknown[] = [];
    const chunks: CaptureChunk[] = [];
    let cleared = false;
    for (const message of messages) {
      if (message.type === 'chunk') chunks.push(message.chunk);
      else if (message.type === 'connection') connections.push(message.conn);
      else if (message.type === 'closed') connections.push({ id: message.conn, closedAt: message.t });
      else if (message.type === 'cleared') cleared = true;
    }
    if (connections.length === 0 && chunks.length === 0 && !cleared) return;
    const frame = encodeChunkFrame(chunks);
    if (frame.length > MIRRORED_BATCH_BYTES) return;
    const batch = { process: this.hub.instance, connections: JSON.stringify(connections), frame, cleared };
    let kept: Promise<void>;
    try {
      kept = this.store.append(key, batch);
    } catch (error) {
      kept = Promise.reject(error);
    }
    kept.then(
      () => {
        if (this.failing) this.log.info('classroom: students’ captures are kept again');
        this.failing = false;
      },
      (error: unknown) => {
        if (!this.failing) this.log.warn({ err: error }, 'classroom: students’ captures cannot be kept; reports landing elsewhere are judged on what is there');
        this.failing = true;
      },
    );
  }

  /** What the other processes (another instance, this one before it restarted) captured of the session. */
  async elsewhere(session: string): Promise<CapturesElsewhere> {
    const connections = new Map<string, CapturedConnection>();
    let chunks: CaptureChunk[] = [];
    // A session followed again replays its ring: chunks it mirrored before come twice, and a
    // connection's bytes twice over would not decode. Each process's chunk is kept once (its seq).
    const seen = new Set<string>();
    for (const batch of await this.store.batches(sessionKeyOf(session))) {
      const { process } = batch;
      if (!process || process === this.hub.instance) continue;
      if (batch.cleared) chunks = chunks.filter((chunk) => !chunk.conn.startsWith(`${process}/`));
      for (const conn of JSON.parse(batch.connections || '[]') as Array<Partial<CapturedConnection> & { id: string }>) {
        const id = `${process}/${conn.id}`;
        const known = connections.get(id);
        if (known) connections.set(id, { ...known, ...conn, id });
        else if (conn.transport) connections.set(id, { ...(conn as CapturedConnection), id });
      }
      if (batch.frame.length === 0) continue;
      for (const chunk of decodeChunkFrame(batch.frame)) {
        const unique = `${process}/${chunk.seq}`;
        if (seen.has(unique)) continue;
        seen.add(unique);
        chunks.push({ ...chunk, conn: `${process}/${chunk.conn}` });
      }
    }
    return { connections: [...connections.values()], chunks };
  }
}
