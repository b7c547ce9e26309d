import { countRu } from '../../shared/russian-plural.ts';
import { ru } from '../node-text.ts';
import { rangeOf, type PayloadOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import type { JsonNode } from './json-ranges.ts';

// A parsed JSON value (json-ranges.ts) as WireNodes with the byte range of every value: what
// GraphQL payloads, graphql-ws messages and HTTP JSON bodies show.

/** JSON values shown per payload; a 1 MB result stays readable and quick. */
export const MAX_JSON_NODES = 400;

export function jsonRange(offsets: PayloadOffsets, node: { start: number; end: number }): { start: number; end: number } {
  return rangeOf(offsets, node.start, node.end);
}

/** A JSON value as a tree of WireNodes (kind 'json-value'), at most `budget.left` nodes. */
export function jsonTree(node: JsonNode, label: string, offsets: PayloadOffsets, budget = { left: MAX_JSON_NODES }): WireNode {
  budget.left -= 1;
  const range = jsonRange(offsets, node);
  if (node.type === 'object' || node.type === 'array') {
    const size = node.type === 'object' ? node.entries.length : node.items.length;
    const value = node.type === 'object' ? `{…} ${size} ${size === 1 ? 'key' : 'keys'}` : `[…] ${size} ${size === 1 ? 'item' : 'items'}`;
    const valueRu = node.type === 'object' ? `{…} ${countRu(size, 'ключ', 'ключа', 'ключей')}` : `[…] ${countRu(size, 'элемент', 'элемента', 'элементов')}`;
    if (budget.left <= 0) return ru({ kind: 'json-value', label, value, range }, label, valueRu);
    const children =
      node.type === 'object'
        ? node.entries.map((entry) => jsonTree(entry.value, entry.key.value, offsets, budget))
        : node.items.map((item, index) => jsonTree(item, `[${index}]`, offsets, budget));
    return ru({ kind: 'json-value', label, value, range, children }, label, valueRu);
  }
  const text = node.type === 'string' ? JSON.stringify(node.value) : node.type === 'null' ? 'null' : String(node.value);
  return { kind: 'json-value', label, value: clip(text), range };
}

export function clip(text: string, chars = 120): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}
