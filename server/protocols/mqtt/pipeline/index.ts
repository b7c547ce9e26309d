import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Aedes, AedesPublishPacket } from 'aedes';
import { DEFAULT_MQTT_LIMITS } from '../limits.ts';
import { queuedCount, type BrokerPersistence } from '../broker-persistence.ts';
import { SANDBOX_TOPIC_ROOT, toBrokerClientId } from '../topics.ts';
import { PipelineLab } from './pipeline-lab.ts';
import { LabRegistry } from './lab-registry.ts';
import { OwnConnectionTokens } from './own-connections.ts';
import { registerLabRoutes } from './routes.ts';
import { DEFAULT_PIPELINE_LIMITS, LAB_CLIENT_PREFIX, type PipelineLimits } from './limits.ts';

export { DEFAULT_PIPELINE_LIMITS, PIPELINE_PATH, type PipelineLimits } from './limits.ts';

export interface PipelineOptions {
  broker: Aedes;
  /** the broker's store: what it holds for a lab consumer is that consumer's backlog */
  store: BrokerPersistence;
  limits?: Partial<PipelineLimits>;
  /** the broker's packet limit (remaining length, `MqttLimits.maxPacketBytes`): a notification must fit one */
  maxPacketBytes?: number;
}

/** What the broker plugin asks the lab about its sessions. */
export interface PipelineHooks {
  /** the queue bound of a broker client id: the lab's backlog cap for its own consumers, else undefined */
  maxQueuedFor(brokerClientId: string): number | undefined;
  /** the broker did not store a message for a session whose queue was full */
  dropped(brokerClientId: string): void;
  /** a client's PUBLISH was authorized: an order for a sandbox's lab, if it is one (topic as the client sent it) */
  accepted(sandbox: string, topic: string, payload: Buffer): void;
  /**
   * Is this CONNECT one of the lab's own connections (a lab client id with a one-time token the lab
   * made)? Then the broker does not count it in the address's MQTT budget: the labs are budgeted per address.
   */
  ownConnection(brokerClientId: string, password: Buffer | string | undefined): boolean;
}

/**
 * The "order → notification" lab (README.md beside this file): per sandbox, a notification
 * worker and other consumers that are real MQTT clients of the broker, a direct REST call to
 * the worker beside it, and the lab's state live over Server-Sent Events.
 */
export async function registerPipelineLab(app: FastifyInstance, options: PipelineOptions): Promise<PipelineHooks> {
  const limits: PipelineLimits = { ...DEFAULT_PIPELINE_LIMITS, ...options.limits };
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MQTT_LIMITS.maxPacketBytes;
  const tokens = new OwnConnectionTokens();
  let closing = false;

  const target = (): { host: string; port: number } | null => {
    const address = app.server.address() as AddressInfo | string | null;
    if (!address || typeof address === 'string') return null;
    const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
    return { host, port: address.port };
  };

  // A little past the cap: a queue that concurrent publishes pushed over it still counts right.
  const countBacklog = (sandbox: string, clientId: string): Promise<number> =>
    queuedCount(options.store, toBrokerClientId(sandbox, clientId), limits.maxBacklog + 50);

  const registry = new LabRegistry(
    app.clientBudget,
    limits,
    (sandbox) =>
      new PipelineLab({
        sandbox,
        target,
        ownToken: () => tokens.issue(),
        countBacklog: (clientId) => countBacklog(sandbox, clientId),
        limits,
        maxPacketBytes,
        warn: (message, details) => app.log.warn({ sandbox, ...details }, message),
      }),
  );

  // Idle labs disconnect their consumers; the sessions stay in the broker and catch up when the lab wakes.
  const sweep = setInterval(() => registry.sweep(), Math.min(limits.idleMs, 60_000));
  sweep.unref();

  // A lab's state is read from the broker's store: read it again once the store has changed — an
  // order stored for the sandbox's sessions (`publish` comes after aedes enqueued it), a message
  // a lab consumer acknowledged (`ack` comes after aedes cleared it).
  const sandboxRoot = `${SANDBOX_TOPIC_ROOT}/`;
  options.broker.on('publish', (packet) => {
    if (!packet.topic.startsWith(sandboxRoot)) return;
    registry.get(packet.topic.slice(sandboxRoot.length).split('/', 1)[0]!)?.changed();
  });
  options.broker.on('ack', (_packet, client) => {
    const id = client?.id;
    if (id && labClientId(id) !== null) registry.get(id.split('/', 1)[0]!)?.changed();
  });
  // With several instances an order may be PUBLISHed through another one (a tool's TCP connection
  // is not pinned by the cookie): the broker's bus, shared through Redis, brings it here too, after
  // that instance stored it. This instance's own orders were noted when they were authorized.
  const ordersOfEverySandbox = `${SANDBOX_TOPIC_ROOT}/+/orders/#`;
  const orderFromElsewhere = (packet: AedesPublishPacket & { brokerId?: string }, done: () => void): void => {
    if (packet.brokerId !== options.broker.id) {
      const [sandbox, ...topic] = packet.topic.slice(sandboxRoot.length).split('/');
      const payload = packet.payload;
      registry.get(sandbox!)?.orderPublished(topic.join('/'), Buffer.isBuffer(payload) ? payload.toString() : String(payload));
    }
    done();
  };
  options.broker.subscribe(ordersOfEverySandbox, orderFromElsewhere, () => undefined);

  await registerLabRoutes(app, {
    registry,
    limits,
    maxPacketBytes,
    available: () => (closing ? 'closing' : target() ? 'ok' : 'not-listening'),
  });

  // "Reset my data" resets the sandbox's lab too.
  const unsubscribe = app.domain.events.subscribe((event) => {
    if (event.type !== 'sandbox.reset') return;
    registry
      .get(event.sandboxId)
      ?.reset()
      .catch((error: unknown) => app.log.warn({ err: error, sandbox: event.sandboxId }, 'pipeline lab not reset'));
  });

  app.addHook('preClose', async () => {
    closing = true;
    unsubscribe();
    options.broker.unsubscribe(ordersOfEverySandbox, orderFromElsewhere, () => undefined);
    clearInterval(sweep);
    registry.closeAll();
  });

  return {
    maxQueuedFor: (brokerClientId) => (labClientId(brokerClientId) !== null ? limits.maxBacklog : undefined),
    accepted: (sandbox, topic, payload) => {
      if (topic.startsWith('orders/')) registry.get(sandbox)?.orderPublished(topic, payload.toString());
    },
    dropped: (brokerClientId) => {
      const sandbox = brokerClientId.split('/', 1)[0]!;
      const clientId = labClientId(brokerClientId);
      if (clientId !== null) registry.get(sandbox)?.dropped(clientId);
    },
    ownConnection: (brokerClientId, password) => tokens.redeem(brokerClientId, password),
  };
}

/** `pipeline/notifier` of the broker's `<sandbox>/pipeline/notifier`, or null for a client that is not the lab's. */
function labClientId(brokerClientId: string): string | null {
  const slash = brokerClientId.indexOf('/');
  // asked at every PUBACK the broker reads (`ack`): nothing is cut out of a client id that is not the lab's
  if (slash < 0 || !brokerClientId.startsWith(LAB_CLIENT_PREFIX, slash + 1)) return null;
  return brokerClientId.slice(slash + 1);
}
