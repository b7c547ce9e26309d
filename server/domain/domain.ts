import { openDatabase, type Db } from './database.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { ChatBus } from './chat-bus.ts';
import { EventBus } from './event-bus.ts';
import { countStatements } from './statement-counter.ts';
import { checkLimit, listAfterCursor, listPage, type ListQuery } from './listing.ts';
import { SEED_COMMENTS, SEED_POSTS, SEED_USERS } from './seed.ts';
import {
  POST_SORT_FIELDS,
  USER_SORT_FIELDS,
  type Comment,
  type CursorPage,
  type CursorRequest,
  type Page,
  type PageRequest,
  type Post,
  type PostFilter,
  type PostSortField,
  type User,
  type UserFilter,
  type UserSortField,
} from './types.ts';
import {
  validateCommentCreation,
  validatePostPatch,
  validatePostReplacement,
  validateUserCreation,
  validateUserPatch,
  validateUserReplacement,
  USER_RULES,
} from './validation.ts';

export const SHARED_SANDBOX = 'shared';
export const SANDBOX_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** How stale a sandbox's recorded last use may get: recording every request would be a write per read. */
const LAST_USE_RESOLUTION_MS = 60_000;
/**
 * SQL: a sandbox never used after its first minute (its last use is recorded at most once a
 * minute): what a script with a fresh cookie per request leaves behind, or a visitor who left.
 */
const ONE_SHOT = `(last_used_ms - (julianday(created_at) - 2440587.5) * 86400000 < ${LAST_USE_RESOLUTION_MS})`;

export interface SandboxRetention {
  idleMs: number;
  /** a sandbox never used after its first minute goes after this much idleness @default idleMs */
  oneShotIdleMs?: number;
  max: number;
}

export interface DomainOptions {
  /** SQLite file; ':memory:' for a throwaway database */
  file: string;
  /** the clock (tests move it) */
  now?: () => Date;
}

export interface UserService {
  list(sandboxId: string, request?: PageRequest<UserSortField, UserFilter>): Page<User>;
  listByCursor(sandboxId: string, request?: CursorRequest<UserSortField, UserFilter>): CursorPage<User>;
  get(sandboxId: string, id: number): User;
  /** Batch read: the users with these ids (missing ids are left out), in id order; one SQL statement. */
  getMany(sandboxId: string, ids: readonly number[]): User[];
  /** input: see UserCreation; anything else is a ValidationError */
  create(sandboxId: string, input: unknown): User;
  /** input: see UserReplacement (every writable field) */
  replace(sandboxId: string, id: number, input: unknown): User;
  /** input: see UserPatch (a JSON merge patch) */
  patch(sandboxId: string, id: number, input: unknown): User;
  /** also deletes the user's posts and comments */
  delete(sandboxId: string, id: number): void;
}

export interface PostService {
  list(sandboxId: string, request?: PageRequest<PostSortField, PostFilter>): Page<Post>;
  listByCursor(sandboxId: string, request?: CursorRequest<PostSortField, PostFilter>): CursorPage<Post>;
  get(sandboxId: string, id: number): Post;
  /** Batch read: the posts with these ids (missing ids are left out), in id order; one SQL statement. */
  getMany(sandboxId: string, ids: readonly number[]): Post[];
  /** Batch read: the first `limitPerAuthor` posts (oldest first) of each author; one SQL statement. */
  listByAuthors(sandboxId: string, authorIds: readonly number[], limitPerAuthor: number): Post[];
  create(sandboxId: string, input: unknown): Post;
  replace(sandboxId: string, id: number, input: unknown): Post;
  patch(sandboxId: string, id: number, input: unknown): Post;
  /** also deletes the post's comments */
  delete(sandboxId: string, id: number): void;
}

export interface CommentService {
  /** every comment of the post, oldest first; NotFoundError when the post does not exist */
  listByPost(sandboxId: string, postId: number): Comment[];
  get(sandboxId: string, id: number): Comment;
  /** Batch read: the first `limitPerPost` comments (oldest first) of each post; one SQL statement. */
  listByPosts(sandboxId: string, postIds: readonly number[], limitPerPost: number): Comment[];
  create(sandboxId: string, postId: number, input: unknown): Comment;
}

export interface Domain {
  users: UserService;
  posts: PostService;
  comments: CommentService;
  events: EventBus;
  /** The chats' messages (WebSocket and Socket.IO), for mirrors such as the MQTT broker. */
  chat: ChatBus;
  /**
   * SQL statements executed on users, posts and comments since the domain opened (sandbox
   * bookkeeping is not counted). Synchronous: the difference around one call is that call's cost.
   */
  readonly statementsRun: number;
  /** Creates and seeds the sandbox on first use, records its use; cheap after the first call. */
  ensureSandbox(sandboxId: string): void;
  /** Deletes everything in the sandbox and seeds it again (emits `sandbox.reset`). */
  resetSandbox(sandboxId: string): void;
  /** Would `ensureSandbox` find it (true), or create it (false)? Cheap for known ids. */
  sandboxExists(sandboxId: string): boolean;
  /**
   * Deletes sandboxes idle for longer than idleMs, those never used after their first minute and
   * idle for oneShotIdleMs, then beyond max those least worth keeping (never used again first,
   * then the least recently used); never `shared`. Returns the deleted ids.
   */
  pruneSandboxes(limits: SandboxRetention): string[];
  close(): void;
}

interface UserRow {
  id: number;
  name: string;
  email: string;
  status: User['status'];
  roles: string;
  metadata: string;
  phone: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

type PostRow = Post;
type CommentRow = Comment;

function userOf(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    status: row.status,
    roles: JSON.parse(row.roles) as User['roles'],
    metadata: JSON.parse(row.metadata) as User['metadata'],
    phone: row.phone,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: row.version,
  };
}

function postOf(row: PostRow): Post {
  const { id, author_id, title, content, created_at, updated_at, version } = row;
  return { id, author_id, title, content, created_at, updated_at, version };
}

function commentOf(row: CommentRow): Comment {
  const { id, post_id, author_id, content, created_at } = row;
  return { id, post_id, author_id, content, created_at };
}

function checkSandboxId(sandboxId: string): void {
  if (typeof sandboxId !== 'string' || !SANDBOX_ID.test(sandboxId)) {
    throw new ValidationError([{ field: 'sandbox', message: 'must be 1..64 letters, digits, "_" or "-"' }]);
  }
}

function userQuery(db: Db, sandboxId: string, request: PageRequest<UserSortField, UserFilter> | CursorRequest<UserSortField, UserFilter>): ListQuery {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const filter = request.filter ?? {};
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.role) {
    where.push('EXISTS (SELECT 1 FROM json_each(users.roles) WHERE value = ?)');
    params.push(filter.role);
  }
  if (filter.q) {
    const folded = filter.q.toLowerCase();
    where.push('(instr(wl_fold(name), ?) > 0 OR instr(wl_fold(email), ?) > 0)');
    params.push(folded, folded);
  }
  return { db, table: 'users', sandboxId, where, params, sortable: USER_SORT_FIELDS, sort: request.sort, limit: request.limit };
}

function postQuery(db: Db, sandboxId: string, request: PageRequest<PostSortField, PostFilter> | CursorRequest<PostSortField, PostFilter>): ListQuery {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const filter = request.filter ?? {};
  if (filter.author_id !== undefined) {
    where.push('author_id = ?');
    params.push(filter.author_id);
  }
  if (filter.q) {
    const folded = filter.q.toLowerCase();
    where.push('(instr(wl_fold(title), ?) > 0 OR instr(wl_fold(content), ?) > 0)');
    params.push(folded, folded);
  }
  return { db, table: 'posts', sandboxId, where, params, sortable: POST_SORT_FIELDS, sort: request.sort, limit: request.limit };
}

export function createDomain(options: DomainOptions): Domain {
  const db = openDatabase(options.file);
  const statementCounter = countStatements(db);
  const now = options.now ?? (() => new Date());
  const events = new EventBus();
  /** sandbox id → when its last use was last written to the database */
  const knownSandboxes = new Map<string, number>();

  const statements = {
    sandboxExists: db.prepare('SELECT 1 FROM sandboxes WHERE id = ?').pluck(),
    touchSandbox: db.prepare('UPDATE sandboxes SET last_used_ms = ? WHERE id = ?'),
    insertSandbox: db.prepare(
      'INSERT INTO sandboxes (id, created_at, last_used_ms, next_user_id, next_post_id, next_comment_id) VALUES (?, ?, ?, ?, ?, ?)',
    ),
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

  const seed = db.transaction((sandboxId: string) => {
    const at = now();
    statements.insertSandbox.run(sandboxId, at.toISOString(), at.getTime(), SEED_USERS.length + 1, SEED_POSTS.length + 1, SEED_COMMENTS.length + 1);
    for (const user of SEED_USERS) {
      statements.insertUser.run({
        ...user,
        sandbox_id: sandboxId,
        email_key: user.email.toLowerCase(),
        roles: JSON.stringify(user.roles),
        metadata: JSON.stringify(user.metadata),
        updated_at: user.created_at,
        version: 1,
      });
    }
    for (const post of SEED_POSTS) statements.insertPost.run({ ...post, sandbox_id: sandboxId, updated_at: post.created_at, version: 1 });
    for (const comment of SEED_COMMENTS) statements.insertComment.run({ ...comment, sandbox_id: sandboxId });
  });

  function ensureSandbox(sandboxId: string): void {
    const time = now().getTime();
    const written = knownSandboxes.get(sandboxId);
    if (written !== undefined && time - written < LAST_USE_RESOLUTION_MS) return;
    checkSandboxId(sandboxId);
    statementCounter.uncounted(() => {
      if (statements.sandboxExists.get(sandboxId)) statements.touchSandbox.run(time, sandboxId);
      else seed(sandboxId);
    });
    knownSandboxes.set(sandboxId, time);
  }

  const reseed = db.transaction((sandboxId: string) => {
    statements.deleteSandbox.run(sandboxId);
    seed(sandboxId);
  });

  function resetSandbox(sandboxId: string): void {
    checkSandboxId(sandboxId);
    reseed(sandboxId);
    knownSandboxes.set(sandboxId, now().getTime());
  }

  function sandboxExists(sandboxId: string): boolean {
    if (knownSandboxes.has(sandboxId)) return true;
    // An invalid id is refused by ensureSandbox itself; it creates nothing.
    if (!SANDBOX_ID.test(sandboxId)) return true;
    return statementCounter.uncounted(() => Boolean(statements.sandboxExists.get(sandboxId)));
  }

  function pruneSandboxes(limits: SandboxRetention): string[] {
    const doomed = db.transaction(() => {
      const time = now().getTime();
      const ids = new Set<string>(statements.idleSandboxes.all(time - limits.idleMs) as string[]);
      for (const id of statements.idleOneShotSandboxes.all(time - (limits.oneShotIdleMs ?? limits.idleMs)) as string[]) ids.add(id);
      for (const id of statements.sandboxesBeyond.all(Math.max(0, limits.max)) as string[]) ids.add(id);
      for (const id of ids) statements.deleteSandbox.run(id);
      return [...ids];
    })();
    for (const id of doomed) {
      knownSandboxes.delete(id);
      events.forget(id);
    }
    return doomed;
  }

  function findUser(sandboxId: string, id: number): User {
    const row = statements.getUser.get(sandboxId, id) as UserRow | undefined;
    if (!row) throw new NotFoundError('user', id);
    return userOf(row);
  }

  function findPost(sandboxId: string, id: number): Post {
    const row = statements.getPost.get(sandboxId, id) as PostRow | undefined;
    if (!row) throw new NotFoundError('post', id);
    return postOf(row);
  }

  function checkEmailFree(sandboxId: string, email: string, ownId: number | null): void {
    const holder = statements.userByEmail.get(sandboxId, email.toLowerCase()) as number | undefined;
    if (holder !== undefined && holder !== ownId) {
      throw new ConflictError('email', `${email} already belongs to user ${holder}`);
    }
  }

  function checkAuthorExists(sandboxId: string, authorId: number): void {
    if (!statements.getUser.get(sandboxId, authorId)) {
      throw new ValidationError([{ field: 'author_id', message: `there is no user ${authorId}` }]);
    }
  }

  /**
   * A write in one transaction, in a sandbox that exists before the transaction starts: seeding
   * inside it would be undone by a failed write while the sandbox stays remembered as seeded.
   */
  function inSandbox<Args extends unknown[], Result>(write: (sandboxId: string, ...args: Args) => Result) {
    const transaction = db.transaction(write);
    return (sandboxId: string, ...args: Args): Result => {
      ensureSandbox(sandboxId);
      return transaction(sandboxId, ...args);
    };
  }

  function writeUser(sandboxId: string, id: number, fields: Omit<User, 'id' | 'created_at' | 'updated_at' | 'version'>): void {
    statements.updateUser.run({
      sandbox_id: sandboxId,
      id,
      name: fields.name.trim(),
      email: fields.email,
      email_key: fields.email.toLowerCase(),
      status: fields.status,
      roles: JSON.stringify(fields.roles),
      metadata: JSON.stringify(fields.metadata),
      phone: fields.phone,
      updated_at: now().toISOString(),
    });
  }

  const users: UserService = {
    list(sandboxId, request = {}) {
      ensureSandbox(sandboxId);
      const page = listPage<UserRow>(userQuery(db, sandboxId, request), request.page);
      return { ...page, items: page.items.map(userOf) };
    },
    listByCursor(sandboxId, request = {}) {
      ensureSandbox(sandboxId);
      const page = listAfterCursor<UserRow & Record<string, unknown>>(userQuery(db, sandboxId, request), request.cursor);
      return { ...page, items: page.items.map(userOf) };
    },
    get(sandboxId, id) {
      ensureSandbox(sandboxId);
      return findUser(sandboxId, id);
    },
    getMany(sandboxId, ids) {
      ensureSandbox(sandboxId);
      return (statements.usersByIds.all(sandboxId, JSON.stringify(ids)) as UserRow[]).map(userOf);
    },
    create: inSandbox((sandboxId: string, input: unknown) => {
      validateUserCreation(input);
      checkEmailFree(sandboxId, input.email, null);
      const at = now().toISOString();
      const id = statements.nextId.user.get(sandboxId) as number;
      statements.insertUser.run({
        sandbox_id: sandboxId,
        id,
        name: input.name.trim(),
        email: input.email,
        email_key: input.email.toLowerCase(),
        status: input.status ?? 'active',
        roles: JSON.stringify(input.roles ?? ['reader']),
        metadata: JSON.stringify(input.metadata ?? {}),
        phone: input.phone ?? null,
        created_at: at,
        updated_at: at,
        version: 1,
      });
      const user = findUser(sandboxId, id);
      events.emit('user.created', sandboxId, user);
      return user;
    }),
    replace: inSandbox((sandboxId: string, id: number, input: unknown) => {
      findUser(sandboxId, id);
      validateUserReplacement(input);
      checkEmailFree(sandboxId, input.email, id);
      writeUser(sandboxId, id, input);
      const user = findUser(sandboxId, id);
      events.emit('user.updated', sandboxId, user);
      return user;
    }),
    patch: inSandbox((sandboxId: string, id: number, input: unknown) => {
      const current = findUser(sandboxId, id);
      validateUserPatch(input);
      const metadata = { ...current.metadata };
      for (const [key, value] of Object.entries(input.metadata ?? {})) {
        if (value === null) delete metadata[key];
        else metadata[key] = value;
      }
      if (Object.keys(metadata).length > USER_RULES.metadataMaxEntries) {
        throw new ValidationError([{ field: 'metadata', message: `must have at most ${USER_RULES.metadataMaxEntries} entries` }]);
      }
      const next = {
        name: input.name ?? current.name,
        email: input.email ?? current.email,
        status: input.status ?? current.status,
        roles: input.roles ?? current.roles,
        metadata,
        phone: input.phone === undefined ? current.phone : input.phone,
      };
      if (input.email !== undefined) checkEmailFree(sandboxId, next.email, id);
      writeUser(sandboxId, id, next);
      const user = findUser(sandboxId, id);
      events.emit('user.updated', sandboxId, user);
      return user;
    }),
    delete: inSandbox((sandboxId: string, id: number) => {
      findUser(sandboxId, id);
      statements.deleteUser.run(sandboxId, id);
      events.emit('user.deleted', sandboxId, { id });
    }),
  };

  function writePost(sandboxId: string, id: number, fields: Pick<Post, 'author_id' | 'title' | 'content'>): Post {
    checkAuthorExists(sandboxId, fields.author_id);
    statements.updatePost.run({ sandbox_id: sandboxId, id, author_id: fields.author_id, title: fields.title.trim(), content: fields.content, updated_at: now().toISOString() });
    const post = findPost(sandboxId, id);
    events.emit('post.updated', sandboxId, post);
    return post;
  }

  const posts: PostService = {
    list(sandboxId, request = {}) {
      ensureSandbox(sandboxId);
      const page = listPage<PostRow>(postQuery(db, sandboxId, request), request.page);
      return { ...page, items: page.items.map(postOf) };
    },
    listByCursor(sandboxId, request = {}) {
      ensureSandbox(sandboxId);
      const page = listAfterCursor<PostRow & Record<string, unknown>>(postQuery(db, sandboxId, request), request.cursor);
      return { ...page, items: page.items.map(postOf) };
    },
    get(sandboxId, id) {
      ensureSandbox(sandboxId);
      return findPost(sandboxId, id);
    },
    getMany(sandboxId, ids) {
      ensureSandbox(sandboxId);
      return (statements.postsByIds.all(sandboxId, JSON.stringify(ids)) as PostRow[]).map(postOf);
    },
    listByAuthors(sandboxId, authorIds, limitPerAuthor) {
      ensureSandbox(sandboxId);
      const limit = checkLimit(limitPerAuthor);
      return (statements.postsByAuthors.all(sandboxId, JSON.stringify(authorIds), limit) as PostRow[]).map(postOf);
    },
    create: inSandbox((sandboxId: string, input: unknown) => {
      validatePostReplacement(input);
      checkAuthorExists(sandboxId, input.author_id);
      const at = now().toISOString();
      const id = statements.nextId.post.get(sandboxId) as number;
      statements.insertPost.run({ sandbox_id: sandboxId, id, author_id: input.author_id, title: input.title.trim(), content: input.content, created_at: at, updated_at: at, version: 1 });
      const post = findPost(sandboxId, id);
      events.emit('post.created', sandboxId, post);
      return post;
    }),
    replace: inSandbox((sandboxId: string, id: number, input: unknown) => {
      findPost(sandboxId, id);
      validatePostReplacement(input);
      return writePost(sandboxId, id, input);
    }),
    patch: inSandbox((sandboxId: string, id: number, input: unknown) => {
      const current = findPost(sandboxId, id);
      validatePostPatch(input);
      return writePost(sandboxId, id, { author_id: input.author_id ?? current.author_id, title: input.title ?? current.title, content: input.content ?? current.content });
    }),
    delete: inSandbox((sandboxId: string, id: number) => {
      findPost(sandboxId, id);
      statements.deletePost.run(sandboxId, id);
      events.emit('post.deleted', sandboxId, { id });
    }),
  };

  const comments: CommentService = {
    listByPost(sandboxId, postId) {
      ensureSandbox(sandboxId);
      findPost(sandboxId, postId);
      return (statements.commentsOfPost.all(sandboxId, postId) as CommentRow[]).map(commentOf);
    },
    get(sandboxId, id) {
      ensureSandbox(sandboxId);
      const row = statements.getComment.get(sandboxId, id) as CommentRow | undefined;
      if (!row) throw new NotFoundError('comment', id);
      return commentOf(row);
    },
    listByPosts(sandboxId, postIds, limitPerPost) {
      ensureSandbox(sandboxId);
      const limit = checkLimit(limitPerPost);
      return (statements.commentsByPosts.all(sandboxId, JSON.stringify(postIds), limit) as CommentRow[]).map(commentOf);
    },
    create: inSandbox((sandboxId: string, postId: number, input: unknown) => {
      findPost(sandboxId, postId);
      validateCommentCreation(input);
      checkAuthorExists(sandboxId, input.author_id);
      const id = statements.nextId.comment.get(sandboxId) as number;
      statements.insertComment.run({ sandbox_id: sandboxId, id, post_id: postId, author_id: input.author_id, content: input.content, created_at: now().toISOString() });
      const comment = commentOf(statements.getComment.get(sandboxId, id) as CommentRow);
      events.emit('comment.created', sandboxId, comment);
      return comment;
    }),
  };

  return {
    users,
    posts,
    comments,
    events,
    chat: new ChatBus(),
    get statementsRun() {
      return statementCounter.count;
    },
    ensureSandbox,
    sandboxExists,
    resetSandbox(sandboxId) {
      resetSandbox(sandboxId);
      events.emit('sandbox.reset', sandboxId, { id: sandboxId });
    },
    pruneSandboxes,
    close() {
      db.close();
    },
  };
}
