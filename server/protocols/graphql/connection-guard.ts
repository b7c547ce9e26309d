import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import type { BadFrameLog } from '../../listener/bad-frame-log.ts';
import type { AddressBudget } from '../../limits/address-budget.ts';
import { enforceTransportRules } from './transport-ws-rules.ts';
import { TRANSPORT_WS_CLOSE } from '../../../wire/graphql/transport-ws-messages.ts';

export interface ConnectionGuardLimits {
  /** live GraphQL WebSocket connections on this server */
  maxConnections: number;
  /** how long a connection may stay open without sending connection_init */
  connectionInitTimeoutMs: number;
}

/** RFC 6455 "Try Again Later": the server is at its connection limit. */
export const TRY_AGAIN_LATER_CLOSE = 1013;

/** The live GraphQL WebSocket connections ('opened' and 'closed' events, for tests and lessons). */
export class GraphqlConnections extends EventEmitter<{ opened: []; closed: [] }> {
  live = 0;
}

/**
 * What mercurius does not do for its WebSocket connections: a cap on how many are live, and a
 * deadline for connection_init (graphql-ws' own server allows 3 s), so that idle sockets that
 * never speak GraphQL cannot pile up; and the graphql-transport-ws rules in front of mercurius
 * (`transport-ws-rules.ts`), their violations logged by `badFrames`. Watches the shared `ws` server for connections on `path`;
 * @fastify/websocket announces each one before mercurius takes it over.
 */
export function guardConnections(
  server: WebSocketServer,
  path: string,
  limits: ConnectionGuardLimits,
  badFrames: BadFrameLog,
  budget: AddressBudget,
): GraphqlConnections {
  const connections = new GraphqlConnections();
  server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    if ((request.url ?? '').split('?')[0] !== path) return;
    if (connections.live >= limits.maxConnections) {
      socket.close(TRY_AGAIN_LATER_CLOSE, `at most ${limits.maxConnections} GraphQL WebSocket connections`);
      return;
    }
    // One address (one NAT, or one script with fresh cookies) must leave slots for the others.
    const slot = budget.takeSlot('graphqlWs', request.socket.remoteAddress);
    if (slot.refused) {
      socket.close(
        TRY_AGAIN_LATER_CLOSE,
        `at most ${slot.refused.max} GraphQL WebSocket connections ${slot.refused.scope === 'address' ? 'per address' : 'on the server'}`,
      );
      return;
    }
    connections.live += 1;
    enforceTransportRules(socket, badFrames.connection(request.socket.remoteAddress));
    const deadline = setTimeout(
      () => socket.close(TRANSPORT_WS_CLOSE.connectionInitialisationTimeout, 'Connection initialisation timeout'),
      limits.connectionInitTimeoutMs,
    );
    deadline.unref();
    const watchForInit = (data: unknown, isBinary: boolean): void => {
      if (isBinary) return;
      let type: unknown;
      try {
        type = (JSON.parse(String(data)) as { type?: unknown }).type;
      } catch {
        return; // mercurius answers malformed messages itself
      }
      if (type !== 'connection_init') return;
      clearTimeout(deadline);
      socket.off('message', watchForInit);
    };
    socket.on('message', watchForInit);
    socket.once('close', () => {
      clearTimeout(deadline);
      slot.release();
      connections.live -= 1;
      connections.emit('closed');
    });
    connections.emit('opened');
  });
  return connections;
}
