import type { Bilingual } from '../../shared/bilingual.ts';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE } from './problem.ts';

/** The WebSocket protocol version this server speaks (RFC 6455 §4.1: 13; the drafts' 8 is not). */
export const WEBSOCKET_VERSION = '13';

export interface HandshakeRefusal {
  status: number;
  /** headers the refusal must carry besides its own Content-Type/Length and Connection */
  headers: Record<string, string>;
  text: Bilingual;
}

/**
 * What `ws` would answer differently from RFC 6455 in an opening handshake, checked before `ws`
 * sees it (`ws` accepts version 8 as well as 13, and refuses a method other than GET with a 405
 * that has no `Allow`):
 * - not GET (§4.2.1 item 1: "An HTTP/1.1 or higher GET request"): 405 Method Not Allowed with
 *   `Allow: GET`, which RFC 9110 §15.5.6 requires of a 405 — the "appropriate error code" §4.2.1
 *   asks for, naming the method as the fault;
 * - a `Sec-WebSocket-Version` other than 13 (§4.2.2 item 4, §4.4): 426 Upgrade Required with
 *   `Sec-WebSocket-Version: 13`, the version the server understands (and `Upgrade: websocket`,
 *   which RFC 9110 §15.5.22 requires of a 426).
 * A handshake with no version at all is malformed, not another version: left to `ws`'s 400, as
 * is a missing or bad `Sec-WebSocket-Key`. null: nothing to refuse here.
 */
export function handshakeRefusal(req: Pick<IncomingMessage, 'method' | 'headers'>): HandshakeRefusal | null {
  if (req.method !== 'GET') {
    return {
      status: 405,
      headers: { Allow: 'GET' },
      text: {
        en: `A WebSocket opening handshake is a GET request (RFC 6455 §4.2.1), not ${req.method}.`,
        ru: `Открытие WebSocket — это GET-запрос (RFC 6455 §4.2.1), а не ${req.method}.`,
      },
    };
  }
  const version = req.headers['sec-websocket-version'];
  if (version !== undefined && version.trim() !== WEBSOCKET_VERSION) {
    return {
      status: 426,
      headers: { 'Sec-WebSocket-Version': WEBSOCKET_VERSION, Upgrade: 'websocket' },
      text: {
        en: `This server speaks WebSocket version ${WEBSOCKET_VERSION} only (RFC 6455); Sec-WebSocket-Version was ${version}.`,
        ru: `Этот сервер говорит только на WebSocket версии ${WEBSOCKET_VERSION} (RFC 6455), а в Sec-WebSocket-Version указано ${version}.`,
      },
    };
  }
  return null;
}

/**
 * An upgrade refused before any WebSocket exists: a plain HTTP/1.1 answer (problem+json, `detail`
 * in English, `localized` in both languages), then the connection ends. For upgrades handed over
 * as a raw socket (the one-port server's upgrade routes), where no Fastify reply exists.
 */
export function refuseUpgrade(socket: Duplex, status: number, text: Bilingual, path: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({
    type: `${PROBLEM_TYPE_BASE}websocket-refused`,
    title: STATUS_CODES[status],
    status,
    detail: text.en,
    instance: path,
    localized: text,
  });
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // A refusal that names Upgrade must list it in Connection too (RFC 9110 §7.8).
  const connection = 'Upgrade' in headers ? 'Upgrade, close' : 'close';
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${extra}Content-Type: ${PROBLEM_MEDIA_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: ${connection}\r\n\r\n${body}`,
  );
}
