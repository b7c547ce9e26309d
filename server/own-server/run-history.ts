// Each browser session's runs of "check my server", per protocol (README.md, "Lesson 15's
// verdict"): what lesson 15's exercises are judged on. Only runs the route made for the page's own
// session cookie are kept, in the domain's SQLite file beside its sandboxes (own connection), so
// they survive a restart as the session's sandbox does. Only the session's SHA-256 is kept.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import type { OwnServerExerciseVerdict } from '../../contracts/exercise-checks/own-server-fixed.ts';
import { exerciseVerdict, type RunOutcomes } from './fixed-checks.ts';

export const RUN_HISTORY_LIMITS = {
  /** runs kept per session and protocol (and the newest run that fixed the server, however old) */
  runsPerProtocol: 20,
  /** runs kept in all: past it the oldest go first */
  runsTotal: 50_000,
  /** a run older than this goes (a session's sandbox goes after 7 idle days; a course lasts weeks) */
  keptMs: 30 * 24 * 3600_000,
  /** the age and total limits are applied at most this often, on a new run */
  pruneEveryMs: 10 * 60_000,
};

/** What is kept of one run: never the transcripts, only verdicts and where it went. */
export interface KeptRun extends RunOutcomes {
  protocol: string;
  atMs: number;
  /** `host:port` as the student gave it (cut at 255 characters) */
  target: string;
  notOffered: string[];
  /** the checks this run fixed (fixed-checks.ts), [] when none */
  fixed: string[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS own_server_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_hash TEXT NOT NULL,
  protocol TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  target TEXT NOT NULL,
  target_is_wirelab INTEGER NOT NULL,
  outcomes TEXT NOT NULL,
  fixed TEXT NOT NULL,
  fixes INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS own_server_runs_session ON own_server_runs (session_hash, protocol, id);
`;

interface RunRow {
  protocol: string;
  at_ms: number;
  target: string;
  target_is_wirelab: number;
  outcomes: string;
  fixed: string;
}

/** A check id as the suites name them; anything else is not kept. */
const CHECK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const hashOf = (session: string): string => createHash('sha256').update(session).digest('hex');

function runOf(row: RunRow): KeptRun {
  const outcomes = JSON.parse(row.outcomes) as { passed: string[]; failed: string[]; notOffered: string[] };
  return {
    protocol: row.protocol,
    atMs: row.at_ms,
    target: row.target,
    targetIsWirelab: row.target_is_wirelab === 1,
    ...outcomes,
    fixed: JSON.parse(row.fixed) as string[],
  };
}

function outcomesOf(report: CheckReport): { passed: string[]; failed: string[]; notOffered: string[] } {
  const ids = (outcome: string) => report.results.filter((result) => result.outcome === outcome && CHECK_ID.test(result.id)).map((result) => result.id);
  return { passed: ids('pass'), failed: ids('fail'), notOffered: ids('not-offered') };
}

export class OwnServerRunHistory {
  private readonly db: Database.Database;
  private readonly statements;
  private prunedMs = 0;

  constructor(
    file: string,
    private readonly limits = RUN_HISTORY_LIMITS,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const columns = 'protocol, at_ms, target, target_is_wirelab, outcomes, fixed';
    this.statements = {
      runs: this.db.prepare<[string, string], RunRow>(`SELECT ${columns} FROM own_server_runs WHERE session_hash = ? AND protocol = ? ORDER BY id`),
      fixedOnce: this.db.prepare<[string, string], { found: number }>(
        'SELECT 1 AS found FROM own_server_runs WHERE session_hash = ? AND protocol = ? AND fixes > 0 LIMIT 1',
      ),
      insert: this.db.prepare(
        `INSERT INTO own_server_runs (session_hash, ${columns}, fixes) VALUES (@session, @protocol, @atMs, @target, @wirelab, @outcomes, @fixed, @fixes)`,
      ),
      // the newest runs, and the newest that fixed the server however old: the exercise stays passed
      trim: this.db.prepare(`DELETE FROM own_server_runs WHERE session_hash = @session AND protocol = @protocol
        AND id NOT IN (SELECT id FROM own_server_runs WHERE session_hash = @session AND protocol = @protocol ORDER BY id DESC LIMIT @keep)
        AND id IS NOT (SELECT max(id) FROM own_server_runs WHERE session_hash = @session AND protocol = @protocol AND fixes > 0)`),
      expire: this.db.prepare<[number]>('DELETE FROM own_server_runs WHERE at_ms < ?'),
      overTotal: this.db.prepare<[number]>('DELETE FROM own_server_runs WHERE id <= (SELECT id FROM own_server_runs ORDER BY id DESC LIMIT 1 OFFSET ?)'),
    };
  }

  /**
   * Keeps a run the route made for `session` (the page's cookie) and says what it means for the
   * exercise of its protocol. null: no check ran (refused, nothing answered), nothing to keep.
   */
  record(session: string, report: CheckReport, atMs = Date.now()): OwnServerExerciseVerdict | null {
    if (!report.reachable || report.results.length === 0) return null;
    const key = { session: hashOf(session), protocol: report.protocol };
    const outcomes = outcomesOf(report);
    const now: RunOutcomes = { targetIsWirelab: report.targetIsWirelab === true, wirelabSeen: report.wirelabSeen, ...outcomes };
    const verdict = this.db.transaction(() => {
      const earlier = this.statements.runs.all(key.session, key.protocol).map(runOf);
      const judged = exerciseVerdict(earlier, now, this.statements.fixedOnce.get(key.session, key.protocol) !== undefined);
      this.statements.insert.run({
        ...key,
        atMs,
        target: report.target.slice(0, 255),
        wirelab: now.targetIsWirelab ? 1 : 0,
        outcomes: JSON.stringify(outcomes),
        fixed: JSON.stringify(judged.fixed),
        fixes: judged.fixed.length,
      });
      this.statements.trim.run({ ...key, keep: this.limits.runsPerProtocol });
      return judged;
    })();
    this.prune(atMs);
    return verdict;
  }

  /** The session's kept runs of `protocol`, oldest first. */
  runs(session: string, protocol: string): KeptRun[] {
    return this.statements.runs.all(hashOf(session), protocol).map(runOf);
  }

  /** Lesson 15's exercise of `protocol`: has a kept run of this session fixed the student's server? */
  exercisePassed(session: string, protocol: string): boolean {
    return this.statements.fixedOnce.get(hashOf(session), protocol) !== undefined;
  }

  close(): void {
    this.db.close();
  }

  private prune(nowMs: number): void {
    if (nowMs - this.prunedMs < this.limits.pruneEveryMs) return;
    this.prunedMs = nowMs;
    this.statements.expire.run(nowMs - this.limits.keptMs);
    this.statements.overTotal.run(this.limits.runsTotal);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Each session's runs of "check my server" (run-history.ts): what lesson 15's exercises are judged on. */
    ownServerRuns: OwnServerRunHistory;
  }
}

/** Decorates the app with the run history in `file` (the domain's SQLite file; ':memory:' in tests), closed with the app. */
export const ownServerRunsPlugin = fp(
  async (app: FastifyInstance, options: { file: string }) => {
    const history = new OwnServerRunHistory(options.file);
    app.decorate('ownServerRuns', history);
    app.addHook('onClose', async () => history.close());
  },
  { name: 'own-server-runs' },
);
