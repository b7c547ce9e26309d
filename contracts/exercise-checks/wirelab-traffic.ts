import type { HttpExchange, WireMessage } from '../../wire/types.ts';

// Lessons 01–14 are about Wirelab's own server (issue 51): a pass is earned only by exchanges with
// it. A cell aimed at "my server" shows its answer, but what it captured is the student's server
// speaking — a ten-line fake that answers what an exercise looks for would otherwise earn it. Left
// out: the connections Wirelab opened itself to a student's server (`outbound`), and the messages
// of a browser's connection to a relay of "check my server" (its WebSocket, MQTT, SSE and gRPC
// runner relays carry the student's server's frames back unchanged). Lesson 15's own verdict
// reads the runs the server made, not these.

/** The path every relay of "check my server" lives under (server/own-server/). */
export const OWN_SERVER_RELAY_PREFIX = '/_wirelab/own-server/';

/** The exchanges and messages a check of lessons 01–14 may count: Wirelab's own server's, nothing relayed. */
export function wirelabOwnTraffic<E extends HttpExchange, M extends WireMessage>(
  traffic: { exchanges: readonly E[]; messages: readonly M[] },
  outbound: (conn: string) => boolean,
): { exchanges: E[]; messages: M[]; relayed: boolean } {
  const relayConnections = new Set<string>();
  for (const exchange of traffic.exchanges) {
    if (exchange.request.path.startsWith(OWN_SERVER_RELAY_PREFIX)) relayConnections.add(exchange.conn);
  }
  const exchanges = traffic.exchanges.filter((exchange) => !outbound(exchange.conn));
  const messages = traffic.messages.filter((message) => !outbound(message.conn) && !relayConnections.has(message.conn));
  const relayed = exchanges.length < traffic.exchanges.length || messages.length < traffic.messages.length;
  return { exchanges, messages, relayed };
}
