// What Wirelab's /graphql adds to GraphQL over HTTP, for the lessons and the comparison lab: a
// request header that switches batched loading off, and the report of what a request cost the
// server (in `extensions.wirelab`, and for a batched POST in a response header). The server
// (server/protocols/graphql/) sets them; the GraphQL editor and the comparison lab read them.
// PROTOCOL.md beside this file. Pure TypeScript: no Node, no DOM.

/** `x-wirelab-batching: off` switches batched loading (DataLoader) off for one request: N+1 on purpose. */
export const BATCHING_HEADER = 'x-wirelab-batching';

/**
 * The SQL statements a whole batched POST ran (every operation's together), on its response:
 * the operations share one set of loaders, so their statements cannot be split among them.
 */
export const STORAGE_QUERIES_HEADER = 'x-wirelab-storage-queries';

/** Operations one batched POST (a JSON array of requests) may hold. */
export const MAX_BATCH_OPERATIONS = 10;

/** `extensions.wirelab` of every answer: what the request cost the server. */
export interface WirelabCostReport {
  /** false when the request sent `x-wirelab-batching: off` */
  batching: boolean;
  /** SQL statements its resolvers ran */
  storageQueries: number;
  /** resolver calls */
  resolverCalls: number;
}
