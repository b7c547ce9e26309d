// The figures lessons quote about the code, read from the code itself (node only: the build's
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

/** `checks.<protocol>`: how many checks that suite runs. */
export function codeFigures(): CodeFigures {
  return Object.fromEntries(CHECKED_PROTOCOLS.map((protocol) => [`checks.${protocol}`, SUITE_CHECK_IDS[protocol].length]));
}
