import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Aedes, Client } from 'aedes';
import { isSandboxId, isSessionId, looksLikeCurlToken, sandboxOf, captureOwnerOf, sessionOfCurlToken, SHARED_SANDBOX } from '../../session/session-id.ts';
import { SizeGuardedStream } from './size-guarded-stream.ts';
import type { ConnackGate, GatedClient } from './connack-gate.ts';
import type { DeliveringClient, DirectDelivery } from './direct-delivery.ts';
import { connectUserName } from './client-packet-rules.ts';
import { CONNACK, SANDBOX_USERNAME_PREFIX } from './limits.ts';
import { namespaceInbound, type InboundPacket } from './topics.ts';

// One MQTT connection as the broker's hooks see it: where it came from, the sandbox its CONNECT
// chose, and the packets it sends rewritten into that sandbox before aedes reads them.

/** What the plugin knows of one MQTT connection, beside aedes' own client. */
export interface MqttConnection {
  /** the WebSocket upgrade request; absent over plain TCP */
  req?: IncomingMessage;
  /** the tapped socket (plain TCP), to name the capture's owner once CONNECT names a sandbox */
  tcp?: Duplex;
  remoteAddress?: string;
  sandbox: string | null;
  /** the browser session the connection counts against, if any */
  session: string | null;
  refusal: number | null;
  /** length of the client id as the client sent it (0: allowed only with a clean session, §3.1.3.1) */
  clientIdLength: number;
  granted: Set<string>;
  release?: () => void;
}

const connections = new WeakMap<Client, MqttConnection>();

/** What the plugin knows of a client aedes handles; absent once the broker forgot it. */
export function connectionOf(client: Client | null | undefined): MqttConnection | undefined {
  return client ? connections.get(client) : undefined;
}

/** A connection before its CONNECT: from a tapped TCP socket, or from a WebSocket upgrade request. */
export function newConnection(from: { tcp?: Duplex; req?: IncomingMessage; remoteAddress?: string }): MqttConnection {
  return { ...from, sandbox: null, session: null, refusal: null, clientIdLength: 0, granted: new Set() };
}

/**
 * The sandbox of a CONNECT: the user name `sandbox:<id>` or `sandbox:<curl token>` (the token's
 * session, as the `x-wirelab-sandbox` header over HTTP), else (over WebSocket) the upgrade
 * request's header or cookie, else the shared sandbox. null: a malformed `sandbox:` user name, or
 * an expired or forged token (not the shared sandbox instead: the student would quietly work on other data).
 */
function sandboxOfConnect(username: string | undefined, req: IncomingMessage | undefined): { sandbox: string; session: string | null } | null {
  if (username?.startsWith(SANDBOX_USERNAME_PREFIX)) {
    const named = username.slice(SANDBOX_USERNAME_PREFIX.length);
    if (looksLikeCurlToken(named)) {
      const session = sessionOfCurlToken(named);
      return session ? { sandbox: session, session } : null;
    }
    if (!isSandboxId(named)) return null;
    return { sandbox: named, session: isSessionId(named) ? named : null };
  }
  if (req) return { sandbox: sandboxOf(req.headers), session: captureOwnerOf(req.headers) };
  return { sandbox: SHARED_SANDBOX, session: null };
}

/** Hands a connection to the broker, namespacing what its packets name once CONNECT picks a sandbox. */
export function serveConnection(
  app: FastifyInstance,
  broker: Aedes,
  delivery: { connackGate: ConnackGate; direct: DirectDelivery },
  maxPacketBytes: number,
  stream: Duplex,
  connection: MqttConnection,
): void {
  const guarded = new SizeGuardedStream(stream, maxPacketBytes, (refusal, packet) => {
    app.log.debug(typeof refusal === 'string' ? { verdict: refusal, max: maxPacketBytes } : refusal, 'MQTT packet refused: connection closed');
    // A CONNECT refused here never reaches aedes' parser below, where the capture is claimed:
    // claimed now, so the student sees what was sent and the CONNACK that refused it.
    if (connection.tcp && packet && packet.first >> 4 === 1) {
      app.captures?.claim(connection.tcp, sandboxOfConnect(connectUserName(packet.body), undefined)?.session ?? null);
    }
  });
  guarded.on('error', () => undefined);
  const client = broker.handle(guarded, connection.req);
  connections.set(client, connection);
  // Its delivery functions first, then the gate in front of them until CONNACK (the gate hands these back).
  const delivering = client as unknown as DeliveringClient;
  delivery.direct.install(delivering);
  guarded.tookAcknowledgement = () => delivery.direct.tookAcknowledgement(delivering);
  delivery.connackGate.guard(client as unknown as GatedClient);
  guarded.once('close', () => delivery.connackGate.dropped(client as unknown as GatedClient));
  // Before aedes' own listener: the packet is rewritten before the broker reads any of it.
  const parser = (client as unknown as { _parser: import('node:events').EventEmitter })._parser;
  parser.prependListener('packet', (packet: InboundPacket & { username?: string; clientId?: string }) => {
    if (packet.cmd === 'connect') {
      const chosen = sandboxOfConnect(packet.username, connection.req);
      connection.sandbox = chosen?.sandbox ?? SHARED_SANDBOX;
      connection.session = chosen?.session ?? null;
      connection.refusal = chosen ? null : CONNACK.badUsernameOrPassword;
      connection.clientIdLength = packet.clientId?.length ?? 0;
      if (connection.tcp) app.captures?.claim(connection.tcp, connection.session);
    }
    if (connection.sandbox !== null) namespaceInbound(packet, connection.sandbox);
    if (packet.cmd === 'unsubscribe') {
      for (const topic of (packet as { unsubscriptions: string[] }).unsubscriptions) connection.granted.delete(topic);
    }
  });
}
