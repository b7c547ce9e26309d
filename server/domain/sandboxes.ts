// The sandboxes: each student's own copy of the demo data, seeded on first use, its last use
// recorded at most once a minute, pruned when idle; and the transaction every write runs in.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { Db } from './database.ts';
import type { EventBus } from './event-bus.ts';
import { SEED_COMMENTS, SEED_POSTS, SEED_USERS } from './seed.ts';
import { checkSandboxId, LAST_USE_RESOLUTION_MS, SANDBOX_ID } from './sandbox-ids.ts';
import type { Statements } from './statements.ts';
import type { countStatements } from './statement-counter.ts';
import { WritesFrozenError } from './errors.ts';

/** Says, for a sandbox, whether its writes are frozen now and why; null: they are not. */
export type WriteGuard = (sandboxId: string) => Bilingual | null;

export interface SandboxRetention {
  idleMs: number;
  /** a sandbox never used after its first minute goes after this much idleness @default idleMs */
  oneShotIdleMs?: number;
  max: number;
}

/** A write in one transaction, in a sandbox that exists: see `inSandbox`. */
export type InSandbox = <Args extends unknown[], Result>(write: (sandboxId: string, ...args: Args) => Result) => (sandboxId: string, ...args: Args) => Result;

export interface Sandboxes {
  ensureSandbox(sandboxId: string): void;
  sandboxExists(sandboxId: string): boolean;
  resetSandbox(sandboxId: string): void;
  pruneSandboxes(limits: SandboxRetention): string[];
  inSandbox: InSandbox;
  /** Every write asks it first (null: no guard); a reset is no write of the student's and is never refused. */
  setWriteGuard(guard: WriteGuard | null): void;
}

export function createSandboxes(
  db: Db,
  statements: Statements,
  statementCounter: ReturnType<typeof countStatements>,
  now: () => Date,
  events: EventBus,
): Sandboxes {
  /** sandbox id → when its last use was last written to the database */
  const knownSandboxes = new Map<string, number>();

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

  /**
   * A write in one transaction, in a sandbox that exists before the transaction starts: seeding
   * inside it would be undone by a failed write while the sandbox stays remembered as seeded.
   */
  let writeGuard: WriteGuard | null = null;
  function inSandbox<Args extends unknown[], Result>(write: (sandboxId: string, ...args: Args) => Result) {
    const transaction = db.transaction(write);
    return (sandboxId: string, ...args: Args): Result => {
      // every write of every protocol passes here: the one place a freeze is checked
      const frozen = writeGuard?.(sandboxId);
      if (frozen) throw new WritesFrozenError(frozen);
      ensureSandbox(sandboxId);
      return transaction(sandboxId, ...args);
    };
  }

  const setWriteGuard = (guard: WriteGuard | null): void => {
    writeGuard = guard;
  };

  return { ensureSandbox, sandboxExists, resetSandbox, pruneSandboxes, inSandbox, setWriteGuard };
}
