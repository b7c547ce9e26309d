import type { WireNode } from '../wire/types.ts';
import type { ConnectionView, InspectedExchange } from './capture-store.ts';
import type { HexSection } from './hex-rows.ts';
import type { InspectorStrings } from './strings.ts';

/** What the detail view shows: one exchange, or one note (raw bytes the decoder did not turn into an exchange). */
export type Selection = { conn: string; index: number } | { conn: string; note: number };

export function sameSelection(a: Selection | null | undefined, b: Selection | null | undefined): boolean {
  if (!a || !b) return false;
  return a.conn === b.conn && ('index' in a ? 'index' in b && a.index === b.index : 'note' in b && a.note === b.note);
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
    default:
      return { title: t.kinds[node.kind] ?? node.label };
  }
}
