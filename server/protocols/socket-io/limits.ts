/** Where Engine.IO answers: Socket.IO's default path, which every client library assumes. */
export const SOCKET_IO_PATH = '/socket.io/';

/** The limits of the Socket.IO server; each is documented in README.md beside this file. */
export interface SocketIoLimits {
  /** Largest Engine.IO payload (a polling body, a WebSocket message); the handshake tells clients as `maxPayload`. */
  maxHttpBufferSize: number;
  /** Engine.IO sessions open at once per browser session (without one: per sandbox and IP address). */
  maxConnectionsPerSession: number;
  /** Events a socket may send per second (a token bucket: this many per second, the same as a burst). */
  maxEventsPerSecond: number;
  /** Chat rooms one socket may be in at once. */
  maxRoomsPerSocket: number;
  /** Characters of one chat message. */
  maxMessageLength: number;
  /** Characters of a room name. */
  maxRoomNameLength: number;
  /** Characters of the name a client gives in its `auth`. */
  maxNameLength: number;
}

export const DEFAULT_SOCKET_IO_LIMITS: SocketIoLimits = {
  // A chat message is at most a few KiB of JSON; a classroom server does not need Engine.IO's 1 MB default.
  maxHttpBufferSize: 64 * 1024,
  // A lesson page holds three consoles; a few tabs and reconnects fit, a script opening hundreds does not.
  maxConnectionsPerSession: 20,
  maxEventsPerSecond: 20,
  maxRoomsPerSocket: 10,
  maxMessageLength: 500,
  maxRoomNameLength: 40,
  maxNameLength: 40,
};

/** Engine.IO's defaults, named here because the lesson quotes them from the open packet. */
export const PING_INTERVAL_MS = 25_000;
export const PING_TIMEOUT_MS = 20_000;
/** How long a new WebSocket may take to answer `2probe` before the client stays on polling. */
export const UPGRADE_TIMEOUT_MS = 10_000;
/** An Engine.IO session that never sends CONNECT (a raw WebSocket client typing slowly) is closed after this. */
export const CONNECT_TIMEOUT_MS = 45_000;
/**
 * With several instances: how long a room's member count or listing waits for the other
 * instances (the Redis adapter's `requestsTimeout`); one that has not answered by then is left out.
 */
export const ROOM_QUERY_TIMEOUT_MS = 2_000;
/** A flooding socket hears about it at most this often, so the warnings cannot become a flood themselves. */
export const RATE_LIMIT_NOTICE_INTERVAL_MS = 1_000;
