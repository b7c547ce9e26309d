import type { ConnectionView } from '../../inspector/capture-store.ts';
import type { WireMessage } from '../../../wire/types.ts';

// Which Engine.IO session a captured packet belongs to. Over polling a session's packets are
// spread over many requests, on connections a browser also uses for other requests; each of
// those requests names its session in the query (?sid=…), and so does the WebSocket upgrade.
// The open packet, which creates the session, carries the sid in its body instead.

/** The Engine.IO sid of the request or upgraded WebSocket that carried `message`, if any. */
export function sessionOfMessage(view: ConnectionView, message: WireMessage): string | undefined {
  if (message.layer === 'engine-io-packet' && message.fields?.type === 'open' && typeof message.fields.sid === 'string') return message.fields.sid;
  const at = message.range.start;
  for (const exchange of view.exchanges) {
    const part = message.dir === 'in' ? exchange.request : exchange.response;
    if (part && at >= part.range.start && at < part.range.end) return sidOf(exchange.request.query);
    if (exchange.upgrade && at >= (message.dir === 'in' ? exchange.upgrade.inboundOffset : exchange.upgrade.outboundOffset))
      return sidOf(exchange.request.query);
  }
  return undefined;
}

function sidOf(query: Array<[string, string]>): string | undefined {
  return query.find(([name]) => name === 'sid')?.[1];
}

/** Every message of one Engine.IO session, in the order they crossed (all connections together). */
export function sessionMessages(connections: readonly ConnectionView[], sid: string, keep: (message: WireMessage) => boolean): WireMessage[] {
  const found: WireMessage[] = [];
  for (const view of connections) {
    if (!view.exchanges.some((exchange) => exchange.request.path.startsWith('/socket.io'))) continue;
    for (const message of view.messages) if (keep(message) && sessionOfMessage(view, message) === sid) found.push(message);
  }
  return found.sort((a, b) => a.at - b.at || a.range.start - b.range.start);
}
