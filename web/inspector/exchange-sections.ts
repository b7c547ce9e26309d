import { hasUnmaskedNodes, unmaskedView } from '../../wire/masked-bytes.ts';
import type { WireMessage, WireNode } from '../../wire/types.ts';
import type { ConnectionView, InspectedExchange } from './capture-store.ts';
import type { HexSection } from './hex-rows.ts';
import type { InspectorStrings } from './strings.ts';

/**
 * Where a message (an HTTP/2 frame, a WebSocket frame…) sits on its connection: its layer, its
 * direction and the offset of its first byte in that direction's stream — what stays the same in
 * every decode, as `messagePick` (contracts/exercise-checks/capture-question.ts) names a message.
 * Never the message's `index`: it counts the rows before it, and a lazily decoded layer
 * (grpc-message, protobuf…) arriving later renumbers them.
 */
export interface MessageAt {
  layer: string;
  dir: 'in' | 'out';
  start: number;
}

/** What the detail view shows: one exchange, one note (raw bytes the decoder did not turn into an exchange), or one message. */
export type Selection = { conn: string; index: number } | { conn: string; note: number } | { conn: string; message: MessageAt };

/** The selection of one message, by where it sits (MessageAt). */
export function messageSelection(message: Pick<WireMessage, 'conn' | 'layer' | 'dir' | 'range'>): { conn: string; message: MessageAt } {
  return { conn: message.conn, message: { layer: message.layer, dir: message.dir, start: message.range.start } };
}

/** Is this the message `at` names? */
export function isMessageAt(message: Pick<WireMessage, 'layer' | 'dir' | 'range'>, at: MessageAt): boolean {
  return message.layer === at.layer && message.dir === at.dir && message.range.start === at.start;
}

/** The message a message selection names among a connection's messages. */
export function selectedMessageIn(messages: readonly WireMessage[], selection: Selection | null): WireMessage | undefined {
  if (!selection || !('message' in selection)) return undefined;
  return messages.find((message) => message.conn === selection.conn && isMessageAt(message, selection.message));
}

export function sameSelection(a: Selection | null | undefined, b: Selection | null | undefined): boolean {
  if (!a || !b || a.conn !== b.conn) return false;
  if ('index' in a) return 'index' in b && a.index === b.index;
  if ('note' in a) return 'note' in b && a.note === b.note;
  return 'message' in b && a.message.layer === b.message.layer && a.message.dir === b.message.dir && a.message.start === b.message.start;
}

/** A stable key for a selection (React keys, scroll tracking): the same for the same bytes, whatever arrives later. */
export function selectionKey(selection: Selection | null): string {
  if (!selection) return 'none';
  if ('index' in selection) return `${selection.conn}/${selection.index}`;
  if ('note' in selection) return `${selection.conn}/n${selection.note}`;
  return `${selection.conn}/m ${selection.message.layer} ${selection.message.dir} ${selection.message.start}`;
}

/** The request, any interim responses and the response, each with its bytes and decoded tree. */
export function exchangeSections(exchange: InspectedExchange, view: ConnectionView, t: InspectorStrings): HexSection[] {
  const { request } = exchange;
  const sections: HexSection[] = [
    { dir: 'in', title: t.requestSection, start: request.range.start, bytes: view.streams.in.slice(request.range), tree: request.tree },
  ];
  for (const interim of exchange.interim ?? []) {
    sections.push({ dir: 'out', title: t.interimSection, start: interim.range.start, bytes: view.streams.out.slice(interim.range), tree: interim.tree });
  }
  const { response } = exchange;
  if (response) {
    sections.push({ dir: 'out', title: t.responseSection, start: response.range.start, bytes: view.streams.out.slice(response.range), tree: response.tree });
  }
  return sections;
}

export function noteSections(note: { dir: 'in' | 'out'; node: WireNode }, view: ConnectionView, t: InspectorStrings): HexSection[] {
  const stream = note.dir === 'in' ? view.streams.in : view.streams.out;
  const title = `${t.rawSection} · ${note.dir === 'in' ? t.requestArrow : t.responseArrow}`;
  return [{ dir: note.dir, title, start: note.node.range.start, bytes: stream.slice(note.node.range), tree: note.node }];
}

/**
 * One message's bytes and tree; the title says its layer and what it is. A message whose nodes
 * describe unmasked bytes (a client's WebSocket frame, what MQTT or graphql-ws read inside it)
 * carries those bytes too, so that each node lights the bytes it describes.
 */
export function messageSections(message: WireMessage, view: ConnectionView, t: InspectorStrings): HexSection[] {
  const stream = message.dir === 'in' ? view.streams.in : view.streams.out;
  const title = `${message.layer} · ${t.wireSummary(message) ?? message.summary} · ${message.dir === 'in' ? t.requestArrow : t.responseArrow}${message.undelivered ? ` · ${t.undelivered}` : ''}`;
  const bytes = stream.slice(message.range);
  const masks = view.masks?.[message.dir] ?? [];
  const unmasked = hasUnmaskedNodes(message.tree) ? unmaskedView(bytes, message.range.start, masks) : undefined;
  return [{ dir: message.dir, title, start: message.range.start, bytes, ...(unmasked ? { unmasked } : {}), tree: message.tree }];
}

/** Title and value of a tree node in the reader's language; header names and decoded values stay as sent. */
export function describeNode(node: WireNode, t: InspectorStrings): { title: string; value?: string } {
  switch (node.kind) {
    case 'header':
      return { title: node.label, value: node.value };
    case 'http-request':
    case 'http-response':
    case 'request-line':
    case 'status-line':
      return { title: t.kinds[node.kind], value: node.label };
    case 'method':
    case 'request-target':
    case 'http-version':
    case 'status-code':
    case 'reason-phrase':
    case 'header-name':
    case 'header-value':
    case 'chunk-size':
    case 'chunk-extension':
    case 'obs-fold':
      return { title: t.kinds[node.kind], value: node.value };
    case 'decoder-missing':
      return { title: t.kinds[node.kind], value: t.h2cLater };
    default: {
      // Layers added later (HTTP/2, WebSocket, protobuf…) label their nodes themselves, in English
      // and, through wire/node-text.ts, in Russian.
      if (t.kinds[node.kind]) return { title: t.kinds[node.kind] };
      const own = t.wireText(node);
      return own ? { title: own.label, value: own.value ?? node.value } : { title: node.label, value: node.value };
    }
  }
}
