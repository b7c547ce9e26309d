import type { CaptureSnapshot } from '../inspector/capture-store.ts';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { wirelabOwnTraffic } from '../../contracts/exercise-checks/wirelab-traffic.ts';

/**
 * The traffic a lesson's exercises are checked against: what was captured since the lesson was
 * opened (`openedAt`, server clock), and by the server process that runs now. What the inspector
 * still shows from before a restart is not the server's any more (its ring starts empty, its
 * verdicts cannot see it): a pass or a miss judged from it would be the page's word alone.
 * Lessons 01–14 are about Wirelab's server (issue 51): the exchanges of a cell aimed at "my
 * server" (Wirelab's own connections to it, and a relay's frames) are not checked, as the
 * server's verdicts leave them out; `relayed` lists those exchanges, so a card can say why its
 * cell's run counts for nothing.
 */
export function exerciseTraffic(
  captures: Pick<CaptureSnapshot, 'exchanges' | 'messages' | 'beforeRestart' | 'connections'>,
  openedAt: number,
): { exchanges: HttpExchange[]; messages: WireMessage[]; relayed: HttpExchange[] } {
  const { beforeRestart } = captures;
  const outbound = new Set(captures.connections.filter((view) => view.connection.outbound).map((view) => view.connection.id));
  const current = {
    exchanges: captures.exchanges.filter((exchange) => exchange.request.firstByteAt >= openedAt && !beforeRestart.has(exchange.conn)),
    messages: captures.messages.filter((message) => message.at >= openedAt && !beforeRestart.has(message.conn)),
  };
  const own = wirelabOwnTraffic(current, (conn) => outbound.has(conn));
  return { exchanges: own.exchanges, messages: own.messages, relayed: current.exchanges.filter((exchange) => outbound.has(exchange.conn)) };
}
