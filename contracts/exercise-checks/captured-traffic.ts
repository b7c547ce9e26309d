import type { CaptureChunk, CapturedConnection } from '../capture-channel/messages.ts';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';

// A session's captures as the checks read them: every connection decoded by the decoders the
// inspector uses (wire/), with every layer loaded at once. The server's verdicts read a session's
// ring this way (server/classroom/board/exercise-verdicts.ts); the page has its capture store, which
// decodes the same bytes with the same decoders as they arrive. Not for the page: it would bring
// every decoder into one chunk.

export interface CheckedTraffic {
  exchanges: HttpExchange[];
  /** oldest first */
  messages: WireMessage[];
}

/** Decodes each connection's chunks (in any order: the streams are assembled by offset). */
export function trafficOfCaptures(connections: readonly CapturedConnection[], chunks: readonly CaptureChunk[]): CheckedTraffic {
  const byConnection = new Map<string, CaptureChunk[]>();
  for (const chunk of chunks) {
    const list = byConnection.get(chunk.conn);
    if (list) list.push(chunk);
    else byConnection.set(chunk.conn, [chunk]);
  }
  const exchanges: HttpExchange[] = [];
  const messages: WireMessage[] = [];
  for (const connection of connections) {
    const own = byConnection.get(connection.id);
    if (!own) continue;
    const decoded = decodeConnection(connection, own);
    exchanges.push(...decoded.exchanges);
    if (decoded.messages) messages.push(...decoded.messages);
  }
  messages.sort((a, b) => a.at - b.at || a.index - b.index);
  return { exchanges, messages };
}
