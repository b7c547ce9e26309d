import { BATCHING_HEADER, MAX_BATCH_OPERATIONS, STORAGE_QUERIES_HEADER } from '../../../contracts/graphql-extras/extras.ts';

/** Every limit of /graphql (README.md beside this file, "Limits"). */
export const GRAPHQL_LIMITS = {
  /** nesting of selections (mercurius' queryDepth); `{ users { nodes { posts { title } } } }` is 4. */
  maxDepth: 8,
  /** the cost of one operation (cost-rules.ts): every field 1, a field with `first: n` counts its selection n times. */
  maxCost: 5000,
  /** aliases in one document (`a: user(id: 1) b: user(id: 1)`…). */
  maxAliases: 30,
  /** lexical tokens in one document: parsing stops there, before any validation. */
  maxTokens: 4000,
  /** operations in one batched POST (a JSON array of requests). */
  maxBatchSize: MAX_BATCH_OPERATIONS,
  /** POST body bytes. */
  bodyBytes: 64 * 1024,
  /** live GraphQL WebSocket connections on the server; one more is closed with 1013 (try again later). */
  maxConnections: 256,
  /** a WebSocket must send connection_init within this; else closed with 4408 (graphql-ws' own server allows 3 s). */
  connectionInitTimeoutMs: 3000,
  /** live subscriptions on one WebSocket connection. */
  maxSubscriptionsPerConnection: 20,
  /** events waiting for a slow subscriber; past it that subscription ends with an error. */
  maxQueuedEventsPerSubscription: 100,
  /** `search:` and `filter.search:` (the REST API's `q` allows the same). */
  maxSearchLength: 100,
  /** `after:` cursors (the REST API's `cursor` allows the same). */
  maxCursorLength: 1024,
  /** parsed and validated documents kept in the LRU cache (valid and invalid ones each). */
  documentCacheSize: 1024,
} as const;

/** `first:` of every list field: the domain's own page limit. */
export const FIRST_MAX = 100;

// The request and response headers Wirelab adds to GraphQL are a contract with the web app.
export { BATCHING_HEADER, STORAGE_QUERIES_HEADER };
