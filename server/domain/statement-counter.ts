import type { Db } from './database.ts';

/** How many SQL statements a database has executed: what "a storage query" means in Wirelab. */
export interface StatementCounter {
  /** statements executed (run, get, all, iterate) since the counter was attached */
  readonly count: number;
  /** Runs `work` without counting its statements: bookkeeping that no caller asked for. */
  uncounted<T>(work: () => T): T;
}

const EXECUTING_METHODS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Counts every execution of every statement prepared on `db` from now on. better-sqlite3 is
 * synchronous, so a caller that reads `count` before and after a synchronous call gets exactly
 * the statements that call executed, even with many requests in flight.
 */
export function countStatements(db: Db): StatementCounter {
  let count = 0;
  let pauses = 0;
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source) as unknown as Record<(typeof EXECUTING_METHODS)[number], (...args: unknown[]) => unknown>;
    for (const method of EXECUTING_METHODS) {
      const execute = statement[method];
      statement[method] = function (this: unknown, ...args: unknown[]) {
        if (pauses === 0) count += 1;
        return execute.apply(this, args);
      };
    }
    return statement;
  }) as Db['prepare'];
  return {
    get count() {
      return count;
    },
    uncounted(work) {
      pauses += 1;
      try {
        return work();
      } finally {
        pauses -= 1;
      }
    },
  };
}
