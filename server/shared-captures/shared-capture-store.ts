// The shared captures (contracts/shared-capture/PROTOCOL.md) in the domain's SQLite file, beside
// its sandboxes (own connection), so a link keeps working after a restart. Bounded per client
// address and in total, by count and by bytes; an expired capture is never handed out and is
// deleted by the next purge. Of the owner only the session's SHA-256 is kept.
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { SHARED_CAPTURE_ID } from '../../contracts/shared-capture/shared-capture.ts';

export interface SharedCaptureLimits {
  /** one capture's pcapng, as uploaded and as kept */
  captureBytes: number;
  /** captures one client address keeps at once, and their bytes together */
  perAddress: { count: number; bytes: number };
  /** captures the server keeps at once, and their bytes together */
  total: { count: number; bytes: number };
}

export const DEFAULT_SHARED_CAPTURE_LIMITS: SharedCaptureLimits = {
  captureBytes: 8 * 1024 * 1024,
  perAddress: { count: 20, bytes: 64 * 1024 * 1024 },
  total: { count: 2000, bytes: 512 * 1024 * 1024 },
};

/** Why a capture is not kept: too large for any capture (413), or no room now (429, until `retryAfterMs`). */
export type ShareRefusal =
  | { kind: 'too-large'; limit: number }
  | { kind: 'too-many'; scope: 'address' | 'total'; what: 'count' | 'bytes'; limit: number; retryAfterMs: number };

export interface SharedCapture {
  id: string;
  pcapng: Uint8Array;
  connections: number;
  createdAt: number;
  expiresAt: number;
  ownerHash: string;
  /** the app's own requests the sharer's view hid and the share left out */
  appRequestsLeftOut: number;
}

export interface NewCapture {
  pcapng: Uint8Array;
  connections: number;
  owner: string;
  address: string;
  expiresInMs: number;
  appRequestsLeftOut?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS shared_captures (
  id TEXT PRIMARY KEY,
  owner_hash TEXT NOT NULL,
  address TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  connections INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  pcapng BLOB NOT NULL,
  app_requests_left_out INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS shared_captures_address ON shared_captures (address, expires_ms);
CREATE INDEX IF NOT EXISTS shared_captures_expiry ON shared_captures (expires_ms);
`;

interface CaptureRow {
  id: string;
  owner_hash: string;
  created_ms: number;
  expires_ms: number;
  connections: number;
  app_requests_left_out: number;
  pcapng: Buffer;
}

interface Usage {
  count: number;
  bytes: number | null;
  soonest: number | null;
}

export const ownerHashOf = (session: string): string => createHash('sha256').update(session).digest('hex');

/** 128 random bits, base64url: nobody finds a capture by guessing. */
export const newCaptureId = (): string => randomBytes(16).toString('base64url');

export class SharedCaptureStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(
    file: string,
    readonly limits: SharedCaptureLimits = DEFAULT_SHARED_CAPTURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    // a file written before the count was kept: its captures left nothing out that they said
    const columns = this.db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('shared_captures')").all();
    if (!columns.some((column) => column.name === 'app_requests_left_out')) {
      this.db.exec('ALTER TABLE shared_captures ADD COLUMN app_requests_left_out INTEGER NOT NULL DEFAULT 0');
    }
    const usage = 'SELECT count(*) AS count, sum(bytes) AS bytes, min(expires_ms) AS soonest FROM shared_captures';
    this.statements = {
      usageOf: this.db.prepare<[string, number], Usage>(`${usage} WHERE address = ? AND expires_ms > ?`),
      usageAll: this.db.prepare<[number], Usage>(`${usage} WHERE expires_ms > ?`),
      insert: this.db.prepare(
        'INSERT INTO shared_captures (id, owner_hash, address, created_ms, expires_ms, connections, bytes, pcapng, app_requests_left_out) VALUES (@id, @owner, @address, @created, @expires, @connections, @bytes, @pcapng, @appRequestsLeftOut)',
      ),
      get: this.db.prepare<[string, number], CaptureRow>(
        'SELECT id, owner_hash, created_ms, expires_ms, connections, app_requests_left_out, pcapng FROM shared_captures WHERE id = ? AND expires_ms > ?',
      ),
      owner: this.db.prepare<[string, number], { owner_hash: string }>('SELECT owner_hash FROM shared_captures WHERE id = ? AND expires_ms > ?'),
      delete: this.db.prepare<[string]>('DELETE FROM shared_captures WHERE id = ?'),
      purge: this.db.prepare<[number]>('DELETE FROM shared_captures WHERE expires_ms <= ?'),
    };
  }

  /** Would a capture of `bytes` from `address` be kept now? null: yes. Asked before the file is read. */
  refusal(address: string, bytes: number): ShareRefusal | null {
    const { limits } = this;
    // a capture no budget could ever hold is too large, not "too many" (SHARED_CAPTURES_MB below 8)
    const largest = Math.min(limits.captureBytes, limits.perAddress.bytes, limits.total.bytes);
    if (bytes > largest) return { kind: 'too-large', limit: largest };
    const now = this.now();
    return (
      this.noRoom('address', this.statements.usageOf.get(address, now), limits.perAddress, bytes, now) ??
      this.noRoom('total', this.statements.usageAll.get(now), limits.total, bytes, now)
    );
  }

  /** Keeps the capture under a new id, or says why not (the limits are checked again: the same tick). */
  add(capture: NewCapture): { id: string; expiresAt: number } | ShareRefusal {
    const refused = this.refusal(capture.address, capture.pcapng.byteLength);
    if (refused) return refused;
    const created = this.now();
    const row = {
      id: newCaptureId(),
      owner: ownerHashOf(capture.owner),
      address: capture.address,
      created,
      expires: created + capture.expiresInMs,
      connections: capture.connections,
      bytes: capture.pcapng.byteLength,
      pcapng: Buffer.from(capture.pcapng.buffer, capture.pcapng.byteOffset, capture.pcapng.byteLength),
      appRequestsLeftOut: capture.appRequestsLeftOut ?? 0,
    };
    this.statements.insert.run(row);
    return { id: row.id, expiresAt: row.expires };
  }

  /** The capture, unless unknown or expired. */
  get(id: string): SharedCapture | null {
    if (!SHARED_CAPTURE_ID.test(id)) return null;
    const row = this.statements.get.get(id, this.now());
    if (!row) return null;
    return {
      id: row.id,
      pcapng: new Uint8Array(row.pcapng.buffer, row.pcapng.byteOffset, row.pcapng.byteLength),
      connections: row.connections,
      createdAt: row.created_ms,
      expiresAt: row.expires_ms,
      ownerHash: row.owner_hash,
      appRequestsLeftOut: row.app_requests_left_out,
    };
  }

  /** Kept and not expired (its bytes not read). */
  isLive(id: string): boolean {
    return SHARED_CAPTURE_ID.test(id) && this.statements.owner.get(id, this.now()) !== undefined;
  }

  isOwner(capture: Pick<SharedCapture, 'ownerHash'>, session: string | null): boolean {
    return session !== null && capture.ownerHash === ownerHashOf(session);
  }

  /** Only the session that shared it deletes a capture. */
  delete(id: string, session: string | null): 'deleted' | 'not-owner' | 'not-found' {
    if (!SHARED_CAPTURE_ID.test(id)) return 'not-found';
    const row = this.statements.owner.get(id, this.now());
    if (!row) return 'not-found';
    if (session === null || row.owner_hash !== ownerHashOf(session)) return 'not-owner';
    this.statements.delete.run(id);
    return 'deleted';
  }

  /** Deletes every expired capture; how many. */
  purgeExpired(): number {
    return this.statements.purge.run(this.now()).changes;
  }

  close(): void {
    this.db.close();
  }

  private noRoom(
    scope: 'address' | 'total',
    usage: Usage | undefined,
    limit: { count: number; bytes: number },
    bytes: number,
    now: number,
  ): ShareRefusal | null {
    const count = usage?.count ?? 0;
    const used = usage?.bytes ?? 0;
    // the soonest kept capture to expire makes room first
    const retryAfterMs = Math.max(1000, (usage?.soonest ?? now) - now);
    if (count + 1 > limit.count) return { kind: 'too-many', scope, what: 'count', limit: limit.count, retryAfterMs };
    if (used + bytes > limit.bytes) return { kind: 'too-many', scope, what: 'bytes', limit: limit.bytes, retryAfterMs };
    return null;
  }
}
