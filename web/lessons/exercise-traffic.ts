import type { CaptureSnapshot } from '../inspector/capture-store.ts';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';

/**
 * The traffic a lesson's exercises are checked against: what was captured since the lesson was
 * opened (`openedAt`, server clock), and by the server process that runs now. What the inspector
 * still shows from before a restart is not the server's any more (its ring starts empty, its
 * verdicts cannot see it): a pass or a miss judged from it would be the page's word alone.
 */
export function exerciseTraffic(
  captures: Pick<CaptureSnapshot, 'exchanges' | 'messages' | 'beforeRestart'>,
  openedAt: number,
): { exchanges: HttpExchange[]; messages: WireMessage[] } {
  const { beforeRestart } = captures;
  return {
    exchanges: captures.exchanges.filter((exchange) => exchange.request.firstByteAt >= openedAt && !beforeRestart.has(exchange.conn)),
    messages: captures.messages.filter((message) => message.at >= openedAt && !beforeRestart.has(message.conn)),
  };
}
