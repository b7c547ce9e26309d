import { openDatabase } from './database.ts';
import { ChatBus } from './chat-bus.ts';
import { EventBus } from './event-bus.ts';
import { countStatements } from './statement-counter.ts';
import { createCommentService } from './comment-service.ts';
import { createPostService } from './post-service.ts';
import { createSandboxes, type SandboxRetention, type WriteGuard } from './sandboxes.ts';
import type { ServiceContext } from './service-context.ts';
import { prepareStatements } from './statements.ts';
import type { CommentService, PostService, UserService } from './services.ts';
import { publicSandboxName } from '../session/session-id.ts';
import { createUserService } from './user-service.ts';

// The demo domain: users, posts and comments in each sandbox, in one SQLite database. This file
// puts the domain together (the services' contracts are services.ts); the parts live beside it:
// statements.ts (the SQL), sandboxes.ts, rows.ts, user-service.ts, post-service.ts, comment-service.ts.

export { SANDBOX_ID, SHARED_SANDBOX } from './sandbox-ids.ts';
export type { SandboxRetention, WriteGuard } from './sandboxes.ts';
export type { CommentService, PostService, UserService } from './services.ts';

export interface DomainOptions {
  /** SQLite file; ':memory:' for a throwaway database */
  file: string;
  /** the clock (tests move it) */
  now?: () => Date;
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
  /**
   * Every create, replace, patch and delete asks `guard` first; a sandbox it names is refused
   * with WritesFrozenError (the classroom's freeze). One guard at a time; null removes it.
   */
  setWriteGuard(guard: WriteGuard | null): void;
  close(): void;
}

export function createDomain(options: DomainOptions): Domain {
  const db = openDatabase(options.file);
  const statementCounter = countStatements(db);
  const now = options.now ?? (() => new Date());
  const events = new EventBus();
  const statements = prepareStatements(db);
  const sandboxes = createSandboxes(db, statements, statementCounter, now, events);
  const context: ServiceContext = { db, statements, now, events, ensureSandbox: sandboxes.ensureSandbox, inSandbox: sandboxes.inSandbox };
  const users = createUserService(context);
  const posts = createPostService(context);
  const comments = createCommentService(context);

  return {
    users,
    posts,
    comments,
    events,
    chat: new ChatBus(),
    get statementsRun() {
      return statementCounter.count;
    },
    ensureSandbox: sandboxes.ensureSandbox,
    sandboxExists: sandboxes.sandboxExists,
    resetSandbox(sandboxId) {
      sandboxes.resetSandbox(sandboxId);
      // Every protocol's clients read this event: a session's sandbox by its public name, never its id (the session's credential).
      events.emit('sandbox.reset', sandboxId, { id: publicSandboxName(sandboxId) });
    },
    pruneSandboxes: sandboxes.pruneSandboxes,
    setWriteGuard: sandboxes.setWriteGuard,
    close() {
      db.close();
    },
  };
}
