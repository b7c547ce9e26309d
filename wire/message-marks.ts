import type { DecodeMemo } from './decode-memo.ts';
import type { ByteStream } from './stream-assembler.ts';
import type { HttpExchange, WireMessage, WireNode } from './types.ts';

// A payload layer (wire/payload-layers.ts) returns plain WireNodes, but some of what it finds
// are units a lesson wants to list and check on their own: an Engine.IO packet inside a polling
// body or a WebSocket message, an SSE event inside a streaming response. The layer marks such a
// node; the connection decoder later turns every marked node it finds in its trees into a
// WireMessage. A WeakMap keeps WireNode plain data (no extra property to render or compare).

/** What a marked node becomes: the WireMessage's layer, summary and checkable fields. */
export interface MessageMark {
  layer: string;
  summary: string;
  fields: Record<string, string | number | boolean>;
  group?: string;
}

const marks = new WeakMap<WireNode, MessageMark>();

export function markMessage(node: WireNode, mark: MessageMark): WireNode {
  marks.set(node, mark);
  return node;
}

export function messageMarkOf(node: WireNode): MessageMark | undefined {
  return marks.get(node);
}

/**
 * Every marked node under `root` (root included), depth first, as WireMessages of connection
 * `conn` in direction `dir`; `at` is when the node's first byte crossed. `index` is left 0:
 * the caller numbers a connection's messages once they are merged and sorted.
 */
export function collectMarkedMessages(root: WireNode, conn: string, dir: 'in' | 'out', stream: ByteStream): WireMessage[] {
  const found: WireMessage[] = [];
  const visit = (node: WireNode): void => {
    const mark = marks.get(node);
    if (mark) {
      found.push({
        conn,
        index: 0,
        dir,
        layer: mark.layer,
        summary: mark.summary,
        at: stream.timeAt(node.range.start),
        range: node.range,
        tree: node,
        fields: mark.fields,
        ...(mark.group !== undefined ? { group: mark.group } : {}),
      });
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return found;
}

/**
 * Orders a connection's messages by when their first byte crossed (then by byte position, then
 * outer layers before the layers inside them) and numbers them from 0.
 */
export function numberMessages(messages: WireMessage[]): WireMessage[] {
  const sorted = messages
    .map((message, order) => ({ message, order }))
    .sort(
      (a, b) =>
        timeKey(a.message.at) - timeKey(b.message.at) ||
        (a.message.dir === b.message.dir ? a.message.range.start - b.message.range.start : 0) ||
        a.order - b.order,
    );
  return sorted.map(({ message }, index) => ({ ...message, index }));
}

/** Unrecorded times (NaN) sort last instead of breaking the comparison. */
function timeKey(at: number): number {
  return Number.isNaN(at) ? Number.MAX_VALUE : at;
}

/**
 * The marked nodes under the bodies of a connection's exchanges (request bodies are inbound,
 * responses outbound): Engine.IO packets of polling, SSE events of a streaming response.
 */
export function collectExchangeMessages(exchanges: readonly HttpExchange[], streams: { in: ByteStream; out: ByteStream }, memo?: DecodeMemo): WireMessage[] {
  const found: WireMessage[] = [];
  // A node the memo handed out again (a complete chunk or envelope) holds the same messages.
  const known = memo?.table<WireNode, { group: string; messages: WireMessage[] }>('exchange-messages');
  for (const exchange of exchanges) {
    const group = `exchange ${exchange.index}`;
    for (const [message, dir] of [
      [exchange.request, 'in'],
      [exchange.response, 'out'],
    ] as const) {
      const body = message?.tree.children?.find((child) => child.kind === 'body');
      if (!body?.children) continue;
      for (const child of body.children) {
        const remembered = known?.get(child);
        let messages = remembered?.group === group ? remembered.messages : undefined;
        if (!messages) {
          messages = collectMarkedMessages(child, exchange.conn, dir, streams[dir]).map((message) => ({ group, ...message }));
          known?.set(child, { group, messages });
        }
        for (const message of messages) found.push(message);
      }
    }
  }
  return found;
}
