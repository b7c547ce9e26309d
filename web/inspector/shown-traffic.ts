// What the inspector's timeline shows of a capture under its filters: the connections and their
// exchanges, notes and messages, the app's own requests hidden unless asked for. «Поделиться» /
// "Share" sends what this shows (shown-capture.ts), so the one rule decides both.
import { isAppTraffic } from '../../contracts/exercise-checks/app-traffic.ts';
import type { CaptureSnapshot } from './capture-store.ts';
import type { ConnectionView, InspectedExchange } from './capture-store.ts';
import type { TimelineConnection } from './exchange-timeline.tsx';

export interface ShownTraffic {
  /** connections as they opened (newest last), each with its visible exchanges in order, and its notes */
  timeline: TimelineConnection[];
  /** the app's own requests left out of it */
  hiddenCount: number;
}

export function shownTraffic(snapshot: Pick<CaptureSnapshot, 'connections'>, showApp: boolean): ShownTraffic {
  let hiddenCount = 0;
  const timeline: TimelineConnection[] = [];
  for (const view of snapshot.connections) {
    const exchanges = showApp ? view.exchanges : view.exchanges.filter((exchange) => !isAppTraffic(exchange.request));
    hiddenCount += view.exchanges.length - exchanges.length;
    const notes = view.notes.map((note, index) => ({ ...note, index })).filter((note) => note.node.kind !== 'empty-line');
    const onlyAppTraffic = view.exchanges.length > 0 && exchanges.length === 0;
    if (onlyAppTraffic || (exchanges.length === 0 && notes.length === 0 && view.messages.length === 0)) continue;
    const gapsInHidden = exchanges.length < view.exchanges.length ? gapsAfterHidden(view, new Set(exchanges)) : undefined;
    timeline.push({ view, exchanges, notes, messages: view.messages, ...(gapsInHidden ? { gapsInHidden } : {}) });
  }
  return { timeline, hiddenCount };
}

/**
 * The shown exchanges right after a hidden one that lacks bytes: the head-only app file before
 * the student's request on a keep-alive connection. The bytes missing before them are that
 * file's body, marked on it ("incomplete") where it is shown; on the student's row they are noise.
 */
function gapsAfterHidden(view: ConnectionView, shown: ReadonlySet<InspectedExchange>): ReadonlySet<number> | undefined {
  const gaps = new Set<number>();
  const byIndex = new Map(view.exchanges.map((exchange) => [exchange.index, exchange]));
  for (const exchange of shown) {
    const before = byIndex.get(exchange.index - 1);
    if (before && !shown.has(before) && (!before.request.complete || before.response?.complete === false)) gaps.add(exchange.index);
  }
  return gaps.size > 0 ? gaps : undefined;
}
