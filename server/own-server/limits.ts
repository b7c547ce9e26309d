// The outbound side's limits: what one student's "check my server" may cost this machine and
// the student's own. Documented in README.md (Limits); change both together.

export const OWN_SERVER_LIMITS = {
  /** Connections one student may hold open to their server at once (one suite runs at a time). */
  connectionsPerStudent: 4,
  /** Bytes one connection may receive before it is cut: a check reads answers, not downloads. */
  bytesReceivedPerConnection: 1024 * 1024,
  /** How long a TCP connect may take (loopback and a LAN answer in milliseconds). */
  connectTimeoutMs: 3_000,
  /** How long one check may wait for its answer before it fails as "no answer". */
  checkTimeoutMs: 5_000,
  /** How long a whole suite may run; past it the remaining checks fail as "no answer". */
  suiteTimeoutMs: 60_000,
  /** How much of what was sent and received a report keeps per check. */
  transcriptChars: 2_000,
} as const;

export type OwnServerLimits = typeof OWN_SERVER_LIMITS;
