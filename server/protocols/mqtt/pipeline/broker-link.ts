import type { Bilingual } from '../../../../shared/bilingual.ts';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';

/** Where a lab connects, and how it proves a connection is its own (README.md, "The lab's own connections"). */
export interface BrokerTarget {
  sandbox: string;
  /** this server's own port, where the consumers connect as any MQTT client would */
  target(): { host: string; port: number } | null;
  /** a one-time password the broker accepts once from a lab client id: not counted in the address's MQTT budget */
  ownToken(): string;
}

/** One MQTT connection of a lab consumer: closed and replaced on each (re)connect, so old callbacks can tell. */
export interface Connection {
  client: MqttClient;
  /** false once the lab closed it or the broker dropped it: work begun on it is given up, unacknowledged */
  open: boolean;
  /** connected and subscribed (the session was present, or its SUBACK came) */
  reading: boolean;
}

/** What a link tells its consumer: it is reading, it lost its connection (and when it tries again), or it came back. */
export type LinkEvent = { kind: 'reading' } | { kind: 'lost'; reason: Bilingual; retryInMs: number | null } | { kind: 'recovered'; reason: Bilingual };

/** Waits before reconnecting: 1 s, doubled each failure up to 30 s; a connection that held a minute starts over. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const STABLE_MS = 60_000;

export interface LinkOptions {
  clientId: string;
  filter: string;
  onMessage(packet: IPublishPacket, done: () => void, connection: Connection): void;
  onEvent(event: LinkEvent): void;
}

/**
 * A lab consumer's persistent session (clean session off) on this server's own port, subscribed
 * at QoS 1 the first time (a session the broker already holds keeps its subscription). When the
 * broker drops it (a session taken over, a refused CONNECT, a packet it would not take) the link
 * connects again by itself, with a growing pause, and says so: a supervised worker.
 */
export class BrokerLink {
  current: Connection | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private lostReason: Bilingual | null = null;
  private closed = false;

  constructor(
    private readonly broker: BrokerTarget,
    private readonly options: LinkOptions,
  ) {
    this.open();
  }

  get reading(): boolean {
    return this.current?.reading === true;
  }

  /** Stops for good: whatever the consumer received and did not finish stays unacknowledged in the broker. */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.current) closeConnection(this.current);
    this.current = null;
  }

  private open(): void {
    const target = this.broker.target();
    if (!target) {
      this.options.onEvent({
        kind: 'lost',
        retryInMs: null,
        reason: {
          en: 'The server is not listening on a TCP port, so the lab cannot connect to its broker.',
          ru: 'Сервер не слушает TCP-порт, и лабораторной не к чему подключиться.',
        },
      });
      return;
    }
    const client = mqtt.connect({
      ...clientOptions(this.broker, target, this.options.clientId),
      clean: false,
      // A worker busy with one message reads nothing else, PINGRESP included: no keep-alive, or it would think the broker gone.
      keepalive: 0,
      resubscribe: false,
      connectTimeout: 10_000,
    });
    const connection: Connection = { client, open: true, reading: false };
    this.current = connection;
    let connectedAt = 0;
    client.handleMessage = (packet, callback) => {
      // The acknowledgement (PUBACK) leaves only once the work is done: at-least-once delivery.
      this.options.onMessage(packet, () => callback(), connection);
    };
    client.on('connect', (connack) => {
      connectedAt = Date.now();
      const reading = () => {
        connection.reading = true;
        const reason = this.lostReason;
        this.lostReason = null;
        this.options.onEvent(reason ? { kind: 'recovered', reason } : { kind: 'reading' });
      };
      if (connack.sessionPresent) return reading();
      client.subscribe(this.options.filter, { qos: 1 }, (error) => {
        if (error) this.lost(connection, { en: `SUBSCRIBE failed: ${error.message}`, ru: `SUBSCRIBE не удался: ${error.message}` });
        else reading();
      });
    });
    client.on('error', (error) => {
      const code = (error as { code?: number }).code;
      this.lost(
        connection,
        code === 3
          ? { en: 'the broker refused the connection: CONNACK 3, server unavailable', ru: 'брокер отказал в подключении: CONNACK 3, сервер недоступен' }
          : { en: error.message, ru: error.message },
      );
    });
    client.on('close', () => {
      if (connectedAt > 0 && Date.now() - connectedAt >= STABLE_MS) this.retryMs = FIRST_RETRY_MS;
      this.lost(connection, { en: 'the broker closed the connection', ru: 'брокер закрыл соединение' });
    });
  }

  /** The broker dropped this connection (the lab did not close it): give up its work, and try again later. */
  private lost(connection: Connection, reason: Bilingual): void {
    if (this.closed || !connection.open || connection !== this.current) return;
    closeConnection(connection);
    const retryInMs = this.retryMs;
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    this.lostReason = reason;
    this.options.onEvent({ kind: 'lost', reason, retryInMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.open();
    }, retryInMs);
    this.retryTimer.unref();
  }
}

function clientOptions(broker: BrokerTarget, target: { host: string; port: number }, clientId: string) {
  return {
    host: target.host,
    port: target.port,
    protocol: 'mqtt' as const,
    protocolVersion: 4 as const,
    clientId,
    username: `sandbox:${broker.sandbox}`,
    password: broker.ownToken(),
    reconnectPeriod: 0,
  };
}

function closeConnection(connection: Connection): void {
  connection.open = false;
  connection.reading = false;
  // Forced: whatever the consumer received and did not finish stays unacknowledged in the broker.
  connection.client.end(true);
}

/** Connects once with a clean session, which makes the broker discard the old one and its queue (MQTT 3.1.1 §3.1.2.4). */
export function eraseSession(broker: BrokerTarget, clientId: string): Promise<void> {
  const target = broker.target();
  if (!target) return Promise.resolve();
  return new Promise((resolve) => {
    const client = mqtt.connect({ ...clientOptions(broker, target, clientId), clean: true, keepalive: 0 });
    const finish = () => client.end(true, {}, () => resolve());
    client.once('connect', finish);
    client.once('error', finish);
  });
}
