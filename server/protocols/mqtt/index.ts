import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { ConnectionQuota } from '../../limits/connection-quota.ts';
import { sayGoodbye } from '../../listener/goodbye.ts';
import { brokerAccess } from './broker-access.ts';
import { forgetWillsWithoutThrowing, limitQueuedMessages, levelPersistence, skipCleanSessionAcks, type BrokerPersistence } from './broker-persistence.ts';
import { sharedBrokerParts } from './broker-on-redis.ts';
import { newConnection, serveConnection, type MqttConnection } from './client-connections.ts';
import { ConnackGate, type GatedClient } from './connack-gate.ts';
import { DirectDelivery } from './direct-delivery.ts';
import { publishDomainTraffic } from './domain-publishing.ts';
import { DEFAULT_PIPELINE_LIMITS, registerPipelineLab, type PipelineHooks, type PipelineLimits } from './pipeline/index.ts';
import { DEFAULT_MQTT_LIMITS, MQTT_SUBPROTOCOLS, MQTT_WEBSOCKET_PATH, type MqttLimits } from './limits.ts';

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

/**
 * MQTT over TCP (a CONNECT the one-port listener sniffed) and over WebSocket (`/mqtt`), each handed
 * to `serve`. The open WebSockets are the app's (app.openWebSockets): they hear 1001 in its first
 * preClose, as MQTT 3.1.1 has no DISCONNECT from the server. `stopTaking()`: the app is shutting
 * down, new ones are refused; `sayGoodbye()`: the ones that came in meanwhile hear 1001 too;
 * `endWebSockets()`: whatever is left is cut (the listener ends TCP connections itself).
 */
function takeClientConnections(
  app: FastifyInstance,
  serve: (stream: Duplex, connection: MqttConnection) => void,
  maxPacketBytes: number,
): { stopTaking(): void; sayGoodbye(): Promise<void>; endWebSockets(): void } {
  let closing = false;
  app.onePort.routeMqtt((socket) => {
    // Shutting down: the broker is closed (or closing) and its store with it, so a CONNECT now
    // would be worked on against a closing store. Dropped: the client reconnects, to another
    // instance when a load balancer is in front.
    if (closing) return void socket.destroy();
    serve(socket, newConnection({ tcp: socket, remoteAddress: socket.remoteAddress }));
  });

  const wss = new WebSocketServer({
    noServer: true,
    // A WebSocket message carries MQTT packets; the guard counts the packets themselves.
    maxPayload: maxPacketBytes + 5,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) => MQTT_SUBPROTOCOLS.find((name) => offered.has(name)) ?? false,
  });
  app.openWebSockets.track(wss.clients);
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
      serve(stream, newConnection({ req, remoteAddress: req.socket.remoteAddress }));
    });
  });

  return {
    stopTaking: () => {
      closing = true;
    },
    sayGoodbye: () => sayGoodbye(wss.clients),
    endWebSockets: () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
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
  const level = !shared && options.dataDir ? await levelPersistence(options.dataDir) : undefined;
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
    ...brokerAccess(limits, quota, () => pipeline),
  });
  (broker as import('node:events').EventEmitter).on('error', (error: Error) => app.log.error({ err: error }, 'MQTT broker error'));
  broker.on('clientError', (client, error) => app.log.debug({ client: client.id, err: error.message }, 'MQTT client error'));
  broker.on('connectionError', (_client, error) => app.log.debug({ err: error.message }, 'MQTT connection error'));
  // aedes' own in-memory store when no folder is given: the limit wraps whichever is in use.
  const store = (broker as unknown as { persistence: BrokerPersistence }).persistence;
  forgetWillsWithoutThrowing(store, (error) => app.log.warn({ err: error }, 'MQTT store: a will could not be forgotten'));
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
  skipCleanSessionAcks(store);
  const connackGate = new ConnackGate();
  broker.on('clientReady', (client) => connackGate.opened(client as unknown as GatedClient));
  // A clean session's QoS 0 and 1 deliveries encoded once per message, its PUBACKs answered before aedes (direct-delivery.ts).
  const delivery = { connackGate, direct: new DirectDelivery(broker) };
  app.decorate('mqttBroker', broker);

  const serve = (stream: Duplex, connection: MqttConnection) => serveConnection(app, broker, delivery, limits.maxPacketBytes, stream, connection);

  const clients = takeClientConnections(app, serve, limits.maxPacketBytes);

  const stopPublishing = publishDomainTraffic(app, broker);

  app.addHook('preClose', async () => {
    clients.stopTaking();
    stopPublishing();
    // Ones that came in since the app's goodbye, before the broker closes each client's stream (a WebSocket ended that way is cut, 1006).
    await clients.sayGoodbye();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    clients.endWebSockets();
    // The store on Redis is not destroyed here: aedes-persistence-redis' destroy() drops its
    // connection at once (disconnect), failing the commands still under way for a client whose
    // CONNECT came in as the broker closed, and waits for the broker's bus, already closed, to
    // unsubscribe (for ever while Redis is unreachable). app.scale closes the connection in
    // onClose: QUIT, after the commands already sent.
  });
  app.addHook('onClose', async () => {
    await level?.destroy();
  });
}

export default fp(mqttPlugin, { name: 'wirelab-mqtt', dependencies: ['wirelab-domain', 'wirelab-session', 'wirelab-limits'] });
