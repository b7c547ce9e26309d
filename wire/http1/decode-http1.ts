import type { ByteStream } from '../stream-assembler.ts';
import type { DecodedConnection, HttpExchange, HttpRequestMessage, HttpResponseMessage, WireNode } from '../types.ts';
import { Http1MessageReader, type ParsedMessage, type SkippedBytes } from './http1-message-reader.ts';
import type { DecodeMemo } from '../decode-memo.ts';
import { chunkedOffsets, contiguousOffsets, decodePayload, payloadLayerFor, type PayloadContext } from '../payload-layers.ts';

/** Every request in an inbound stream. Does not know about upgrades: use decodeHttp1Connection for a whole connection. */
export function decodeHttp1Requests(inbound: ByteStream): HttpRequestMessage[] {
  const reader = new Http1MessageReader(inbound, 'request');
  const requests: HttpRequestMessage[] = [];
  for (let message = reader.read(); message; message = reader.read()) requests.push(toRequest(message));
  return requests;
}

/**
 * Every response in an outbound stream; `requestMethods[i]` is the method of the request the
 * i-th final response answers (a HEAD response has no body). Stops after a 101.
 */
export function decodeHttp1Responses(outbound: ByteStream, requestMethods: readonly string[] = []): HttpResponseMessage[] {
  const reader = new Http1MessageReader(outbound, 'response');
  const responses: HttpResponseMessage[] = [];
  let answered = 0;
  for (let message = reader.read(requestMethods[answered]); message; message = reader.read(requestMethods[answered])) {
    const response = toResponse(message);
    responses.push(response);
    if (!isInterim(response)) answered += 1;
  }
  return responses;
}

/** The exchanges of one HTTP/1.1 connection: requests paired with their responses, in order. */
export function decodeHttp1Connection(inbound: ByteStream, outbound: ByteStream): HttpExchange[] {
  return inspectHttp1Connection(inbound, outbound).exchanges;
}

/**
 * Pairs each response with the oldest unanswered request that started before it (HTTP/1.1
 * answers in order, pipelined or not). After a `101 Switching Protocols` both directions stop:
 * the exchange's `upgrade` says where the next protocol begins.
 */
export function inspectHttp1Connection(
  inbound: ByteStream,
  outbound: ByteStream,
  transport: HttpExchange['transport'] = 'http/1.1',
  memo?: DecodeMemo,
): Pick<DecodedConnection, 'exchanges' | 'notes'> {
  const requests = new Http1MessageReader(inbound, 'request', memo);
  const responses = new Http1MessageReader(outbound, 'response', memo);
  const exchanges: HttpExchange[] = [];
  const unanswered: HttpExchange[] = [];
  const notes: DecodedConnection['notes'] = [];

  const readRequest = (): void => {
    const message = requests.read();
    if (!message) return;
    const exchange: HttpExchange = { conn: inbound.conn, index: exchanges.length, transport, request: toRequest(message) };
    exchanges.push(exchange);
    unanswered.push(exchange);
  };

  let upgraded: HttpExchange | undefined;
  for (let next = responses.peek(); next; next = responses.peek()) {
    for (let request = requests.peek(); request && request.t <= next.t; request = requests.peek()) readRequest();
    const exchange = unanswered[0];
    const message = responses.read(exchange?.request.method);
    if (!message) break;
    const response = toResponse(message);
    if (!exchange) {
      notes.push({ dir: 'out', node: { ...response.tree, error: response.tree.error ?? 'response-without-recorded-request' } });
      continue;
    }
    if (isInterim(response)) {
      (exchange.interim ??= []).push(response);
      continue;
    }
    exchange.response = response;
    unanswered.shift();
    decodeBodyLayers(response, { carrier: 'http-response-body', path: exchange.request.path, requestHeaders: exchange.request.headers, memo });
    if (message.framing === 'upgrade' || message.framing === 'tunnel') {
      exchange.upgrade = {
        protocol: message.framing === 'tunnel' ? 'tunnel' : (headerValue(response.headers, 'upgrade') ?? '').toLowerCase(),
        inboundOffset: exchange.request.range.end,
        outboundOffset: response.range.end,
      };
      upgraded = exchange;
      requests.stop();
      break;
    }
  }
  if (!upgraded) {
    while (requests.peek()) readRequest();
  }
  for (const exchange of exchanges) decodeBodyLayers(exchange.request, { carrier: 'http-request-body', path: exchange.request.path, memo });

  for (const skipped of requests.skipped) notes.push({ dir: 'in', node: skippedNode(skipped) });
  for (const skipped of responses.skipped) notes.push({ dir: 'out', node: skippedNode(skipped) });
  if (upgraded?.upgrade) {
    const { protocol, inboundOffset, outboundOffset } = upgraded.upgrade;
    for (const [dir, stream, start] of [
      ['in', inbound, inboundOffset],
      ['out', outbound, outboundOffset],
    ] as const) {
      if (stream.end > start) {
        notes.push({
          dir,
          node: {
            kind: 'upgraded',
            label: `After the upgrade: ${protocol || 'another protocol'}`,
            value: `${stream.end - start} bytes`,
            range: { start, end: stream.end },
            error: 'not-decoded-yet',
          },
        });
      }
    }
  }
  return { exchanges, notes };
}

/**
 * Hands the body to the layer that reads its content (wire/payload-layers.ts) and hangs
 * what it found under the body node.
 */
function decodeBodyLayers(
  message: HttpRequestMessage | HttpResponseMessage,
  context: Pick<PayloadContext, 'carrier' | 'path' | 'requestHeaders' | 'memo'>,
): void {
  const bodyNode = message.tree.children?.find((child) => child.kind === 'body');
  if (!bodyNode || message.body.length === 0) return;
  // A complete message comes again from the reader's memo (the same tree) with what its layer
  // found hung under its body already: hanging it again would show it twice.
  const layered = context.memo?.table<WireNode, true>('h1-body-layered');
  if (layered?.get(message.tree)) return;
  const full: PayloadContext = {
    ...context,
    contentType: headerValue(message.headers, 'content-type')?.toLowerCase(),
    headers: message.headers,
    complete: message.complete,
  };
  if (!payloadLayerFor(full)) return;
  const chunkData = (bodyNode.children ?? []).flatMap((chunk) => chunk.children?.filter((part) => part.kind === 'chunk-data').map((part) => part.range) ?? []);
  const offsets = chunkData.length > 0 ? chunkedOffsets(chunkData) : contiguousOffsets(bodyNode.range.start);
  const decoded = decodePayload(message.body, offsets, full);
  if (decoded.length > 0) bodyNode.children = [...(bodyNode.children ?? []), ...decoded];
  layered?.set(message.tree, true);
}

function skippedNode(skipped: SkippedBytes): WireNode {
  return skipped.reason === 'gap'
    ? {
        kind: 'skipped',
        label: 'Bytes after a gap in the recording, before the next start line',
        value: `${skipped.range.end - skipped.range.start} bytes`,
        range: skipped.range,
        error: 'after-gap',
      }
    : { kind: 'empty-line', label: 'Empty line between messages', range: skipped.range };
}

function isInterim(response: HttpResponseMessage): boolean {
  return response.status >= 100 && response.status < 200 && response.status !== 101 && response.complete;
}

function headerValue(headers: HttpRequestMessage['headers'], name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

function toRequest(message: ParsedMessage): HttpRequestMessage {
  const [method, target, version] = message.startLine;
  const { path, query } = splitTarget(target);
  return {
    method,
    target,
    path,
    query,
    version,
    headers: message.headers,
    body: message.body,
    range: message.range,
    bodyStart: message.bodyStart,
    firstByteAt: message.firstByteAt,
    lastByteAt: message.lastByteAt,
    complete: message.complete,
    ...(message.afterGap ? { afterGap: true } : {}),
    tree: message.tree,
  };
}

function toResponse(message: ParsedMessage): HttpResponseMessage {
  const [version, status, reason] = message.startLine;
  return {
    version,
    status: /^\d{3}$/.test(status) ? Number(status) : 0,
    reason,
    headers: message.headers,
    body: message.body,
    range: message.range,
    bodyStart: message.bodyStart,
    firstByteAt: message.firstByteAt,
    lastByteAt: message.lastByteAt,
    complete: message.complete,
    ...(message.afterGap ? { afterGap: true } : {}),
    tree: message.tree,
  };
}

/** Path and decoded query of a request-target (origin form, or absolute form for proxies). */
export function splitTarget(target: string): { path: string; query: Array<[string, string]> } {
  let rest = target;
  const absolute = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(rest);
  if (absolute) rest = rest.slice(absolute[0].length) || '/';
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question === -1) return { path: rest, query: [] };
  const query: Array<[string, string]> = [];
  for (const [key, value] of new URLSearchParams(rest.slice(question + 1))) query.push([key, value]);
  return { path: rest.slice(0, question), query };
}
