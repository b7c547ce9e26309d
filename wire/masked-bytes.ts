import { lastIndexAtOrBelow } from './sorted-search.ts';
import type { MaskedPayload, WireNode } from './types.ts';

// A browser masks every WebSocket frame it sends (RFC 6455 §5.3): the bytes on the wire are the
// payload XOR a 4-byte key. The layers inside (MQTT, graphql-ws, Engine.IO) read the unmasked
// payload, so their nodes describe other bytes than the wire's at the same stream offsets. Such
// nodes are marked `unmasked`; the inspector shows those bytes beside the wire's, and lights a
// node's bytes where its meaning is.

/**
 * The bytes of stream range [start, start + wire.length) with every mask removed: `wire` is that
 * range as captured; bytes outside a masked payload (frame headers) stay as they are.
 */
export function unmaskedView(wire: Uint8Array, start: number, masks: readonly MaskedPayload[]): Uint8Array {
  const out = wire.slice();
  const end = start + wire.length;
  if (masks.length === 0) return out;
  let index = lastIndexAtOrBelow(masks.length, start, (at) => masks[at].range.start);
  for (; index < masks.length && masks[index].range.start < end; index += 1) {
    const { range, key } = masks[index];
    const from = Math.max(start, range.start);
    const to = Math.min(end, range.end);
    for (let offset = from; offset < to; offset += 1) out[offset - start] ^= key[(offset - range.start) & 3];
  }
  return out;
}

/** Marks `node` and everything under it as describing unmasked bytes. */
export function markUnmasked(node: WireNode): WireNode {
  node.unmasked = true;
  for (const child of node.children ?? []) markUnmasked(child);
  return node;
}

/** Whether any node of the tree describes unmasked bytes. */
export function hasUnmaskedNodes(node: WireNode): boolean {
  return node.unmasked === true || (node.children ?? []).some(hasUnmaskedNodes);
}
