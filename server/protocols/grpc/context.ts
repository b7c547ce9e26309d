import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { createContextKey } from '@connectrpc/connect';
import { SHARED_SANDBOX } from '../../session/session-id.ts';

/** The sandbox of the call, chosen from its metadata exactly as for REST (see sandboxOf). */
export const sandboxKey = createContextKey<string>(SHARED_SANDBOX, { description: 'wirelab sandbox' });

/** "1.1" or "2.0": the HTTP version the call arrived in. */
export const httpVersionKey = createContextKey<string>('', { description: 'HTTP version of the call' });

/** Set for calls that did not arrive as gRPC, gRPC-Web or Connect (REST transcoding: "http-json"). */
export const protocolOverrideKey = createContextKey<string | null>(null, { description: 'protocol of a transcoded call' });

/** The client's network address (its per-address budgets, server/limits/). */
export const clientAddressKey = createContextKey<string | undefined>(undefined, { description: 'client address of the call' });

/** Whether, and when (performance.now()), the client went away before the call's response was complete. */
export interface ClientPresence {
  readonly goneAt: number | null;
  /** whether a response is watched at all (in-memory transports have none) */
  readonly watched: boolean;
  /** called once when the client goes away (the unary Connect fast path aborts its call's signal) */
  onGone: (() => void) | null;
}

/** The call's client presence; calls that arrive without a response to watch (in-memory transports) never see it go. */
export const clientPresenceKey = createContextKey<ClientPresence>(Object.freeze({ goneAt: null, watched: false, onGone: null }), {
  description: 'whether the client went away',
});

/**
 * Watches the call's response: closed before the server ended it means the client went away (a
 * reset stream, a closed connection). Not `writableFinished`: node's HTTP/2 compatibility layer
 * emits 'finish' on a reset stream too. The logging interceptor reads this rather than listening
 * to the call's AbortSignal, which would make every call create and abort one.
 */
export function watchClient(response: ServerResponse | Http2ServerResponse): ClientPresence {
  const presence: { goneAt: number | null; watched: boolean; onGone: (() => void) | null } = { goneAt: null, watched: true, onGone: null };
  response.once('close', () => {
    if (response.writableEnded) return;
    presence.goneAt = performance.now();
    presence.onGone?.();
  });
  return presence;
}

/** Set once the call's request bytes were spent from its address's budget (the gRPC fast path, before it hands a call to connect-es). */
export const requestBytesSpentKey = createContextKey<boolean>(false, { description: 'request bytes already budgeted' });
