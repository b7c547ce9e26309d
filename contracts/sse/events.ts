// The domain's event stream as it crosses the wire (GET /api/v1/events, Server-Sent Events; long
// polling and the AsyncAPI document name the same events): once for both ends. PROTOCOL.md says
// what each field means. Pure TypeScript: no Node, no DOM.

export const EVENTS_PATH = '/api/v1/events';

/** Every kind of change the domain announces: an SSE `event:` name, a long poll's `type`. */
export const DOMAIN_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'post.created',
  'post.updated',
  'post.deleted',
  'comment.created',
  'sandbox.reset',
] as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

/** Named events of the stream itself, beside the domain's: events may be missing before what follows. */
export const GAP_EVENT = 'stream.gap';
/** The server is shutting down: the last event of every open stream. */
export const SHUTDOWN_EVENT = 'server.shutdown';

/** Why a `stream.gap` was sent. */
export type GapReason = 'too-old' | 'unknown-id' | 'not-received';
