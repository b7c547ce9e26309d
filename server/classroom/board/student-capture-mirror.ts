import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
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

/** Another process's captures of a session, with connection ids made unique (`<process>/<id>`). */
export interface CapturesElsewhere {
  connections: CapturedConnection[];
  chunks: CaptureChunk[];
}

/**
 * Scaled out, the captures of the class's students leave the process that recorded them
 * (README.md, "A report in flight"): every batch this instance's tap records for a student's
 * session also goes to the Redis stream `captures:<session key>`, so a progress report that
 * lands on another instance, or on this one after it restarted, is judged from what the server
 * captured wherever that was: the verdict comes from the capture, not from where or when the
 * report arrives. Students only: the sessions of the class's students online on any instance.
 */
export class StudentCaptureMirror {
  /** session → unsubscribe from the hub */
  private readonly followed = new Map<string, () => void>();
  private failing = false;

  constructor(
    private readonly hub: CaptureHub,
    private readonly redis: Redis,
    private readonly streamKey: (sessionKey: string) => string,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Mirrors exactly these sessions from now on (each one's ring so far first). */
  follow(sessions: Iterable<string>): void {
    const wanted = new Set(sessions);
    for (const [session, unsubscribe] of this.followed) {
      if (wanted.has(session)) continue;
      unsubscribe();
      this.followed.delete(session);
    }
    for (const session of wanted) {
      if (this.followed.has(session)) continue;
      const key = this.streamKey(sessionKeyOf(session));
      this.followed.set(session, this.hub.subscribe(session, { deliver: (messages) => this.write(key, messages) }));
    }
  }

  stop(): void {
    for (const unsubscribe of this.followed.values()) unsubscribe();
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
    const frame = Buffer.from(encodeChunkFrame(chunks));
    if (frame.length > MIRRORED_BATCH_BYTES) return;
    this.redis
      .multi()
      .xadd(key, 'MAXLEN', '~', String(MIRRORED_BATCHES), '*', 'p', this.hub.instance, 'c', JSON.stringify(connections), 'f', frame, 'x', cleared ? '1' : '0')
      .pexpire(key, MIRROR_TTL_MS)
      .exec()
      .then(
        () => {
          if (this.failing) this.log.info('classroom: students’ captures reach Redis again');
          this.failing = false;
        },
        (error: unknown) => {
          if (!this.failing)
            this.log.warn({ err: error }, 'classroom: students’ captures cannot reach Redis; reports landing elsewhere are judged on what is there');
          this.failing = true;
        },
      );
  }

  /** What the other processes (another instance, this one before it restarted) captured of the session. */
  async elsewhere(session: string): Promise<CapturesElsewhere> {
    const entries = (await this.redis.xrangeBuffer(this.streamKey(sessionKeyOf(session)), '-', '+')) as Array<[Buffer, Buffer[]]>;
    const connections = new Map<string, CapturedConnection>();
    let chunks: CaptureChunk[] = [];
    for (const [, fields] of entries) {
      const entry = fieldsOf(fields);
      const process = entry.get('p')?.toString();
      if (!process || process === this.hub.instance) continue;
      if (entry.get('x')?.toString() === '1') chunks = chunks.filter((chunk) => !chunk.conn.startsWith(`${process}/`));
      for (const conn of JSON.parse(entry.get('c')?.toString() ?? '[]') as Array<Partial<CapturedConnection> & { id: string }>) {
        const id = `${process}/${conn.id}`;
        const known = connections.get(id);
        if (known) connections.set(id, { ...known, ...conn, id });
        else if (conn.transport) connections.set(id, { ...(conn as CapturedConnection), id });
      }
      const frame = entry.get('f');
      if (frame && frame.length > 0) for (const chunk of decodeChunkFrame(new Uint8Array(frame))) chunks.push({ ...chunk, conn: `${process}/${chunk.conn}` });
    }
    return { connections: [...connections.values()], chunks };
  }
}

function fieldsOf(fields: Buffer[]): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!.toString(), fields[i + 1]!);
  return map;
}
