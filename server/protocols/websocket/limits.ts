/** Every raw WebSocket endpoint lives under this path; the one-port listener routes its upgrades here. */
export const WEBSOCKET_PATH_PREFIX = '/ws/';
export const ECHO_PATH = '/ws/echo';
export const CHAT_PATH = '/ws/chat';
/** The one subprotocol of /ws/chat (the lesson negotiates it). */
export const CHAT_SUBPROTOCOL = 'wirelab.chat.v1';

/** The limits of the raw WebSocket endpoints; each is documented in README.md beside this file. */
export interface WebSocketLimits {
  /** Bytes of one message (all its fragments together); larger: close 1009. */
  maxMessageBytes: number;
  /** Open /ws/* connections per browser session (without one: per sandbox and IP address). */
  maxConnectionsPerSession: number;
  /** Members of one chat room (one sandbox). */
  maxChatMembers: number;
  /** Bytes queued for a client that does not read; past it the server gives up on it (close 1013). */
  maxBufferedBytes: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = {
  // A chat line or an echo test is small; "a few tens of kilobytes" (the lesson's exercise) must not pass.
  maxMessageBytes: 16 * 1024,
  // A lesson page holds two consoles; several tabs and reconnects fit, a script opening hundreds does not.
  maxConnectionsPerSession: 20,
  // One sandbox is usually one student; the shared sandbox and the broadcast benchmark (bench/websocket.ts) need more.
  maxChatMembers: 500,
  maxBufferedBytes: 1024 * 1024,
};

/** The server pings every connection this often unless the client asks otherwise (`?ping=`). */
export const DEFAULT_PING_INTERVAL_MS = 10_000;
/** Bounds of `?ping=` and of the `ping-interval` command: fast enough to watch, never a flood. */
export const MIN_PING_INTERVAL_MS = 1_000;
export const MAX_PING_INTERVAL_MS = 60_000;
/** A ping payload, like every control frame's, is at most 125 bytes (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD_BYTES = 125;
/** A close reason fits in a control frame after the 2-byte code. */
export const MAX_CLOSE_REASON_BYTES = 123;
/** Frames one message may be split into on request (`?fragments=`, the `fragment` command). */
export const MAX_FRAGMENTS = 64;
/** Characters of one chat message and of a chat name. */
export const MAX_CHAT_TEXT_CHARS = 1000;
export const MAX_CHAT_NAME_CHARS = 40;
/** Chat messages a connection may send per second (a token bucket with the same burst). */
export const MAX_CHAT_MESSAGES_PER_SECOND = 10;

/** Close codes this server sends (README.md, "Close codes"). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
  tooBig: 1009,
  tryAgainLater: 1013,
} as const;
