import { collectMarkedMessages, markMessage } from '../message-marks.ts';
import { isGraphqlPath } from '../payload-kinds.ts';
import { ru, ruSummary, russianTextOf } from '../node-text.ts';
import { countRu } from '../../shared/russian-plural.ts';
import { rangeOf, type PayloadContext, type PayloadLayer, type PayloadOffsets } from '../payload-layers.ts';
import type { ByteStream } from '../stream-assembler.ts';
import type { HttpExchange, WireMessage, WireNode } from '../types.ts';
import { decodeGraphqlDocument } from './graphql-document.ts';
import { clip, decodeExecutionResult, decodeGraphqlRequest, type Facts } from './graphql-payload.ts';
import { readJsonWithRanges, type JsonNode } from '../json/json-ranges.ts';

// GraphQL over HTTP (graphql-over-http spec): a POST body {query, variables, operationName} or a
// batch [{…}, {…}]; a GET with the same names in the query string; the answer {data, errors,
// extensions} (or an array, for a batch). Each operation and each result is a WireMessage of
// layer 'graphql-http' (fields in README.md), so exercises can check what the student sent.

export const GRAPHQL_HTTP_LAYER = 'graphql-http';

/** Whether a request path is a GraphQL endpoint: ours is /graphql. */
export { isGraphqlPath };

const JSONISH = /^(application\/(json|graphql-response\+json|graphql)|text\/plain)\b/;

export const graphqlHttpLayer: PayloadLayer = {
  name: GRAPHQL_HTTP_LAYER,
  accepts(context: PayloadContext): boolean {
    if (context.carrier !== 'http-request-body' && context.carrier !== 'http-response-body' && context.carrier !== 'h2-data') return false;
    if (context.contentType?.startsWith('application/graphql-response+json')) return true;
    if (!isGraphqlPath(context.path)) return false;
    return context.contentType === undefined || JSONISH.test(context.contentType);
  },
  decode(payload, offsets, context): WireNode[] {
    // HTTP/2 DATA says nothing about its direction; only a response's context names its request's headers.
    const direction =
      context.carrier === 'http-request-body' || (context.carrier === 'h2-data' && context.requestHeaders === undefined) ? 'request' : 'response';
    if (direction === 'request' && context.contentType?.startsWith('application/graphql')) {
      return [documentBody(payload, offsets)];
    }
    const { json, error } = readJsonWithRanges(payload);
    if (error) {
      // A body cut short by an unfinished capture is not a syntax error yet.
      if (!context.complete) return [];
      const at = error.at;
      return [
        ru(
          {
            kind: 'graphql-invalid-json',
            label: `GraphQL ${direction}: not JSON`,
            value: (error as Error).message,
            range: rangeOf(offsets, Math.min(at, payload.length - 1), Math.min(at + 1, payload.length)),
            error: 'invalid-json',
          },
          direction === 'request' ? 'запрос GraphQL: не JSON' : 'ответ GraphQL: не JSON',
        ),
      ];
    }
    if (json.type === 'array') {
      // A batch: several operations in one request, an array of results in the answer.
      const nodes = json.items.map((item, index) => decodeOne(item, offsets, direction, { batchIndex: index, batchSize: json.items.length }));
      const count = json.items.length;
      return [
        ru(
          {
            kind: 'graphql-batch',
            label: `GraphQL batch of ${count} ${direction === 'request' ? 'operations' : 'results'}`,
            range: rangeOf(offsets, json.start, json.end),
            children: nodes,
          },
          `пакет GraphQL: ${direction === 'request' ? countRu(count, 'операция', 'операции', 'операций') : countRu(count, 'результат', 'результата', 'результатов')}`,
        ),
      ];
    }
    return [decodeOne(json, offsets, direction)];
  },
};

function decodeOne(json: JsonNode, offsets: PayloadOffsets, direction: 'request' | 'response', batch?: { batchIndex: number; batchSize: number }): WireNode {
  const { node, facts } = direction === 'request' ? decodeGraphqlRequest(json, offsets) : decodeExecutionResult(json, offsets);
  const all: Facts = { part: direction, ...facts, ...(batch ? { batchIndex: batch.batchIndex, batchSize: batch.batchSize } : {}) };
  // A result's summary is its value ("no data · 1 error"), which has a Russian version.
  if (direction === 'response') ruSummary(node, russianTextOf(node)?.value ?? summaryOf(direction, all, node));
  return markMessage(node, { layer: GRAPHQL_HTTP_LAYER, summary: summaryOf(direction, all, node), fields: all });
}

function summaryOf(direction: 'request' | 'response', facts: Facts, node: WireNode): string {
  if (direction === 'request') {
    const head = [facts.operationType ?? 'operation', facts.operationName].filter((part) => part !== undefined).join(' ');
    return [head, facts.selection !== undefined ? clip(String(facts.selection), 60) : '', facts.error ?? ''].filter(Boolean).join(' · ');
  }
  return node.value ?? 'result';
}

/** Content-Type application/graphql: the body is the document itself. */
function documentBody(payload: Uint8Array, offsets: PayloadOffsets): WireNode {
  const { text, charStarts } = utf8WithStarts(
    Array.from(payload),
    Array.from(payload, (_, index) => index),
  );
  const document = decodeGraphqlDocument(text, (startChar, endChar) => rangeOf(offsets, charStarts[startChar], charStarts[endChar]));
  const facts: Facts = { part: 'request', operations: document.facts.operations };
  if (document.facts.operationType) facts.operationType = document.facts.operationType;
  if (document.facts.operationName) facts.operationName = document.facts.operationName;
  if (document.facts.selection !== undefined) facts.selection = document.facts.selection;
  if (document.facts.rootFields !== undefined) facts.rootFields = document.facts.rootFields;
  if (document.facts.depth !== undefined) facts.depth = document.facts.depth;
  if (document.facts.aliases !== undefined) facts.aliases = document.facts.aliases;
  const node = ru<WireNode>(
    { kind: 'graphql-request', label: 'GraphQL request (application/graphql)', range: rangeOf(offsets, 0, payload.length), children: [document.node] },
    'запрос GraphQL (application/graphql)',
  );
  return markMessage(node, { layer: GRAPHQL_HTTP_LAYER, summary: summaryOf('request', facts, node), fields: facts });
}

/**
 * Bytes (each with where it came from) as text, with each UTF-16 unit's source position and one
 * more entry for the end. Invalid UTF-8 becomes U+FFFD.
 */
export function utf8WithStarts(bytes: number[], sources: number[]): { text: string; charStarts: number[] } {
  let text = '';
  const charStarts: number[] = [];
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index];
    let size = byte < 0x80 ? 1 : byte >= 0xf8 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    let codePoint = size === 1 ? (byte < 0x80 ? byte : 0xfffd) : byte & (0xff >> (size + 1));
    for (let next = 1; next < size; next += 1) {
      const continuation = bytes[index + next];
      // a sequence cut short or broken: its lead byte alone becomes U+FFFD, the next byte starts anew
      if (continuation === undefined || (continuation & 0xc0) !== 0x80) {
        codePoint = 0xfffd;
        size = 1;
        break;
      }
      codePoint = (codePoint << 6) | (continuation & 0x3f);
    }
    // above U+10FFFF, a surrogate or an overlong form: not a character (percent-encoding can spell any byte)
    const shortest = size === 2 ? 0x80 : size === 3 ? 0x800 : size === 4 ? 0x10000 : 0;
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint < shortest) codePoint = 0xfffd;
    const character = String.fromCodePoint(codePoint);
    text += character;
    for (let unit = 0; unit < character.length; unit += 1) charStarts.push(sources[index]);
    index += size;
  }
  charStarts.push(bytes.length > 0 ? sources[bytes.length - 1] + 1 : (sources[0] ?? 0));
  return { text, charStarts };
}

interface QueryParameter {
  name: string;
  value: string;
  /** stream offset of each character of `value`, and of its end */
  charStarts: number[];
  /** the whole name=value pair in the stream */
  range: { start: number; end: number };
}

/** Query-string parameters with the stream offset of each decoded character (percent-decoding, "+" as space). */
export function queryParametersWithRanges(target: string, targetStart: number): QueryParameter[] {
  const question = target.indexOf('?');
  if (question < 0) return [];
  const parameters: QueryParameter[] = [];
  let pairStart = question + 1;
  for (const pair of target.slice(question + 1).split('&')) {
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const valueStart = equals < 0 ? pairStart + pair.length : pairStart + equals + 1;
    const raw = equals < 0 ? '' : pair.slice(equals + 1);
    const bytes: number[] = [];
    const sources: number[] = [];
    for (let index = 0; index < raw.length; index += 1) {
      const source = targetStart + valueStart + index;
      if (raw[index] === '%' && /^[0-9a-fA-F]{2}$/.test(raw.slice(index + 1, index + 3))) {
        bytes.push(parseInt(raw.slice(index + 1, index + 3), 16));
        sources.push(source);
        index += 2;
      } else {
        bytes.push(raw[index] === '+' ? 0x20 : raw.charCodeAt(index) & 0xff);
        sources.push(source);
      }
    }
    const { text, charStarts } = utf8WithStarts(bytes, sources);
    charStarts[charStarts.length - 1] = targetStart + valueStart + raw.length;
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // a malformed escape in a name: show it as sent
    }
    parameters.push({ name, value: text, charStarts, range: { start: targetStart + pairStart, end: targetStart + pairStart + pair.length } });
    pairStart += pair.length + 1;
  }
  return parameters;
}

/**
 * GET /graphql?query=…: the operation travels in the request target, not in a body, so no
 * payload layer sees it. This hangs a 'graphql-http' node under the request-target node of each
 * such exchange and returns it as WireMessages (the connection decoder merges them).
 */
export function graphqlQueryStringMessages(
  exchanges: readonly HttpExchange[],
  streams: { in: ByteStream },
  groupOf?: (exchange: HttpExchange) => string | undefined,
): WireMessage[] {
  const found: WireMessage[] = [];
  for (const exchange of exchanges) {
    const { request } = exchange;
    if (request.method !== 'GET' || !isGraphqlPath(request.path)) continue;
    // HTTP/1.1: the request line's target, character by character. HTTP/2: the :path field, whose
    // bytes are HPACK (often Huffman-coded), so every part of it points at the whole field.
    const requestTarget = request.tree.children?.find((child) => child.kind === 'request-line')?.children?.find((child) => child.kind === 'request-target');
    const pathField = requestTarget
      ? undefined
      : request.tree.children?.find((child) => child.kind === 'headers')?.children?.find((child) => child.kind === 'header' && child.label === ':path');
    const targetNode = requestTarget ?? pathField;
    if (!targetNode) continue;
    const whole = pathField ? { start: pathField.range.start, end: pathField.range.end } : undefined;
    const parameters = queryParametersWithRanges(request.target, targetNode.range.start).map((parameter) =>
      whole ? { ...parameter, range: whole } : parameter,
    );
    const query = parameters.find((parameter) => parameter.name === 'query');
    if (!query) continue;
    const operationName = parameters.find((parameter) => parameter.name === 'operationName')?.value || undefined;
    const document = decodeGraphqlDocument(
      query.value,
      (startChar, endChar) => whole ?? { start: query.charStarts[startChar], end: Math.max(query.charStarts[startChar], query.charStarts[endChar]) },
      operationName,
    );
    const children: WireNode[] = [
      ru(
        { kind: 'graphql-query', label: 'query=: the GraphQL document, percent-encoded', range: query.range, children: [document.node] },
        'query=: документ GraphQL в процентной кодировке',
      ),
    ];
    for (const name of ['operationName', 'variables', 'extensions']) {
      const parameter = parameters.find((candidate) => candidate.name === name);
      if (!parameter) continue;
      let value = parameter.value;
      if (name !== 'operationName') {
        try {
          value = JSON.stringify(JSON.parse(parameter.value));
        } catch {
          // shown as sent; the server answers a malformed value with an error
        }
      }
      children.push({ kind: name === 'operationName' ? 'graphql-operation-name' : `graphql-${name}`, label: name, value: clip(value), range: parameter.range });
    }
    const facts: Facts = { part: 'request', method: 'GET', operations: document.facts.operations };
    if (document.facts.operationType) facts.operationType = document.facts.operationType;
    if (document.facts.operationName ?? operationName) facts.operationName = (document.facts.operationName ?? operationName)!;
    if (document.facts.selection !== undefined) facts.selection = document.facts.selection;
    if (document.facts.rootFields !== undefined) facts.rootFields = document.facts.rootFields;
    if (document.facts.depth !== undefined) facts.depth = document.facts.depth;
    if (document.facts.aliases !== undefined) facts.aliases = document.facts.aliases;
    if (document.facts.syntaxError) facts.error = 'syntax-error';
    const node = ru<WireNode>(
      {
        kind: 'graphql-request',
        label: `GraphQL ${document.facts.operationType ?? 'operation'} in the query string`,
        value: document.facts.selection ? clip(document.facts.selection, 80) : '',
        range: whole ?? { start: targetNode.range.start + request.target.indexOf('?') + 1, end: targetNode.range.end },
        children,
      },
      `GraphQL ${document.facts.operationType ?? 'операция'} в строке запроса`,
    );
    markMessage(node, { layer: GRAPHQL_HTTP_LAYER, summary: `GET · ${summaryOf('request', facts, node)}`, fields: facts });
    targetNode.children = [...(targetNode.children ?? []).filter((child) => child.kind !== 'graphql-request'), node];
    const group = groupOf?.(exchange) ?? `exchange ${exchange.index}`;
    for (const message of collectMarkedMessages(node, exchange.conn, 'in', streams.in)) found.push({ ...message, group });
  }
  return found;
}
