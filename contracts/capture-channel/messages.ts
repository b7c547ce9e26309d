// The capture channel (`/_wirelab/tap`): what the tap (server/tap/) sends a browser about its own
// session's connections and bytes, and what the browser (web/inspector/capture-store.ts) may ask.
// Both ends import this file; PROTOCOL.md beside it describes the channel. Pure TypeScript: no
// Node, no DOM.

// What one connection is and what one recorded piece of it is: the shapes of a capture, whoever
// recorded it (this channel, or a capture file the inspector opens), live in wire/.
import type { CaptureChunk, CapturedConnection } from '../../wire/captured-connection.ts';
export type {
  CaptureChunk,
  CapturedConnection,
  Direction,
  FileOnlyTransport,
  Transport,
  UndeliveredReason,
  UnrecordedReason,
} from '../../wire/captured-connection.ts';

export const CAPTURE_CHANNEL_PATH = '/_wirelab/tap';

/** What the binary frame's JSON header says of each chunk: all but its bytes, and their length. */
export type ChunkHeader = Omit<CaptureChunk, 'data'> & { length: number };

export interface ChunkFrameHeader {
  type: 'chunks';
  chunks: ChunkHeader[];
}

/** Server → browser, as JSON text messages (the chunks come in binary frames). */
export type CaptureServerMessage =
  /**
   * `instance`: which server process is answering, random at each start (PROTOCOL.md, "Which
   * server"): the same one again is a plain reconnect, another one has none of the earlier captures.
   */
  | { type: 'hello'; recording: boolean; instance: string; limits: { ringBytes: number; ringChunks: number } }
  /** a new connection, or again for one already announced when it turned `shared` or `undelivered` */
  | { type: 'connection'; conn: CapturedConnection }
  | { type: 'closed'; conn: string; t: number }
  | { type: 'recording'; on: boolean }
  | { type: 'cleared' };

/** The chunks as JSON with base64 `data`: never sent by the channel, accepted by the browser's store for replays and tests. */
export interface JsonChunksMessage {
  type: 'chunks';
  chunks: Array<Omit<CaptureChunk, 'data'> & { data: string }>;
}

/** Browser → server. Anything else is ignored; text that is not JSON closes the channel with 1007. */
export type CaptureClientMessage = { type: 'recording'; on: boolean } | { type: 'clear' };

/** Close codes of the channel. */
export const CAPTURE_CLOSE = {
  /** no session cookie: captures are only ever shown to the session that made them */
  noSession: 1008,
  /** a browser message that is not JSON */
  notJson: 1007,
  /** the browser read too slowly and fell behind; it reconnects and gets the ring replayed */
  tooFarBehind: 1013,
  /** the server is shutting down (a restart): the page says so and reconnects (server/listener/goodbye.ts) */
  serverGoingAway: 1001,
  /** scaled out: this session's new connections now reach another instance; the page opens the channel again at once, and lands there (PROTOCOL.md) */
  moved: 4307,
} as const;

/** The close a session's channels get on the instance its new connections no longer reach (the class channel's too: CLASS_CLOSE.moved). */
export const CHANNEL_MOVED_CLOSE = { code: CAPTURE_CLOSE.moved, reason: 'this session now reaches another instance; open the channel again' } as const;

const FRAME_LENGTH_BYTES = 4;

/**
 * The frame's layout, whatever its JSON says: a 4-byte big-endian length N, N bytes of UTF-8
 * JSON, then `parts` one after another. The classroom's relay between instances
 * (server/classroom/relay/relay-envelope.ts) carries recorded bytes in the same layout.
 */
export function encodeJsonHeadedFrame(
  header: unknown,
  parts: readonly Uint8Array[],
  allocate: (size: number) => Uint8Array = (size) => new Uint8Array(size),
): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  let dataBytes = 0;
  for (const part of parts) dataBytes += part.length;
  const frame = allocate(FRAME_LENGTH_BYTES + json.length + dataBytes);
  new DataView(frame.buffer, frame.byteOffset, FRAME_LENGTH_BYTES).setUint32(0, json.length);
  frame.set(json, FRAME_LENGTH_BYTES);
  let at = FRAME_LENGTH_BYTES + json.length;
  for (const part of parts) {
    frame.set(part, at);
    at += part.length;
  }
  return frame;
}

/** A frame of that layout split: its JSON (parsed) and the bytes after it; null when the bytes are not one (never throws). */
export function splitJsonHeadedFrame(frame: Uint8Array): { header: unknown; data: Uint8Array } | null {
  if (frame.length < FRAME_LENGTH_BYTES) return null;
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (FRAME_LENGTH_BYTES + headerLength > frame.length) return null;
  try {
    const header: unknown = JSON.parse(new TextDecoder().decode(frame.subarray(FRAME_LENGTH_BYTES, FRAME_LENGTH_BYTES + headerLength)));
    return { header, data: frame.subarray(FRAME_LENGTH_BYTES + headerLength) };
  } catch {
    return null;
  }
}

/**
 * The binary message that carries chunks: the layout above, its JSON a `ChunkFrameHeader`, then
 * the chunks' bytes in the header's order. Raw bytes instead of base64 in JSON: the tap sends
 * every byte a session's traffic carries, so this is where its cost is. `allocate` lets the
 * server use `Buffer.allocUnsafe` (every byte is written).
 */
export function encodeChunkFrame(chunks: readonly CaptureChunk[], allocate?: (size: number) => Uint8Array): Uint8Array {
  const header: ChunkFrameHeader = {
    type: 'chunks',
    chunks: chunks.map(({ conn, seq, dir, t, offset, data }) => ({ conn, seq, dir, t, offset, length: data.length })),
  };
  return encodeJsonHeadedFrame(
    header,
    chunks.map((chunk) => chunk.data),
    allocate,
  );
}

/** The chunks of one binary frame; their `data` are views of `frame`, not copies. Throws on a frame that breaks the format. */
export function decodeChunkFrame(frame: Uint8Array): CaptureChunk[] {
  const split = splitJsonHeadedFrame(frame);
  if (!split) throw new Error('not a capture frame: shorter than its header length, or its header is not JSON');
  const header = split.header as ChunkFrameHeader | null;
  if (header?.type !== 'chunks' || !Array.isArray(header.chunks)) throw new Error('not a chunks frame');
  let at = 0;
  return header.chunks.map(({ length, ...chunk }) => {
    if (at + length > split.data.length) throw new Error('capture frame shorter than its chunks');
    const data = split.data.subarray(at, at + length);
    at += length;
    return { ...chunk, data };
  });
}
