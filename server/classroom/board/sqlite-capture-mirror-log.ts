import Database from 'better-sqlite3';
import { MIRROR_TTL_MS, MIRRORED_BATCHES, type CaptureMirrorLog, type MirroredBatch } from './student-capture-mirror.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS classroom_capture_mirror (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_key TEXT NOT NULL,
  process TEXT NOT NULL,
  connections TEXT NOT NULL,
  frame BLOB NOT NULL,
  cleared INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS classroom_capture_mirror_session ON classroom_capture_mirror (session_key, id);
`;

/**
 * Bytes of batches kept per session on disk: the newest batches up to this many (the tap's ring
 * holds 4 MiB of a session; this spans its processes), so a student streaming large messages
 * cannot fill the teacher's disk. The oldest go first.
 */
export const MIRRORED_SESSION_BYTES = 16 * 1024 * 1024;
/** A session is trimmed to MIRRORED_BATCHES and MIRRORED_SESSION_BYTES once every this many appends of it, or this many bytes. */
const TRIM_EVERY = 100;
const TRIM_EVERY_BYTES = 1024 * 1024;

/**
 * One process: a session's batches in the domain's SQLite file (its own connection, as the
 * classroom's store has), so the same instance's next process judges a report that was in
 * flight across a restart from what the last one captured. Per session at most MIRRORED_BATCHES
 * batches and MIRRORED_SESSION_BYTES bytes, the newest. Sessions silent for MIRROR_TTL_MS go
 * (`forgetSilent`, at start and from the plugin's timer).
 */
export class SqliteCaptureMirrorLog implements CaptureMirrorLog {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly trim: Database.Statement;
  private readonly trimBytes: Database.Statement;
  private readonly forget: Database.Statement;
  /** session key → appends and bytes since its last trim */
  private readonly sinceTrim = new Map<string, { appends: number; bytes: number }>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare('INSERT INTO classroom_capture_mirror (session_key, process, connections, frame, cleared, at) VALUES (?, ?, ?, ?, ?, ?)');
    this.select = this.db.prepare('SELECT process, connections, frame, cleared FROM classroom_capture_mirror WHERE session_key = ? ORDER BY id');
    this.trim = this.db.prepare(
      'DELETE FROM classroom_capture_mirror WHERE session_key = ? AND id <= (SELECT id FROM classroom_capture_mirror WHERE session_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
    );
    // the newest rows whose running total of bytes stays within the cap are kept
    this.trimBytes = this.db.prepare(
      `DELETE FROM classroom_capture_mirror WHERE session_key = ? AND id <= (
         SELECT id FROM (SELECT id, SUM(LENGTH(frame) + LENGTH(connections)) OVER (ORDER BY id DESC) AS newer FROM classroom_capture_mirror WHERE session_key = ?)
         WHERE newer > ? ORDER BY id DESC LIMIT 1)`,
    );
    this.forget = this.db.prepare(
      'DELETE FROM classroom_capture_mirror WHERE session_key IN (SELECT session_key FROM classroom_capture_mirror GROUP BY session_key HAVING MAX(at) < ?)',
    );
    this.forgetSilent();
  }

  async append(sessionKey: string, batch: MirroredBatch): Promise<void> {
    this.insert.run(sessionKey, batch.process, batch.connections, Buffer.from(batch.frame), batch.cleared ? 1 : 0, Date.now());
    const since = this.sinceTrim.get(sessionKey) ?? { appends: 0, bytes: 0 };
    since.appends += 1;
    since.bytes += batch.frame.length + batch.connections.length;
    if (since.appends < TRIM_EVERY && since.bytes < TRIM_EVERY_BYTES) {
      this.sinceTrim.set(sessionKey, since);
      return;
    }
    this.sinceTrim.delete(sessionKey);
    this.trim.run(sessionKey, sessionKey, MIRRORED_BATCHES);
    this.trimBytes.run(sessionKey, sessionKey, MIRRORED_SESSION_BYTES);
  }

  async batches(sessionKey: string): Promise<MirroredBatch[]> {
    const rows = this.select.all(sessionKey) as Array<{ process: string; connections: string; frame: Buffer; cleared: number }>;
    return rows.map((row) => ({ process: row.process, connections: row.connections, frame: new Uint8Array(row.frame), cleared: row.cleared === 1 }));
  }

  /** Drops the sessions with no batch for MIRROR_TTL_MS; returns how many batches went. */
  forgetSilent(now = Date.now()): number {
    return this.forget.run(now - MIRROR_TTL_MS).changes;
  }

  close(): void {
    this.db.close();
  }
}
