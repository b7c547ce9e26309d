// What «Поделиться» / "Share" sends: the capture as the sharer's inspector shows it under its
// filters (shown-traffic.ts), as pcapng, and how many of the app's own requests it leaves out.
//
// A keep-alive connection carries the app's own requests (the page, its scripts: recorded head
// only, their bodies skipped, server/tap/README.md) beside the student's. Sent whole, the reader
// would get the app's requests the sharer never saw, each with its hole. So of a connection with
// hidden exchanges, only the bytes of the shown ones go: each exchange owns its direction's bytes
// from its first byte to the next exchange's first byte (its body, recorded or skipped, and what
// follows an upgrade), the first exchange also what came before it; the bytes of a hidden one are
// cut out and those after move up, as if they had followed on the wire. A hole inside a shown
// exchange stays a hole.
import { capturesToPcapng, type ExportedConnection } from '../../wire/pcapng/export-pcapng.ts';
import { assembleConnection } from '../../wire/stream-assembler.ts';
import type { CaptureChunk } from '../../wire/types.ts';
import type { CaptureSnapshot, ConnectionView, InspectedExchange } from './capture-store.ts';
import { shownTraffic } from './shown-traffic.ts';

export interface ShownCapture {
  pcapng: Uint8Array<ArrayBuffer>;
  /** the app's own requests the view hid, not in the file */
  appRequestsLeftOut: number;
}

/** An exchange's part of one direction's stream: [start, end), and whether the view shows it. */
interface Region {
  start: number;
  end: number;
  shown: boolean;
}

export function shownCapture(
  snapshot: Pick<CaptureSnapshot, 'connections'>,
  chunksOf: (conn: string) => readonly CaptureChunk[],
  showApp: boolean,
): ShownCapture {
  const { timeline, hiddenCount } = shownTraffic(snapshot, showApp);
  const connections: ExportedConnection[] = timeline.map(({ view, exchanges }) => {
    const chunks = shownChunks(view, new Set(exchanges), chunksOf(view.connection.id));
    return { connection: view.connection, streams: assembleConnection(view.connection.id, chunks, view.connection.closedAt !== undefined) };
  });
  return { pcapng: capturesToPcapng(connections), appRequestsLeftOut: hiddenCount };
}

/**
 * The chunks of the shown exchanges' bytes, offsets moved up over the hidden ones'. HTTP/1.1
 * only: an h2c connection's streams interleave in frames that share one HPACK state, so it goes
 * whole or not at all.
 */
export function shownChunks(view: ConnectionView, shown: ReadonlySet<InspectedExchange>, chunks: readonly CaptureChunk[]): CaptureChunk[] {
  if (view.connection.transport !== 'http/1.1' || view.exchanges.every((exchange) => shown.has(exchange))) return [...chunks];
  const regions = { in: regionsOf(view.exchanges, shown, 'in'), out: regionsOf(view.exchanges, shown, 'out') };
  const kept: CaptureChunk[] = [];
  for (const chunk of [...chunks].sort((a, b) => a.seq - b.seq)) {
    // a direction no exchange has bytes in (a response not decoded as one) goes as recorded
    if (regions[chunk.dir].length === 0) {
      kept.push({ ...chunk, seq: kept.length });
      continue;
    }
    const end = chunk.offset + chunk.data.length;
    for (const region of regions[chunk.dir]) {
      if (region.start >= end) break;
      const from = Math.max(region.start, chunk.offset);
      const to = Math.min(region.end, end);
      if (!region.shown || from >= to) continue;
      const data = chunk.data.subarray(from - chunk.offset, to - chunk.offset);
      kept.push({ ...chunk, seq: kept.length, offset: from - removedBefore(regions[chunk.dir], from), data });
    }
  }
  return kept;
}

function removedBefore(regions: readonly Region[], offset: number): number {
  let removed = 0;
  for (const region of regions) {
    if (region.start >= offset) break;
    if (!region.shown) removed += Math.min(region.end, offset) - region.start;
  }
  return removed;
}

/** Each exchange's part of a direction: from its first byte to the next one's (the first from 0, the last to the end). */
function regionsOf(exchanges: readonly InspectedExchange[], shown: ReadonlySet<InspectedExchange>, dir: 'in' | 'out'): Region[] {
  const starts = [...exchanges]
    .sort((a, b) => a.index - b.index)
    .flatMap((exchange) => {
      const first = dir === 'in' ? exchange.request : (exchange.interim?.[0] ?? exchange.response);
      return first ? [{ start: first.range.start, shown: shown.has(exchange) }] : [];
    });
  return starts.map(({ start, shown: isShown }, index) => ({
    start: index === 0 ? 0 : start,
    end: starts[index + 1]?.start ?? Number.POSITIVE_INFINITY,
    shown: isShown,
  }));
}
