import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Aedes, type AedesPublishPacket, type AuthenticateError, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { isSandboxId, isSessionId, looksLikeCurlToken, sandboxOf, captureOwnerOf, sessionOfCurlToken, SHARED_SANDBOX } from '../../session/session-id.ts';
import { ConnectionQuota, quotaKey } from '../shared/connection-quota.ts';
import { limitQueuedMessages, levelPersistence, type BrokerPersistence } from './broker-persistence.ts';
import { SizeGuardedStream } from './size-guarded-stream.ts';
import { sharedBrokerParts } from './broker-on-redis.ts';
import { ConnackGate, type GatedClient } from './connack-gate.ts';
import { DEFAULT_PIPELINE_LIMITS, registerPipelineLab, type PipelineHooks, type PipelineLimits } from './pipeline/index.ts';
import { LAB_CLIENT_PREFIX } from './pipeline/limits.ts';
import {
  CONNACK,
  DEFAULT_MQTT_LIMITS,
  MQTT_SUBPROTOCOLS,
  MQTT_WEBSOCKET_PATH,
  SANDBOX_USERNAME_PREFIX,
  type MqttLimits,
} from './limits.ts';
import {
  chatTopic,
  domainEventTopic,
  isReservedBrokerTopic,
  namespaceInbound,
  toBrokerTopic,
  toClientTopic,
  topicMatches,
  type InboundPacket,
} from './topics.ts';

export { DEFAULT_MQTT_LIMITS, MQTT_WEBSOCKET_PATH } from './limits.ts';

export interface MqttPluginOptions {
  /** LevelDB folder of the broker (sessions, queued and retained messages); absent: in memory. Unused with `app.scale` (Redis keeps them). */
  dataDir?: string;
  limits?: Partial<MqttLimits>;
  /** the "order → notification" lab's limits (pipeline/README.md) */
  pipeline?: Partial<PipelineLimits>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The embedded MQTT broker (README.md beside this file). */
    mqttBroker: Aedes;
  }
}

/** What the plugin knows of one MQTT connection, beside aedes' own client. */
interface Connection {
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

const connections = new WeakMap<Client, Connection>();
const MQTT31_MAX_CLIENT_ID = 23;

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

/** The broker's client id `<sandbox>/pipeline/…`: one of the pipeline lab's consumers. */
function isLabClientId(brokerClientId: string): boolean {
  return brokerClientId.slice(brokerClientId.indexOf('/') + 1).startsWith(LAB_CLIENT_PREFIX);
}

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * An embedded MQTT 3.1.1 broker (aedes) on the one port: plain TCP (the listener recognises a
 * CONNECT) and WebSocket at /mqtt. Each sandbox has its own topics and client ids; every domain
 * event is published in its sandbox under `events/…`, every chat message under `chat/<via>/<room>`.
 */
async function mqttPlugin(app: FastifyInstance, options: MqttPluginOptions): Promise<void> {
  const limits: MqttLimits = { ...DEFAULT_MQTT_LIMITS, ...options.limits };
  const quota = new ConnectionQuota(limits.maxConnectionsPerSession, { budget: app.clientBudget, kind: 'mqtt' });
  const pipelineLimits: PipelineLimits = { ...DEFAULT_PIPELINE_LIMITS, ...options.pipeline };
  // Several instances: messages routed and sessions kept in Redis, so they are the same on every instance.
  const { scale } = app;
  const shared = scale
    ? sharedBrokerParts(scale, {
        // Whatever a session may hold (a lab consumer's cap, the few concurrent publishes that pass a cap) is handed back whole.
        maxSessionDelivery: Math.max(limits.maxQueuedPerSession, pipelineLimits.maxBacklog) + 50,
      })
    : null;
  if (scale) app.log.info({ keys: scale.key('mqtt:') }, 'MQTT broker: messages routed and sessions kept in Redis (no LevelDB folder)');
  const level = !shared && options.dataDir ? levelPersistence(options.dataDir) : undefined;
  const persistence: BrokerPersistence | undefined = shared?.persistence ?? level;

  // The lab needs the broker and its store, the broker's hooks need the lab: bound once both exist.
  let pipeline: PipelineHooks = { maxQueuedFor: () => undefined, dropped: () => undefined, accepted: () => undefined, ownConnection: () => false };
  const broker = await Aedes.createBroker({
    persistence,
    ...(shared ? { mq: shared.mq } : {}),
    queueLimit: limits.maxPacketsBeforeConnack,
    maxInflightInbound: limits.maxInflightInbound,
    connectTimeout: limits.connectTimeoutMs,
    // Client ids carry their sandbox (`<sandbox>/<id>`): authenticate() counts MQTT 3.1's 23 characters without it.
    maxClientsIdLength: Number.MAX_SAFE_INTEGER,

    authenticate(client, _username, password, done) {
      const connection = connections.get(client);
      if (!connection || connection.sandbox === null || connection.refusal !== null) {
        return done(refusal(connection?.refusal ?? CONNACK.badUsernameOrPassword, 'bad sandbox user name'), false);
      }
      if (connection.clientIdLength === 0 && !client.clean) {
        return done(refusal(CONNACK.identifierRejected, 'a persistent session needs a client id'), false);
      }
      if (client.version === 3 && connection.clientIdLength > MQTT31_MAX_CLIENT_ID) {
        return done(refusal(CONNACK.identifierRejected, 'MQTT 3.1 allows client ids of 23 characters'), false);
      }
      // The pipeline lab's own consumers (a one-time token) are budgeted as labs per address, not as MQTT connections.
      const ownConnection = pipeline.ownConnection(client.id, password);
      // Anyone else with a lab client id would take a lab consumer's session over (§3.1.4) and disconnect it.
      if (!ownConnection && isLabClientId(client.id)) {
        return done(refusal(CONNACK.identifierRejected, `client ids starting with ${LAB_CLIENT_PREFIX} belong to the pipeline lab`), false);
      }
      if (!connection.release && !ownConnection) {
        const { release, refused } = quota.take(quotaKey(connection.session, connection.sandbox, connection.remoteAddress), connection.remoteAddress);
        if (refused) return done(refusal(CONNACK.serverUnavailable, `too many MQTT connections for this ${refused.scope}`), false);
        connection.release = release;
        client.conn.once('close', release);
      }
      done(null, true);
    },

    authorizePublish(client, packet, done) {
      const connection = client ? connections.get(client) : undefined;
      // The server's own publishes (domain events) and wills restored after a restart have no client.
      if (!client) return done(null);
      if (!connection?.sandbox || isReservedBrokerTopic(connection.sandbox, packet.topic)) {
        return done(new Error(`topics starting with $ are reserved: ${packet.topic}`));
      }
      // Here the topic still names its sandbox: aedes rewrites the packet in place when it forwards it.
      pipeline.accepted(connection.sandbox, toClientTopic(connection.sandbox, packet.topic) ?? packet.topic, packet.payload as Buffer);
      done(null);
    },

    authorizeSubscribe(client, subscription, done) {
      const connection = connections.get(client);
      if (!connection?.sandbox || isReservedBrokerTopic(connection.sandbox, subscription.topic)) return done(null, null);
      const known = new Set([...Object.keys((client as unknown as { subscriptions: object }).subscriptions), ...connection.granted]);
      if (!known.has(subscription.topic) && known.size >= limits.maxSubscriptionsPerClient) return done(null, null);
      connection.granted.add(subscription.topic);
      done(null, subscription);
    },

    authorizeForward(client, packet) {
      const sandbox = connections.get(client)?.sandbox;
      if (!sandbox) return null;
      const topic = toClientTopic(sandbox, packet.topic);
      if (topic === undefined) return null;
      const internal = packet.topic;
      // In place: aedes writes this very packet when it empties an offline session's queue.
      packet.topic = topic;
      if (packet.qos > 0) packet.qos = grantedQos(client, internal, packet.qos);
      return packet;
    },
  });
  (broker as import('node:events').EventEmitter).on('error', (error: Error) => app.log.error({ err: error }, 'MQTT broker error'));
  broker.on('clientError', (client, error) => app.log.debug({ client: client.id, err: error.message }, 'MQTT client error'));
  broker.on('connectionError', (_client, error) => app.log.debug({ err: error.message }, 'MQTT connection error'));
  // aedes' own in-memory store when no folder is given: the limit wraps whichever is in use.
  const store = (broker as unknown as { persistence: BrokerPersistence }).persistence;
  // Once per session until its client comes back: a full queue would otherwise log every message.
  const fullSessions = new Set<string>();
  pipeline = await registerPipelineLab(app, { broker, store, limits: pipelineLimits, maxPacketBytes: limits.maxPacketBytes });
  const maxQueuedFor = (clientId: string) => pipeline.maxQueuedFor(clientId) ?? limits.maxQueuedPerSession;
  limitQueuedMessages(store, maxQueuedFor, (clientId) => {
    pipeline.dropped(clientId);
    if (fullSessions.has(clientId)) return;
    fullSessions.add(clientId);
    app.log.warn({ clientId, max: maxQueuedFor(clientId) }, 'persistent MQTT session full: newer messages are dropped for it');
  });
  broker.on('client', (client) => fullSessions.delete(client.id));
  const connackGate = new ConnackGate();
  broker.on('clientReady', (client) => connackGate.opened(client as unknown as GatedClient));
  app.decorate('mqttBroker', broker);

  /** Hands a connection to the broker, namespacing what its packets name once CONNECT picks a sandbox. */
  function serve(stream: Duplex, connection: Connection): void {
    const guarded = new SizeGuardedStream(stream, limits.maxPacketBytes, (refusal) =>
      app.log.debug(typeof refusal === 'string' ? { verdict: refusal, max: limits.maxPacketBytes } : refusal, 'MQTT packet refused: connection closed'),
    );
    guarded.on('error', () => undefined);
    const client = broker.handle(guarded, connection.req);
    connections.set(client, connection);
    connackGate.guard(client as unknown as GatedClient);
    guarded.once('close', () => connackGate.dropped(client as unknown as GatedClient));
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

  app.onePort.routeMqtt((socket) => {
    serve(socket, { tcp: socket, remoteAddress: socket.remoteAddress, sandbox: null, session: null, refusal: null, clientIdLength: 0, granted: new Set() });
  });

  const wss = new WebSocketServer({
    noServer: true,
    // A WebSocket message carries MQTT packets; the guard counts the packets themselves.
    maxPayload: limits.maxPacketBytes + 5,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) => MQTT_SUBPROTOCOLS.find((name) => offered.has(name)) ?? false,
  });
  let closing = false;
  app.onePort.routeUpgrade(MQTT_WEBSOCKET_PATH, (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== MQTT_WEBSOCKET_PATH || closing) {
      const status = closing ? 503 : 404;
      socket.on('error', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      const stream = createWebSocketStream(ws);
      stream.on('error', () => undefined);
      serve(stream, { req, remoteAddress: req.socket.remoteAddress, sandbox: null, session: null, refusal: null, clientIdLength: 0, granted: new Set() });
    });
  });

  // Every change of a sandbox, whichever protocol made it, is published in that sandbox. Only by
  // the instance where it was made: the broker is shared through Redis, so an instance that
  // published the events other instances relay would publish each of them once per instance.
  const unsubscribe = app.domain.events.subscribe((event) => {
    broker.publish(
      {
        cmd: 'publish',
        topic: toBrokerTopic(event.sandboxId, domainEventTopic(event.type)),
        payload: Buffer.from(JSON.stringify(event)),
        qos: 1,
        retain: false,
        dup: false,
      },
      (error) => {
        if (error) app.log.warn({ err: error }, 'domain event not published to MQTT');
      },
    );
  }, { localOnly: true });
  // And every chat message, whichever chat carried it, as the domain events are published. Only
  // this process's (localOnly): the broker may be shared with other instances, which mirror their own.
  const unsubscribeChat = app.domain.chat.subscribe(
    (message) => {
      broker.publish(
        {
          cmd: 'publish',
          topic: toBrokerTopic(message.sandboxId, chatTopic(message.via, message.room)),
          payload: Buffer.from(JSON.stringify(message)),
          qos: 1,
          retain: false,
          dup: false,
        },
        (error) => {
          if (error) app.log.warn({ err: error }, 'chat message not published to MQTT');
        },
      );
    },
    { localOnly: true },
  );

  app.addHook('preClose', async () => {
    closing = true;
    unsubscribe();
    unsubscribeChat();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    // While app.scale's connections are still open (they close in onClose).
    await shared?.persistence.destroy().catch((error: unknown) => app.log.debug({ err: error }, 'MQTT store on Redis: close failed'));
  });
  app.addHook('onClose', async () => {
    await level?.destroy();
  });
}

/**
 * The QoS a message is delivered with: at most the highest QoS granted to the client's
 * subscriptions that match it (MQTT 3.1.1 §3.8.4). aedes looks only at a subscription with the
 * very topic name, and the client sees a topic without its sandbox.
 */
function grantedQos(client: Client, brokerTopic: string, qos: AedesPublishPacket['qos']): AedesPublishPacket['qos'] {
  const subscriptions = (client as unknown as { subscriptions: Record<string, { qos: number }> }).subscriptions;
  let granted = -1;
  for (const filter in subscriptions) {
    if (topicMatches(filter, brokerTopic)) granted = Math.max(granted, subscriptions[filter]!.qos);
  }
  return (granted < 0 ? qos : Math.min(qos, granted)) as AedesPublishPacket['qos'];
}

export default fp(mqttPlugin, { name: 'wirelab-mqtt', dependencies: ['wirelab-domain', 'wirelab-session', 'wirelab-limits'] });
