import type { HeaderList, HttpExchange, WireNode } from '../types.ts';
import { encodeBase64 } from '../base64.ts';
import { sha1 } from './sha1.ts';

/** The GUID every server appends to the client's key (RFC 6455 §1.3). */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** base64(SHA-1(key + GUID)): what the server must answer in Sec-WebSocket-Accept. */
export function computeWebSocketAccept(key: string): string {
  return encodeBase64(sha1(new TextEncoder().encode(key.trim() + WEBSOCKET_GUID)));
}

export interface WebSocketHandshake {
  /** Sec-WebSocket-Key of the request */
  key?: string;
  /** what the server should have answered */
  expectedAccept?: string;
  /** Sec-WebSocket-Accept of the 101 response */
  accept?: string;
  /** both present and equal */
  acceptMatches: boolean;
  /** what the client offered (Sec-WebSocket-Protocol of the request, split) */
  offeredSubprotocols: string[];
  /** what the server chose (Sec-WebSocket-Protocol of the response), '' for none */
  subprotocol: string;
  /** Sec-WebSocket-Extensions of the response, '' for none */
  extensions: string;
  /** permessage-deflate was negotiated: data frames may have RSV1 set and carry compressed bytes */
  deflate: boolean;
}

/** Reads the handshake of an upgraded exchange and checks the server's accept value. */
export function readWebSocketHandshake(exchange: HttpExchange): WebSocketHandshake {
  const requestHeaders = exchange.request.headers;
  const responseHeaders = exchange.response?.headers ?? [];
  const key = headerValue(requestHeaders, 'sec-websocket-key');
  const accept = headerValue(responseHeaders, 'sec-websocket-accept');
  const expectedAccept = key !== undefined ? computeWebSocketAccept(key) : undefined;
  const extensions = headerValue(responseHeaders, 'sec-websocket-extensions') ?? '';
  return {
    key,
    expectedAccept,
    accept,
    acceptMatches: expectedAccept !== undefined && accept !== undefined && accept.trim() === expectedAccept,
    offeredSubprotocols: allValues(requestHeaders, 'sec-websocket-protocol')
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean),
    subprotocol: headerValue(responseHeaders, 'sec-websocket-protocol')?.trim() ?? '',
    extensions,
    deflate: /(^|,)\s*permessage-deflate\b/i.test(extensions),
  };
}

/**
 * Hangs the check under the response's Sec-WebSocket-Accept header node (or under the response
 * when the header is missing), so the inspector shows it where the student looks.
 */
export function annotateHandshake(exchange: HttpExchange, handshake: WebSocketHandshake): void {
  const response = exchange.response;
  if (!response) return;
  const header = findHeader(response.tree, 'sec-websocket-accept');
  const parent = header ?? response.tree;
  const range = header?.range ?? { start: response.range.start, end: response.range.start };
  const node: WireNode = {
    kind: 'ws-accept-check',
    label: 'Sec-WebSocket-Accept check',
    value:
      handshake.key === undefined
        ? 'the request has no Sec-WebSocket-Key'
        : handshake.accept === undefined
          ? `missing; expected ${handshake.expectedAccept}`
          : handshake.acceptMatches
            ? `matches base64(SHA-1(key + ${WEBSOCKET_GUID}))`
            : `does not match: expected ${handshake.expectedAccept}`,
    range,
    children: [
      { kind: 'ws-key', label: 'Sec-WebSocket-Key (request)', value: handshake.key ?? '—', range },
      { kind: 'ws-guid', label: 'GUID (RFC 6455)', value: WEBSOCKET_GUID, range },
      { kind: 'ws-expected-accept', label: 'base64(SHA-1(key + GUID))', value: handshake.expectedAccept ?? '—', range },
    ],
    ...(handshake.acceptMatches ? {} : { error: handshake.accept === undefined ? 'accept-missing' : 'accept-mismatch' }),
  };
  parent.children = [...(parent.children ?? []), node];
}

function findHeader(node: WireNode, name: string): WireNode | undefined {
  if (node.kind === 'header' && node.label.toLowerCase() === name) return node;
  for (const child of node.children ?? []) {
    const found = findHeader(child, name);
    if (found) return found;
  }
  return undefined;
}

function headerValue(headers: HeaderList, name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

function allValues(headers: HeaderList, name: string): string[] {
  return headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}
