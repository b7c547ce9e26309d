import type { Redis } from 'ioredis';
import { MIRROR_TTL_MS, MIRRORED_BATCHES, type CaptureMirrorLog, type MirroredBatch } from './student-capture-mirror.ts';

/** Scaled out: a session's batches as the Redis stream `<prefix><session key>`, shared by every instance. */
export class RedisCaptureMirrorLog implements CaptureMirrorLog {
  constructor(
    private readonly redis: Redis,
    private readonly streamKey: (sessionKey: string) => string,
  ) {}

  async append(sessionKey: string, batch: MirroredBatch): Promise<void> {
    const key = this.streamKey(sessionKey);
    const fields = ['p', batch.process, 'c', batch.connections, 'f', Buffer.from(batch.frame), 'x', batch.cleared ? '1' : '0'];
    await this.redis
      .multi()
      .xadd(key, 'MAXLEN', '~', String(MIRRORED_BATCHES), '*', ...fields)
      .pexpire(key, MIRROR_TTL_MS)
      .exec();
  }

  async batches(sessionKey: string): Promise<MirroredBatch[]> {
    const entries = (await this.redis.xrangeBuffer(this.streamKey(sessionKey), '-', '+')) as Array<[Buffer, Buffer[]]>;
    return entries.map(([, fields]) => {
      const entry = fieldsOf(fields);
      return {
        process: entry.get('p')?.toString() ?? '',
        connections: entry.get('c')?.toString() ?? '[]',
        frame: new Uint8Array(entry.get('f') ?? Buffer.alloc(0)),
        cleared: entry.get('x')?.toString() === '1',
      };
    });
  }
}

function fieldsOf(fields: Buffer[]): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!.toString(), fields[i + 1]!);
  return map;
}
