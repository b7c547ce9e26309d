// The SSE console aimed at "my server": `GET /_wirelab/own-server/sse-relay?target=host:port&path=/events`.
// Wirelab GETs the student's event stream over a guarded, tapped connection (Last-Event-ID passed
// on, so EventSource's reconnection resumes there too) and answers with what the student's server
// answered — status, Content-Type, then the body's bytes as they arrive. The stream lives only as
// long as the browser's request.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { ConnectionContext, Target } from './connection.ts';
import { failureOf, guardedHttpRequest, RelayFailure } from './http-relay.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { addressOf } from './relay-facts.ts';
import { contentSecurityPolicy } from '../web-app/security-headers.ts';

/**
 * Is this the Content-Type of an event stream? Only one passes the relay: anything else (an
 * HTML page with a script, say) would be served from Wirelab's origin as the student's server
 * wrote it (issue 36).
 */
export function isEventStream(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'text/event-stream';
}

/**
 * What every relayed answer carries beside the student's own headers: Wirelab's page policy
 * (server/web-app/security-headers.ts) with no framing, since a hijacked reply skips the onSend
 * hook that puts it on Wirelab's pages.
 */
export const RELAYED_CSP = contentSecurityPolicy("'none'");

/** Opens the student's stream and resolves with its answer once the head came (within the check limit). */
export function openEventStream(target: Target, path: string, lastEventId: string | undefined, context: ConnectionContext): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const headers: Array<[string, string]> = [
      ['Host', addressOf(target)],
      ['Accept', 'text/event-stream'],
      ['Cache-Control', 'no-cache'],
    ];
    if (lastEventId !== undefined) headers.push(['Last-Event-ID', lastEventId]);
    let outgoing: ClientRequest;
    try {
      outgoing = guardedHttpRequest(target, context, 'GET', path, headers);
    } catch (error) {
      // a Last-Event-ID node:http will not write (control characters)
      return reject(
        new RelayFailure(400, 'bad-check-request', {
          en: `Last-Event-ID cannot be sent: ${String(error)}`,
          ru: `Last-Event-ID нельзя отправить: ${String(error)}`,
        }),
      );
    }
    const ms = OWN_SERVER_LIMITS.checkTimeoutMs;
    const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${ms} ms: GET ${path}`)), ms);
    outgoing.once('error', (error) => {
      clearTimeout(timer);
      reject(failureOf(error, target));
    });
    outgoing.once('response', (response) => {
      clearTimeout(timer);
      resolve(response);
    });
    outgoing.end();
  });
}
