import type { Db } from './database.ts';
import { LAST_USE_RESOLUTION_MS, SHARED_SANDBOX } from './sandbox-ids.ts';

/**
 * SQL: a sandbox never used after its first minute (its last use is recorded at most once a
 * minute): what a script with a fresh cookie per request leaves behind, or a visitor who left.
 */
const ONE_SHOT = `(last_used_ms - (julianday(created_at) - 2440587.5) * 86400000 < ${LAST_USE_RESOLUTION_MS})`;

/** Every statement of the domain, prepared once per database. */
export function prepareStatements(db: Db) {
  return {
    sandboxExists: db.prepare('SELECT 1 FROM sandboxes WHERE id = ?').pluck(),
    touchSandbox: db.prepare('UPDATE sandboxes SET last_used_ms = ? WHERE id = ?'),
    insertSandbox: db.prepare('INSERT INTO sandboxes (id, created_at, last_used_ms, next_user_id, next_post_id, next_comment_id) VALUES (?, ?, ?, ?, ?, ?)'),
    deleteSandbox: db.prepare('DELETE FROM sandboxes WHERE id = ?'),
    nextId: {
      user: db.prepare('UPDATE sandboxes SET next_user_id = next_user_id + 1 WHERE id = ? RETURNING next_user_id - 1').pluck(),
      post: db.prepare('UPDATE sandboxes SET next_post_id = next_post_id + 1 WHERE id = ? RETURNING next_post_id - 1').pluck(),
      comment: db.prepare('UPDATE sandboxes SET next_comment_id = next_comment_id + 1 WHERE id = ? RETURNING next_comment_id - 1').pluck(),
    },
    getUser: db.prepare('SELECT * FROM users WHERE sandbox_id = ? AND id = ?'),
    userByEmail: db.prepare('SELECT id FROM users WHERE sandbox_id = ? AND email_key = ?').pluck(),
    insertUser: db.prepare(
      `INSERT INTO users (sandbox_id, id, name, email, email_key, status, roles, metadata, phone, created_at, updated_at, version)
       VALUES (@sandbox_id, @id, @name, @email, @email_key, @status, @roles, @metadata, @phone, @created_at, @updated_at, @version)`,
    ),
    updateUser: db.prepare(
      `UPDATE users SET name = @name, email = @email, email_key = @email_key, status = @status, roles = @roles,
       metadata = @metadata, phone = @phone, updated_at = @updated_at, version = version + 1
       WHERE sandbox_id = @sandbox_id AND id = @id`,
    ),
    deleteUser: db.prepare('DELETE FROM users WHERE sandbox_id = ? AND id = ?'),
    getPost: db.prepare('SELECT * FROM posts WHERE sandbox_id = ? AND id = ?'),
    insertPost: db.prepare(
      `INSERT INTO posts (sandbox_id, id, author_id, title, content, created_at, updated_at, version)
       VALUES (@sandbox_id, @id, @author_id, @title, @content, @created_at, @updated_at, @version)`,
    ),
    updatePost: db.prepare(
      `UPDATE posts SET author_id = @author_id, title = @title, content = @content, updated_at = @updated_at, version = version + 1
       WHERE sandbox_id = @sandbox_id AND id = @id`,
    ),
    deletePost: db.prepare('DELETE FROM posts WHERE sandbox_id = ? AND id = ?'),
    getComment: db.prepare('SELECT * FROM comments WHERE sandbox_id = ? AND id = ?'),
    commentsOfPost: db.prepare('SELECT * FROM comments WHERE sandbox_id = ? AND post_id = ? ORDER BY id'),
    // The id lists travel as one JSON array parameter, so any number of ids is one statement.
    postsByIds: db.prepare('SELECT * FROM posts WHERE sandbox_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id'),
    usersByIds: db.prepare('SELECT * FROM users WHERE sandbox_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id'),
    postsByAuthors: db.prepare(
      `SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY author_id ORDER BY id) AS wl_rank
       FROM posts WHERE sandbox_id = ? AND author_id IN (SELECT value FROM json_each(?)))
       WHERE wl_rank <= ? ORDER BY author_id, id`,
    ),
    commentsByPosts: db.prepare(
      `SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY post_id ORDER BY id) AS wl_rank
       FROM comments WHERE sandbox_id = ? AND post_id IN (SELECT value FROM json_each(?)))
       WHERE wl_rank <= ? ORDER BY post_id, id`,
    ),
    insertComment: db.prepare(
      `INSERT INTO comments (sandbox_id, id, post_id, author_id, content, created_at)
       VALUES (@sandbox_id, @id, @post_id, @author_id, @content, @created_at)`,
    ),
    idleSandboxes: db.prepare(`SELECT id FROM sandboxes WHERE id != '${SHARED_SANDBOX}' AND last_used_ms < ?`).pluck(),
    // Sandboxes kept first: those used again after their first minute (a student's), then the most recently used.
    sandboxesBeyond: db
      .prepare(`SELECT id FROM sandboxes WHERE id != '${SHARED_SANDBOX}' ORDER BY ${ONE_SHOT} ASC, last_used_ms DESC, id LIMIT -1 OFFSET ?`)
      .pluck(),
    idleOneShotSandboxes: db.prepare(`SELECT id FROM sandboxes WHERE id != '${SHARED_SANDBOX}' AND ${ONE_SHOT} AND last_used_ms < ?`).pluck(),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
