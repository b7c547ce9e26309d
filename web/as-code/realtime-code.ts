import type { AsCodeResult } from './generated.ts';
import type { AsCodeLanguage } from './languages.ts';
import type { AsCodeSpec, AsCodeTarget } from './spec.ts';
import { webSocketAsCode } from './websocket-code.ts';

const NAMES: Record<string, string> = { websocket: 'WebSocket', sse: 'SSE', mqtt: 'MQTT', socketio: 'Socket.IO', 'graphql-ws': 'GraphQL subscription' };

/**
 * WebSocket: websocket-code.ts. The other consoles (SSE, MQTT, Socket.IO, GraphQL subscriptions) have no program yet: a
 * program here is offered only once a test has run it (README.md of this folder), so they say so
 * instead, and their consoles show no "As code" button.
 */
export function realtimeAsCode(spec: Exclude<AsCodeSpec, { kind: 'http' | 'grpc' }>, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  if (spec.kind === 'websocket') return webSocketAsCode(spec, language, target);
  const name = NAMES[spec.kind] ?? spec.kind;
  return {
    language,
    unsupported: {
      en: `“As code” does not write ${name} programs yet: only those a test has run are offered (web/as-code/README.md).`,
      ru: `Программы для ${name} «Как код» пока не пишет: предлагаются только те, что проверены запуском в тесте (web/as-code/README.md).`,
    },
  };
}
