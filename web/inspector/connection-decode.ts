// Decoding one kept connection into its view (the capture store's decode, README.md): at the cost
// of its new bytes (its DecodeMemo), at most DECODE_SLICE_BYTES of them at a time, and isolated: a
// decoder that throws on its bytes shows them raw with the error, and the other connections decode
// as before.
import { decodeConnection } from '../../wire/connection-decoders.ts';
import { DecodeMemo } from '../../wire/decode-memo.ts';
import { ru } from '../../wire/node-text.ts';
import { assembleConnection } from '../../wire/stream-assembler.ts';
import type { CaptureChunk, CapturedConnection } from '../../wire/types.ts';
import type { ConnectionView, TrackedConnection } from './capture-types.ts';

/** New bytes of a connection one decode takes on; the rest waits for the next turn. */
const DECODE_SLICE_BYTES = 32 * 1024;

export type ConnectionDecoder = typeof decodeConnection;

/** Its chunks go past what the latest decode took on (DECODE_SLICE_BYTES). */
export function isBehind(tracked: TrackedConnection): boolean {
  return (tracked.decoded?.chunkCount ?? 0) < tracked.chunks.length;
}

/**
 * The connection's view, decoded a slice further if it got new chunks or closed since the last
 * decode; `beforeRestart`: captured by an earlier server process.
 */
export function decodeTracked(tracked: TrackedConnection, beforeRestart: boolean, decode: ConnectionDecoder = decodeConnection): ConnectionView {
  const { connection, chunks } = tracked;
  const last = tracked.decoded;
  if (last && last.chunkCount === chunks.length && last.closedAt === connection.closedAt && last.view.connection === connection) {
    return markedView(tracked, beforeRestart);
  }
  // A burst (a stream's thousands of messages in one push) is decoded a slice at a time, so no
  // single decode blocks the page; the store's catch-up comes back for the rest.
  let count = Math.min(last?.chunkCount ?? 0, chunks.length);
  let newBytes = 0;
  while (count < chunks.length && (newBytes === 0 || newBytes + chunks[count].data.length <= DECODE_SLICE_BYTES)) {
    newBytes += chunks[count].data.length;
    count += 1;
  }
  const whole = count === chunks.length;
  // Part of a closed connection's bytes are not its end: decode them as still open.
  const decoded = decodeGuarded(tracked, whole ? connection : { ...connection, closedAt: undefined }, whole ? chunks : chunks.slice(0, count), decode);
  const view: ConnectionView = {
    connection,
    exchanges: decoded.exchanges.map((exchange) => ({ ...exchange, index: exchange.index + tracked.indexBase, connection })),
    notes: decoded.notes,
    messages: decoded.messages ?? [],
    streams: decoded.streams,
    ...(decoded.masks ? { masks: decoded.masks } : {}),
    bytes: tracked.bytes,
    ...(beforeRestart ? { beforeRestart } : {}),
  };
  tracked.decoded = { chunkCount: count, closedAt: connection.closedAt, view };
  return view;
}

/** Decoded to its last chunk, slice after slice, now. */
export function decodeToEnd(tracked: TrackedConnection, beforeRestart: boolean, decode?: ConnectionDecoder): ConnectionView {
  let view = decodeTracked(tracked, beforeRestart, decode);
  while (isBehind(tracked)) view = decodeTracked(tracked, beforeRestart, decode);
  return view;
}

/** The last decode's view, marked as from before a restart if the server restarted since (the same decode otherwise). */
export function markedView(tracked: TrackedConnection, beforeRestart: boolean): ConnectionView {
  const last = tracked.decoded!;
  if (Boolean(last.view.beforeRestart) === beforeRestart) return last.view;
  const { beforeRestart: _wasBefore, ...view } = last.view;
  last.view = beforeRestart ? { ...view, beforeRestart } : view;
  return last.view;
}

/** Starts the connection's decoding over (a decoder layer arrived: what the memo kept may hold placeholders). */
export function forgetDecode(tracked: TrackedConnection): void {
  tracked.decoded = undefined;
  tracked.memo = new DecodeMemo();
}

/**
 * A decoder bug on one connection's bytes must not stop the others from decoding: that
 * connection shows its bytes raw, with the error over them.
 */
function decodeGuarded(
  tracked: TrackedConnection,
  connection: CapturedConnection,
  chunks: readonly CaptureChunk[],
  decode: ConnectionDecoder,
): ReturnType<ConnectionDecoder> {
  try {
    return decode(connection, chunks, tracked.memo);
  } catch (error) {
    // what the memo kept may be half-updated: the next decode starts afresh
    tracked.memo = new DecodeMemo();
    const streams = assembleConnection(connection.id, chunks, connection.closedAt !== undefined);
    const reason = String((error as Error)?.message ?? error);
    const notes = (['in', 'out'] as const)
      .filter((dir) => streams[dir].end > 0)
      .map((dir) => ({
        dir,
        node: ru(
          {
            kind: 'decode-failed',
            label: 'Decoding this connection failed: its bytes are shown raw',
            value: reason,
            range: { start: streams[dir].segments[0]?.start ?? 0, end: streams[dir].end },
            error: 'connection-decode-failed',
          },
          'Разобрать это соединение не удалось: его байты показаны как есть',
        ),
      }));
    return { connection, exchanges: [], notes, streams };
  }
}
