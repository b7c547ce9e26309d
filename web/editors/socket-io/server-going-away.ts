// How socket.io-client tells that the server went away (stopped, or is restarting), as opposed
// to a network that dropped: its `disconnect` comes with reason `transport close` and the
// transport's details (engine.io-client 6: build/esm/transports/websocket.js passes the
// WebSocket's CloseEvent as `context`; transports/polling.js says "transport closed by the
// server" when a poll's answer is Engine.IO's close packet). Wirelab's server, stopping, closes
// an Engine.IO WebSocket with 1001 and answers a held poll with that close packet
// (server/protocols/socket-io/README.md, "Shutdown").

import { GOING_AWAY } from '../../../wire/websocket/close-codes.ts';

const POLL_CLOSED_BY_SERVER = 'transport closed by the server';

/** What the wire showed of the server going away. */
export type ServerGoingAway = { transport: 'websocket'; code: number; reason: string } | { transport: 'polling' };

/** The server going away, read from socket.io-client's `disconnect` reason and details; null for anything else. */
export function serverGoingAway(reason: string, details: unknown): ServerGoingAway | null {
  if (reason !== 'transport close' || typeof details !== 'object' || details === null) return null;
  const { description, context } = details as { description?: unknown; context?: unknown };
  if (description === POLL_CLOSED_BY_SERVER) return { transport: 'polling' };
  const close = context as { code?: unknown; reason?: unknown } | null | undefined;
  if (typeof close?.code === 'number' && close.code === GOING_AWAY) {
    return { transport: 'websocket', code: close.code, reason: typeof close.reason === 'string' ? close.reason : '' };
  }
  return null;
}
