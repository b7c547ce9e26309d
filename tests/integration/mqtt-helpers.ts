import { randomBytes } from 'node:crypto';
import type { Aedes } from 'aedes';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { CapturedConnection, WireMessage } from '../../wire/types.ts';
import type { CaptureClient } from './capture-client.ts';

export const WAIT_MS = 5_000;

export function sandbox(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export interface Received {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

/** An mqtt.js client that keeps every message it receives, so a test can wait for them. */
export class Subscriber {
  readonly received: Received[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.received.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async connect(url: string, options: IClientOptions = {}): Promise<Subscriber> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    return new Subscriber(client);
  }

  /** Waits until `count` messages arrived; returns them all. */
  async waitForCount(count: number): Promise<Received[]> {
    const deadline = Date.now() + WAIT_MS;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} messages, got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  async end(): Promise<void> {
    await this.client.endAsync();
  }
}

/** Connects, expecting the broker to refuse: the CONNACK return code it sent. */
export async function refusedWith(url: string, options: IClientOptions): Promise<number | undefined> {
  try {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    await client.endAsync(true);
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

/** Every WireMessage of the captured connections (of one transport, if given), decoded as the inspector does. */
export function decodedMessages(capture: CaptureClient, transport?: string): WireMessage[] {
  const closed = new Map(capture.messages.filter((m) => m.type === 'closed').map((m) => [m.conn as string, m.t as number]));
  const connections = capture.connections<CapturedConnection>();
  return connections
    .filter((connection) => transport === undefined || connection.transport === transport)
    .flatMap((connection) => {
      const chunks = capture
        .chunks()
        .filter((chunk) => chunk.conn === connection.id)
        .map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
      const closedAt = closed.get(connection.id);
      return decodeConnection(closedAt === undefined ? connection : { ...connection, closedAt }, chunks).messages ?? [];
    });
}

/** The broker's connected client of a broker client id (`<sandbox>/<id>`); aedes' types leave `clients` out. */
export function brokerClient(broker: Aedes, brokerClientId: string): { id: string; conn: { destroy(): void } } | undefined {
  return (broker as unknown as { clients: Record<string, { id: string; conn: { destroy(): void } } | undefined> }).clients[brokerClientId];
}
