import type http2 from 'node:http2';
import { Http2SessionManager } from '@connectrpc/connect-node';
import { readByEvents } from './chunks-read-by-events.ts';

/**
 * connect-node's HTTP/2 session manager, with an 'error' listener kept on every session it hands
 * out a stream on, for the session's whole life.
 *
 * connect-node 2.1.2 leaves a window in which a session's 'error' event has no listener, and
 * Node then throws it as an uncaught exception: the whole server goes down. The sequence:
 * 1. an idle session (no open stream) gets a GOAWAY with NO_ERROR (our server closing, a
 *    sandbox's graceful shutdown, a student's server restarting);
 * 2. the manager's `onGoaway` calls `conn.destroy(new ConnectError("received GOAWAY without any
 *    open streams"))`; Node emits that error one or two event-loop turns later, when the socket
 *    has closed;
 * 3. in between, the manager leaves its "ready" state: `abort()` (the runner channel closed) or
 *    a new `request()` (which sees the destroyed session and connects again). Leaving the state
 *    removes the manager's listeners (`onExitState` → `cleanup`), and `abort()` adds its own
 *    swallowing listener only to a session not destroyed yet, which this one is;
 * 4. the 'error' comes with no listener: `ConnectError: received GOAWAY without any open streams`.
 * (tests/integration/grpc-runner-goaway.test.ts plays both orders against the real server.)
 *
 * A session is guarded at its first request: the manager makes a session "ready" and opens the
 * stream in the same run of microtasks, so no frame (no GOAWAY) can reach it unguarded. The
 * error is dropped: while the manager still tracks the session its own listener hears the error
 * too, and the streams on the session fail with their own errors; once it has moved on, the
 * session is nobody's.
 *
 * Each stream it hands out is read by events, not by Node's async iterator (chunksReadByEvents):
 * on Node 24.20+ that iterator fails responses that closed with their body buffered.
 */
export class GuardedHttp2SessionManager extends Http2SessionManager {
  private readonly guarded = new WeakSet<http2.Http2Session>();

  override async request(...args: Parameters<Http2SessionManager['request']>): Promise<http2.ClientHttp2Stream> {
    const stream = await super.request(...args);
    const { session } = stream;
    if (session && !this.guarded.has(session)) {
      this.guarded.add(session);
      session.on('error', ignoreErrorOfALeftSession);
    }
    // connect-node reads the response with the stream's async iterator: see chunksReadByEvents
    return readByEvents(stream);
  }
}

/** See GuardedHttp2SessionManager: the error of a session the manager no longer listens to. */
function ignoreErrorOfALeftSession(): void {}
