import type { Lang } from '../kit/lang-context.ts';
import { GLOSSARY } from './glossary-terms.ts';

/**
 * The inspector's tree nodes (wire, by `kind`) that a glossary term names: their title shows
 * the term's definition on hover (web/inspector/wire-tree.tsx). Only where the node IS the thing
 * the term defines (a frame's opcode, a close frame's code), never a mere mention: a header's
 * row is its own name (Content-Type), not "header". Node kinds are checked against wire by
 * node-terms.test.ts. The glossary's chunk is the one the lesson's terms list loads anyway.
 */
const TERM_OF_NODE: Record<string, string> = {
  method: 'method',
  'status-code': 'status-code',
  headers: 'header',
  body: 'body',
  'ws-frame': 'frame',
  'h2-frame': 'frame',
  'ws-opcode': 'opcode',
  'ws-mask': 'masking',
  'ws-masking-key': 'masking',
  'ws-payload': 'payload',
  'h2-payload': 'payload',
  'ws-close-code': 'close-code',
  'h2-stream-id': 'stream',
  trailers: 'trailers',
  'grpc-web-trailers': 'trailers',
  'grpc-status': 'grpc-status',
  'pb-tag': 'tag',
  'pb-varint-byte': 'varint',
  'sse-event': 'sse-event',
  'requested-qos': 'qos',
  'granted-qos': 'qos',
  'sio-namespace': 'namespace',
  'sio-ack-id': 'acknowledgement',
};

/** The glossary's name and definition of what a node is, as one line for a title; none for most nodes. */
export function nodeTermTitle(kind: string, lang: Lang): string | undefined {
  const id = Object.hasOwn(TERM_OF_NODE, kind) ? TERM_OF_NODE[kind] : undefined;
  const term = id ? GLOSSARY.find((entry) => entry.id === id) : undefined;
  // the definitions are written for the glossary page, with `code` in backticks
  return term && `${term[lang]}: ${term.definition[lang].replaceAll('`', '')}`;
}

export const NODE_KINDS_WITH_TERMS: readonly string[] = Object.keys(TERM_OF_NODE);
