import { lastIndexAtOrBelow } from './sorted-search.ts';
import type { DecodeMemo } from './decode-memo.ts';
import type { HeaderList, WireNode } from './types.ts';
import type { LazyLayer } from './lazy-layer.ts';

/** Where a payload travelled and what its carrier said about it. */
export interface PayloadContext {
  carrier: 'http-request-body' | 'http-response-body' | 'ws-message' | 'h2-data';
  /** the carrier's Content-Type, lower case, parameters kept ("application/json; charset=utf-8") */
  contentType?: string;
  /** the request's path (also for its response): "/wirelab.users.v1.UserService/GetUser" */
  path?: string;
  /** the WebSocket subprotocol the server chose ("graphql-transport-ws") */
  subprotocol?: string;
  /** headers of the message that carried the payload (for a response: the response's) */
  headers?: HeaderList;
  /** headers of the request (for a response: the request that it answers) */
  requestHeaders?: HeaderList;
  /** false while the payload may still grow (a streaming body, an unfinished message) */
  complete: boolean;
  /** units decoded last time (wire/decode-memo.ts); a layer may reuse what was complete */
  memo?: DecodeMemo;
}

/** Offset, in the direction's byte stream, of the payload's byte `index` (chunked bodies are not contiguous). */
export type PayloadOffsets = (index: number) => number;

/**
 * A decoder for what travels inside a body or message: gRPC envelopes, protobuf, GraphQL over
 * HTTP, graphql-ws, Engine.IO, SSE… It returns nodes whose ranges are stream offsets
 * (use `rangeOf`), so the inspector links them to the bytes like any other node.
 */
export interface PayloadLayer {
  /** stable name, e.g. "grpc-web", "graphql-http" */
  name: string;
  accepts(context: PayloadContext): boolean;
  decode(payload: Uint8Array, offsets: PayloadOffsets, context: PayloadContext): WireNode[];
}

/**
 * Layers that are downloaded when a payload first needs them (lazy-layer.ts). `mayAccept` is
 * cheap and says yes to every payload one of the layers would accept (it may say yes to more:
 * once loaded, the layers' own `accepts` decide, in their order).
 */
export interface DeferredPayloadLayers {
  name: string;
  mayAccept(context: PayloadContext): boolean;
  source: LazyLayer<readonly PayloadLayer[]>;
}

// Layers register here, most specific first; the first that accepts a payload decodes it.
const layers: Array<PayloadLayer | DeferredPayloadLayers> = [];

/** For tests and for layers defined outside this file; a layer registered twice stays once. */
export function registerPayloadLayer(layer: PayloadLayer | DeferredPayloadLayers): void {
  if (!layers.some((known) => known.name === layer.name)) layers.push(layer);
}

export function payloadLayerFor(context: PayloadContext): PayloadLayer | undefined {
  for (const entry of layers) {
    if (!('source' in entry)) {
      if (entry.accepts(context)) return entry;
      continue;
    }
    if (!entry.mayAccept(context)) continue;
    const loaded = entry.source.get();
    if (!loaded) return placeholderLayer(entry);
    const layer = loaded.find((candidate) => candidate.accepts(context));
    if (layer) return layer;
  }
  return undefined;
}

/** Stands in for layers still on their way (or that failed to load): one node over the payload. */
function placeholderLayer(entry: DeferredPayloadLayers): PayloadLayer {
  return {
    name: entry.name,
    accepts: () => true,
    decode: (payload, offsets) => [entry.source.placeholder(rangeOf(offsets, 0, payload.length))],
  };
}

/** The stream range of payload bytes [start, end). */
export function rangeOf(offsets: PayloadOffsets, start: number, end: number): { start: number; end: number } {
  if (end <= start) return { start: offsets(start), end: offsets(start) };
  return { start: offsets(start), end: offsets(end - 1) + 1 };
}

/**
 * Decodes a payload with the layer that accepts it; a layer that throws becomes one node with
 * the error, so a decoder bug never hides the bytes.
 */
export function decodePayload(payload: Uint8Array, offsets: PayloadOffsets, context: PayloadContext): WireNode[] {
  const layer = payloadLayerFor(context);
  if (!layer || payload.length === 0) return [];
  try {
    return layer.decode(payload, offsets, context);
  } catch (error) {
    return [
      {
        kind: 'layer-failed',
        label: layer.name,
        value: String((error as Error)?.message ?? error),
        range: rangeOf(offsets, 0, payload.length),
        error: 'decoder-failed',
      },
    ];
  }
}

/** Offsets of a body whose bytes are contiguous from `start`. */
export function contiguousOffsets(start: number): PayloadOffsets {
  return (index) => start + index;
}

/**
 * Offsets of a payload spread over pieces, in order: a chunked body's `chunk-data`, a stream's
 * HTTP/2 DATA frames or a header block's fragments, a WebSocket message's frames. A binary search
 * over where each piece starts: a 10 000-message stream has as many pieces, and every decoded
 * node asks for its offsets, so a linear walk would be quadratic.
 */
export function chunkedOffsets(chunkData: ReadonlyArray<{ start: number; end: number }>): PayloadOffsets {
  const pieces = chunkData.filter((range) => range.end > range.start);
  const payloadStarts: number[] = [];
  let total = 0;
  for (const range of pieces) {
    payloadStarts.push(total);
    total += range.end - range.start;
  }
  return (index) => {
    if (pieces.length === 0) return (chunkData.at(-1)?.end ?? 0) + index;
    if (index >= total) return pieces[pieces.length - 1].end + (index - total);
    const piece = lastIndexAtOrBelow(pieces.length, index, (at) => payloadStarts[at]);
    return pieces[piece].start + (index - payloadStarts[piece]);
  };
}
