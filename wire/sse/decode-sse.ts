import { markMessage } from '../message-marks.ts';
import { rangeOf, type PayloadContext, type PayloadLayer, type PayloadOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';

// Server-Sent Events (WHATWG HTML §9.2, "text/event-stream"): UTF-8 lines ending in CRLF, LF or
// CR; a blank line ends an event. "field: value" (one space after the colon is dropped), a line
// starting with ":" is a comment, a line without a colon is a field with an empty value.
// The body may still be streaming: the last block is then unfinished (complete: false).

/** One block of (non-blank) lines and the blank line that ends it. */
export interface SseEvent {
  /** the `event:` field, or "message" when the block dispatches without one */
  type?: string;
  /** the `id:` field (absent when there is none, or when it contains U+0000: browsers ignore it then) */
  id?: string;
  /** an `id:` value browsers ignore, as sent: it contains U+0000 (HTML §9.2.6) */
  ignoredId?: string;
  /** the `retry:` field when it is all ASCII digits (browsers ignore any other) */
  retry?: number;
  /** a `retry:` line was there, valid or not */
  hasRetry: boolean;
  /** the data lines, each without its "data:" prefix */
  dataLines: string[];
  /** the text the browser hands to the page: data lines joined with "\n" */
  data?: string;
  comments: string[];
  /** fields browsers ignore */
  unknownFields: string[];
  /** would EventSource fire an event for it? Not when no data line came (an id-only block only moves the last event id) */
  dispatched: boolean;
  /** false while the blank line that ends it has not arrived */
  complete: boolean;
  node: WireNode;
}

// ignoreBOM: a U+FEFF is kept in the line's text (one at the stream's very start is skipped below, HTML §9.2.5)
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const CR = 0x0d;
const LF = 0x0a;

interface Line {
  /** payload index of the line's first byte, of its terminator, and after the terminator */
  start: number;
  contentEnd: number;
  end: number;
  text: string;
  terminated: boolean;
}

/** Splits a payload into lines; an unterminated tail is a line with `terminated: false`. */
function splitLines(payload: Uint8Array, from: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  for (let index = from; index < payload.length; index += 1) {
    const byte = payload[index];
    if (byte !== CR && byte !== LF) continue;
    // A CR at the very end may be the first half of a CRLF still on its way; taking it as a line end is what browsers do too.
    const end = byte === CR && payload[index + 1] === LF ? index + 2 : index + 1;
    lines.push({ start, contentEnd: index, end, text: utf8.decode(payload.subarray(start, index)), terminated: true });
    start = end;
    index = end - 1;
  }
  if (start < payload.length)
    lines.push({ start, contentEnd: payload.length, end: payload.length, text: utf8.decode(payload.subarray(start)), terminated: false });
  return lines;
}

/**
 * Every event (block of lines) of a text/event-stream body, the unfinished last one included;
 * `nodes` are all of them in byte order with the byte order mark and stray blank lines.
 * `streamStart: false` for bytes from further on in a stream: a U+FEFF there is no byte order mark.
 */
export function decodeSseStream(payload: Uint8Array, offsets: PayloadOffsets, streamStart = true): { events: SseEvent[]; nodes: WireNode[] } {
  const hasBom = streamStart && payload[0] === 0xef && payload[1] === 0xbb && payload[2] === 0xbf;
  const events: SseEvent[] = [];
  const nodes: WireNode[] = [];
  if (hasBom) nodes.push({ kind: 'sse-bom', label: 'byte order mark (the browser skips it)', value: 'EF BB BF', range: rangeOf(offsets, 0, 3) });
  let block: Line[] = [];
  const finish = (blankLine: Line | null) => {
    const event = readBlock(block, blankLine, offsets);
    events.push(event);
    nodes.push(event.node);
    block = [];
  };
  for (const line of splitLines(payload, hasBom ? 3 : 0)) {
    const blank = line.contentEnd === line.start && line.terminated;
    if (!blank) block.push(line);
    else if (block.length > 0) finish(line);
    // A blank line with no block before it dispatches nothing: browsers skip it too.
    else nodes.push({ kind: 'sse-blank-line', label: 'blank line (no event before it)', range: rangeOf(offsets, line.start, line.end) });
  }
  if (block.length > 0) finish(null);
  return { events, nodes };
}

function readBlock(lines: Line[], blankLine: Line | null, offsets: PayloadOffsets): SseEvent {
  const children: WireNode[] = [];
  const event: SseEvent = {
    hasRetry: false,
    dataLines: [],
    comments: [],
    unknownFields: [],
    dispatched: false,
    complete: blankLine !== null,
    node: undefined as unknown as WireNode,
  };
  let eventField: string | undefined;
  for (const line of lines) {
    const range = rangeOf(offsets, line.start, line.end);
    if (line.text.startsWith(':')) {
      const comment = line.text.slice(1).replace(/^ /, '');
      event.comments.push(comment);
      children.push({
        kind: 'sse-comment',
        label: 'comment (the browser ignores it)',
        value: comment,
        range,
        ...(line.terminated ? {} : { error: 'incomplete' }),
      });
      continue;
    }
    const field = fieldNode(line, offsets);
    if (field.name === 'event') eventField = field.value;
    applyField(event, field);
    children.push(field.node);
  }
  if (event.dataLines.length > 0) {
    event.data = event.dataLines.join('\n');
    event.dispatched = event.complete;
    event.type = eventField === undefined || eventField === '' ? 'message' : eventField;
  } else if (eventField !== undefined) {
    event.type = eventField;
  }
  if (blankLine)
    children.push({
      kind: 'sse-blank-line',
      label: event.dataLines.length > 0 ? 'blank line: the event is complete, dispatch it' : 'blank line: end of block',
      range: rangeOf(offsets, blankLine.start, blankLine.end),
    });
  event.node = eventNode(event, lines, blankLine, children, offsets);
  return event;
}

interface SseField {
  name: string;
  value: string;
  node: WireNode;
}

/** One `name: value` line: the name, the value (one space after the colon dropped), their byte ranges. */
function fieldNode(line: Line, offsets: PayloadOffsets): SseField {
  const colon = line.text.indexOf(':');
  const name = colon === -1 ? line.text : line.text.slice(0, colon);
  const value = colon === -1 ? '' : line.text.slice(colon + 1).replace(/^ /, '');
  const nameBytes = new TextEncoder().encode(name).length;
  const fieldChildren: WireNode[] = [{ kind: 'sse-field-name', label: 'field name', value: name, range: rangeOf(offsets, line.start, line.start + nameBytes) }];
  if (colon !== -1) {
    const valueStart = line.start + nameBytes + 1 + (line.text[colon + 1] === ' ' ? 1 : 0);
    fieldChildren.push({ kind: 'sse-field-value', label: 'value', value, range: rangeOf(offsets, valueStart, line.contentEnd) });
  }
  const node: WireNode = { kind: 'sse-field', label: `${name}:`, value, range: rangeOf(offsets, line.start, line.end), children: fieldChildren };
  if (!line.terminated) node.error = 'incomplete';
  return { name, value, node };
}

/** What a field does to the event as the browser's EventSource reads it (HTML, "Interpreting an event stream"). */
function applyField(event: SseEvent, { name, value, node }: SseField): void {
  switch (name) {
    case 'data':
      event.dataLines.push(value);
      node.label = 'data: payload line';
      break;
    case 'event':
      node.label = 'event: event type';
      break;
    case 'id':
      if (value.includes('\u0000')) {
        event.ignoredId = value;
        node.error = 'id-with-null';
        node.label = 'id: ignored, it contains U+0000';
      } else {
        event.id = value;
        node.label = 'id: remembered, sent back as Last-Event-ID';
      }
      break;
    case 'retry':
      event.hasRetry = true;
      if (/^[0-9]+$/.test(value)) {
        event.retry = Number(value);
        node.label = 'retry: reconnection delay in ms';
      } else {
        node.error = 'retry-not-digits';
        node.label = 'retry: ignored, not digits only';
      }
      break;
    default:
      event.unknownFields.push(name);
      node.label = `${name}: unknown field, ignored`;
  }
}

/** The block's node, marked as one timeline message with its facts. */
function eventNode(event: SseEvent, lines: Line[], blankLine: Line | null, children: WireNode[], offsets: PayloadOffsets): WireNode {
  const first = lines[0];
  const last = blankLine ?? lines[lines.length - 1];
  const onlyComments = event.comments.length === lines.length;
  const summary = sseSummary(event, onlyComments);
  const node: WireNode = {
    kind: 'sse-event',
    label: onlyComments ? 'SSE comment' : `SSE event${event.type ? ` ${event.type}` : ''}`,
    value: summary,
    range: rangeOf(offsets, first.start, last.end),
    children,
    ...(event.complete ? {} : { error: 'incomplete' }),
  };
  const fields: Record<string, string | number | boolean> = {
    comment: onlyComments,
    hasRetry: event.hasRetry,
    dataLines: event.dataLines.length,
    dispatched: event.dispatched,
    complete: event.complete,
  };
  if (event.type !== undefined) fields.event = event.type;
  if (event.id !== undefined) fields.id = event.id;
  if (event.retry !== undefined) fields.retry = event.retry;
  markMessage(node, { layer: 'sse-event', summary, fields });
  return node;
}

function sseSummary(event: SseEvent, onlyComments: boolean): string {
  if (onlyComments) return `: ${clip(event.comments.join(' '), 60)}`;
  const parts: string[] = [];
  if (event.type !== undefined) parts.push(event.type);
  if (event.id !== undefined) parts.push(`id ${event.id}`);
  if (event.retry !== undefined) parts.push(`retry ${event.retry} ms`);
  if (event.data !== undefined) parts.push(clip(event.data, 60));
  if (!event.complete) parts.push('(unfinished)');
  return parts.join(' · ') || 'empty block';
}

function clip(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}

/** The SSE layer for wire/payload-layers.ts: any response body of type text/event-stream. */
export const sseLayer: PayloadLayer = {
  name: 'sse',
  accepts(context: PayloadContext): boolean {
    // HTTP/2 DATA says nothing about its direction; only a response's context names its request's headers
    const response = context.carrier === 'http-response-body' || (context.carrier === 'h2-data' && context.requestHeaders !== undefined);
    return response && context.contentType !== undefined && /^text\/event-stream\b/.test(context.contentType);
  },
  decode(payload, offsets): WireNode[] {
    return decodeSseStream(payload, offsets).nodes;
  },
};
