import type http from 'node:http';

// RFC 9110 §7.8: a server that does not take an upgrade serves the request as if Upgrade were
// absent. Wirelab takes only WebSocket upgrades; curl --http2 sends `Upgrade: h2c` (with
// `HTTP2-Settings`) on every plain-text request, and h2c upgrades are deprecated (RFC 9113 §3.1).
// Node hands every request with an Upgrade to the 'upgrade' listeners once there are any (its
// shouldUpgradeCallback, which could say no, came in Node 24.9 only), so the request is given back
// to the HTTP/1.1 parser without its upgrade.

/** The header fields that only offer an upgrade; dropped, with their names in `Connection`. */
const UPGRADE_FIELDS = new Set(['upgrade', 'http2-settings']);

/** Does this request offer a WebSocket (RFC 6455 §4.1: `websocket` among Upgrade's protocols)? */
export function isWebSocketUpgrade(req: http.IncomingMessage): boolean {
  const offered = req.headers.upgrade ?? '';
  return offered.split(',').some((protocol) => protocol.trim().toLowerCase() === 'websocket');
}

/**
 * The request's head as the client sent it, less the upgrade offer: its request line, its header
 * fields in their order and spelling but Upgrade, HTTP2-Settings and their tokens in Connection
 * (a Connection left empty is dropped). The body's first bytes (`head`) follow it.
 */
export function headWithoutUpgrade(req: http.IncomingMessage): Buffer {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    let value = req.rawHeaders[i + 1];
    if (UPGRADE_FIELDS.has(name.toLowerCase())) continue;
    if (name.toLowerCase() === 'connection') {
      value = value
        .split(',')
        .map((token) => token.trim())
        .filter((token) => token !== '' && !UPGRADE_FIELDS.has(token.toLowerCase()))
        .join(', ');
      if (value === '') continue;
    }
    lines.push(`${name}: ${value}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
