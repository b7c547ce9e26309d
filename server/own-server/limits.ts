// The outbound side's limits: what one student's "check my server" may cost this machine and
// the student's own. Documented in README.md (Limits); change both together.

export const OWN_SERVER_LIMITS = {
  /** Connections one student may hold open to their server at once (one suite runs at a time). */
  connectionsPerStudent: 4,
  /** Bytes one connection may receive before it is cut: a check reads answers, not downloads. */
  bytesReceivedPerConnection: 1024 * 1024,
  /** How long a TCP connect may take (loopback and a LAN answer in milliseconds). */
  connectTimeoutMs: 3_000,
  /**
   * How long one check may wait for its answer before it fails as "no answer". An event a check
   * expects its server to push (a WebSocket message, a GraphQL "next") gets this long too, from
   * the action that should make it: an honest server on a loaded laptop may be slow to act.
   */
  checkTimeoutMs: 5_000,
  /**
   * The short wait for an event (event-waits.ts), where waiting checkTimeoutMs would only cost:
   * the other clients, once one client of several has the event (their frames queue meanwhile);
   * every event wait of a suite run once one waited checkTimeoutMs and saw no event, until an
   * event arrives again (a server that sends none costs 5 s once, not in every check); and the
   * step between the users a GraphQL subscription check creates (a subscription may go live a
   * moment after its subscribe: a later user reaches it).
   */
  shortEventWaitMs: 1_500,
  /** How long a whole suite may run; past it the remaining checks fail as "no answer". */
  suiteTimeoutMs: 60_000,
  /** How much of what was sent and received a report keeps per check. */
  transcriptChars: 2_000,
} as const;

export type OwnServerLimits = typeof OWN_SERVER_LIMITS;
