import Database from 'better-sqlite3';

export type Db = Database.Database;

// Every table is keyed by sandbox: a sandbox is deleted (or reset) by deleting its row, and the
// foreign keys cascade. Ids come from per-sandbox counters, never reused after a deletion.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sandboxes (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  last_used_ms INTEGER NOT NULL,
  next_user_id INTEGER NOT NULL,
  next_post_id INTEGER NOT NULL,
  next_comment_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  sandbox_id TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  status TEXT NOT NULL,
  roles TEXT NOT NULL,
  metadata TEXT NOT NULL,
  phone TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, email_key)
);
CREATE TABLE IF NOT EXISTS posts (
  sandbox_id TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (sandbox_id, id),
  FOREIGN KEY (sandbox_id, author_id) REFERENCES users(sandbox_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS posts_by_author ON posts(sandbox_id, author_id);
CREATE TABLE IF NOT EXISTS comments (
  sandbox_id TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  post_id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (sandbox_id, id),
  FOREIGN KEY (sandbox_id, post_id) REFERENCES posts(sandbox_id, id) ON DELETE CASCADE,
  FOREIGN KEY (sandbox_id, author_id) REFERENCES users(sandbox_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS comments_by_post ON comments(sandbox_id, post_id);
CREATE INDEX IF NOT EXISTS comments_by_author ON comments(sandbox_id, author_id);
`;

export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // SQLite's LIKE and lower() fold ASCII only; JavaScript folds Cyrillic too ("Ершов" ~ "ершов").
  db.function('wl_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text));
  db.exec(SCHEMA);
  return db;
}
