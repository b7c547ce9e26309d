import type { AsCodeResult } from './generated.ts';
import { graphqlSubscriptionAsCode } from './graphql-subscription-code.ts';
import type { AsCodeLanguage } from './languages.ts';
import { mqttAsCode } from './mqtt-code.ts';
import { socketIoAsCode } from './socket-io-code.ts';
import type { AsCodeSpec, AsCodeTarget } from './spec.ts';
import { sseAsCode } from './sse-code.ts';
import { webSocketAsCode } from './websocket-code.ts';

/** The consoles: one generator file per protocol; each says itself which languages have none, and why. */
export function realtimeAsCode(spec: Exclude<AsCodeSpec, { kind: 'http' | 'grpc' }>, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  switch (spec.kind) {
    case 'websocket':
      return webSocketAsCode(spec, language, target);
    case 'sse':
      return sseAsCode(spec, language, target);
    case 'mqtt':
      return mqttAsCode(spec, language, target);
    case 'graphql-ws':
      return graphqlSubscriptionAsCode(spec, language, target);
    case 'socket-io':
      return socketIoAsCode(spec, language, target);
  }
}
