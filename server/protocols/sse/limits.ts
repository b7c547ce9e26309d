import { EVENTS_PATH, GAP_EVENT, SHUTDOWN_EVENT } from '../../../contracts/sse/events.ts';

/** The stream's path and its own event names are the contract's (contracts/sse/). */
export { EVENTS_PATH, GAP_EVENT, SHUTDOWN_EVENT };

/** Sent as `retry:` first on every stream: how long a browser waits before it reconnects. */
export const RETRY_MS = 3_000;
/** On shutdown the last `retry:` asks for a longer wait, so the restarted server is not stormed. */
export const SHUTDOWN_RETRY_MS = 5_000;
/** A comment (`: keep-alive`) goes out after this much silence; `?heartbeat=<s>` changes it. */
export const DEFAULT_HEARTBEAT_S = 15;
export const MIN_HEARTBEAT_S = 1;
export const MAX_HEARTBEAT_S = 60;
/** Open streams per browser session (without one: per sandbox and IP address); more get 429. */
export const MAX_STREAMS_PER_SESSION = 6;
/** Bytes queued for a stream whose client does not read; past it the stream ends (it may resume). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
