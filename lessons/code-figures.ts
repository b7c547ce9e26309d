// The figures lessons quote about the code (check counts, the server's limits), read from the code itself (node only: the build's
// lesson plugins and the tests call it). A lesson writes `{{checks.mqtt}}` where it means "how many
// checks the MQTT suite has"; web/lessons/lesson-figures.ts puts the number in. A check added to a
// suite changes what every lesson says at the next build, and nobody has to find the sentence.
import type { CheckedProtocol } from '../contracts/own-server/check-result.ts';
import { CHECKED_PROTOCOLS } from '../contracts/own-server/check-result.ts';
import type { CodeFigures } from '../web/lessons/lesson-figures.ts';
import { gatewaySuite } from '../server/own-server/checks/gateway.ts';
import { graphqlSuite } from '../server/own-server/checks/graphql.ts';
import { grpcSuite } from '../server/own-server/checks/grpc.ts';
import { grpcWebSocketSuite } from '../server/own-server/checks/grpc-websocket.ts';
import { longPollingSuite } from '../server/own-server/checks/long-polling.ts';
import { mqttSuite } from '../server/own-server/checks/mqtt.ts';
import { restSuite } from '../server/own-server/checks/rest.ts';
import { socketIoSuite } from '../server/own-server/checks/socket-io.ts';
import { sseSuite } from '../server/own-server/checks/sse.ts';
import { websocketSuite } from '../server/own-server/checks/websocket.ts';
import { RECENT_EVENTS_KEPT } from '../server/domain/event-bus.ts';
import { SEED_POSTS, SEED_USERS } from '../server/domain/seed.ts';
import { DEFAULT_SOCKET_IO_LIMITS, PING_INTERVAL_MS, PING_TIMEOUT_MS } from '../server/protocols/socket-io/limits.ts';
import { DEFAULT_HEARTBEAT_S, MAX_HEARTBEAT_S, MIN_HEARTBEAT_S, RETRY_MS, SHUTDOWN_RETRY_MS } from '../server/protocols/sse/limits.ts';
import { GRAPHQL_LIMITS } from '../server/protocols/graphql/limits.ts';
import { LIFECYCLE_LIMITS } from '../server/protocols/grpc/sandbox-lifecycle.ts';
import { DEFAULT_PIPELINE_LIMITS } from '../server/protocols/mqtt/pipeline/limits.ts';
import { DEFAULT_HOLD_S, MAX_EVENTS_PER_ANSWER, MAX_HOLD_S } from '../server/protocols/long-polling/limits.ts';
import { DEFAULT_MQTT_LIMITS } from '../server/protocols/mqtt/limits.ts';
import { DEFAULT_RATE_LIMIT } from '../server/protocols/rest/limits.ts';
import { DEFAULT_PING_INTERVAL_MS, DEFAULT_WEBSOCKET_LIMITS, MAX_PING_INTERVAL_MS, MIN_PING_INTERVAL_MS } from '../server/protocols/websocket/limits.ts';

/** Each "check my server" suite's check ids, in the order it runs them (server/own-server/checks/). */
export const SUITE_CHECK_IDS: { readonly [P in CheckedProtocol]: readonly string[] } = {
  rest: restSuite.checks.map((check) => check.id),
  websocket: websocketSuite.checks.map((check) => check.id),
  sse: sseSuite.checks.map((check) => check.id),
  grpc: grpcSuite.checks.map((check) => check.id),
  graphql: graphqlSuite.checks.map((check) => check.id),
  mqtt: mqttSuite.checks.map((check) => check.id),
  gateway: gatewaySuite.checks.map((check) => check.id),
  'long-polling': longPollingSuite.checks.map((check) => check.id),
  'socket-io': socketIoSuite.checks.map((check) => check.id),
  'grpc-websocket': grpcWebSocketSuite.checks.map((check) => check.id),
};

/** The seed data and limits of Wirelab's own server that lessons quote, each from what the server uses. */
const LIMITS: CodeFigures = {
  'seed.users': SEED_USERS.length,
  'seed.posts': SEED_POSTS.length,
  'rest.rate-limit': DEFAULT_RATE_LIMIT.max,
  'rest.rate-window-s': DEFAULT_RATE_LIMIT.timeWindowMs / 1000,
  'websocket.ping-interval-s': DEFAULT_PING_INTERVAL_MS / 1000,
  'websocket.min-ping-ms': MIN_PING_INTERVAL_MS,
  'websocket.max-ping-ms': MAX_PING_INTERVAL_MS,
  'websocket.max-message-bytes': DEFAULT_WEBSOCKET_LIMITS.maxMessageBytes,
  'websocket.max-message-kib': DEFAULT_WEBSOCKET_LIMITS.maxMessageBytes / 1024,
  'events.kept-per-sandbox': RECENT_EVENTS_KEPT,
  'sse.retry-ms': RETRY_MS,
  'sse.heartbeat-s': DEFAULT_HEARTBEAT_S,
  'sse.min-heartbeat-s': MIN_HEARTBEAT_S,
  'sse.max-heartbeat-s': MAX_HEARTBEAT_S,
  'sse.shutdown-retry-ms': SHUTDOWN_RETRY_MS,
  'socket-io.ping-interval-ms': PING_INTERVAL_MS,
  'socket-io.ping-timeout-ms': PING_TIMEOUT_MS,
  'socket-io.max-payload': DEFAULT_SOCKET_IO_LIMITS.maxHttpBufferSize,
  'long-polling.hold-s': DEFAULT_HOLD_S,
  'long-polling.max-hold-s': MAX_HOLD_S,
  'long-polling.max-events-per-answer': MAX_EVENTS_PER_ANSWER,
  'mqtt.max-queued-per-session': DEFAULT_MQTT_LIMITS.maxQueuedPerSession,
  'pipeline.max-backlog': DEFAULT_PIPELINE_LIMITS.maxBacklog,
  'grpc.max-grace-s': LIFECYCLE_LIMITS.maxGraceMs / 1000,
  'graphql.max-depth': GRAPHQL_LIMITS.maxDepth,
  'graphql.max-cost': GRAPHQL_LIMITS.maxCost,
  'graphql.max-aliases': GRAPHQL_LIMITS.maxAliases,
  'graphql.max-batch': GRAPHQL_LIMITS.maxBatchSize,
  'graphql.max-tokens': GRAPHQL_LIMITS.maxTokens,
};

/** `checks.<protocol>`: how many checks that suite runs; and the server's limits (`LIMITS`). */
export function codeFigures(): CodeFigures {
  return {
    ...Object.fromEntries(CHECKED_PROTOCOLS.map((protocol) => [`checks.${protocol}`, SUITE_CHECK_IDS[protocol].length])),
    ...LIMITS,
  };
}
