// A small MQTT 3.1.1 client written for checking, not for use, over guarded sockets: it sends the
// packets of wire/mqtt/mqtt-packets.ts as they are (malformed ones too), acknowledges what a subscriber
// must (PUBACK, PUBREC, PUBCOMP) so the server's handshakes can finish, and writes every packet
// of every connection of one check into one log, in the order they crossed the wire.
import type { Socket } from 'node:net';
import { noteIfSilent, printable, withTimeout, type Awaited, type SuiteContext } from './check-kit.ts';
import { OwnServerRefusal } from './address-guard.ts';
import { CheckStopped, openGuardedSocket } from './connection.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import {
  DISCONNECT,
  PACKET,
  decodePackets,
  describePacket,
  encodeAck,
  encodeConnect,
  readConnack,
  readPacketId,
  readPublish,
  utf8Text,
  concatBytes,
  type Connack,
  type ConnectOptions,
  type MqttPacket,
  type ReceivedPublish,
} from '../../wire/mqtt/mqtt-packets.ts';

/** Every line of one check, all its connections interleaved: `[sub] → SUBSCRIBE …`, `[sub] ← SUBACK …`. */
export class MqttLog {
  readonly lines: string[] = [];
  readonly connections: CheckedMqttConnection[] = [];

  /** What went out: the report's `sent`. */
  sent(): string {
    return printable(this.lines.filter((line) => line.includes('] →')).join('\n'));
  }

  /** Both ways in order, so a student sees what each answer answered: the report's `got`. */
  got(): string {
    return printable(this.lines.join('\n'));
  }

  /** Closes every connection the check opened (and waits, so the student's budget is free again). */
  async closeAll(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.end()));
  }
}

/** One TCP connection to the student's broker: packets in, packets out, each logged. */
export class CheckedMqttConnection {
  private pending: Uint8Array = new Uint8Array(0);
  private readonly queue: MqttPacket[] = [];
  private waiters: Array<() => void> = [];
  /** Every PUBLISH the server delivered here, kept even after a check took it from the queue. */
  readonly delivered: ReceivedPublish[] = [];
  ended = false;
  /** Whether a whole MQTT packet came on this connection yet. */
  private spokeMqtt = false;
  /** Why the socket failed, if it did (a refusal of the guard, a reset). */
  error: Error | null = null;
  private readonly closing: Promise<void>;

  constructor(
    readonly socket: Socket,
    readonly label: string,
    private readonly log: MqttLog,
    private readonly signal: AbortSignal,
  ) {
    log.connections.push(this);
    this.closing = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.take(chunk));
    socket.on('error', (error: Error) => {
      this.error ??= error;
      this.log.lines.push(`[${label}] ✕ ${error.message}`);
    });
    socket.once('close', () => {
      this.ended = true;
      this.log.lines.push(`[${label}] ← TCP closed`);
      this.wake();
    });
  }

  private take(chunk: Buffer): void {
    // An HTTP server on the port (Wirelab's one port answers what is not an MQTT CONNECT so): said as text, not as packets.
    if (this.queue.length === 0 && this.pending.length === 0 && !this.spokeMqtt && chunk.subarray(0, 5).toString('latin1') === 'HTTP/') {
      this.log.lines.push(`[${this.label}] ← not MQTT: ${JSON.stringify(chunk.toString('latin1').split('\r\n')[0])} (an HTTP answer)`);
      this.socket.destroy();
      return;
    }
    const { packets, rest, malformed } = decodePackets(concatBytes([this.pending, chunk]));
    if (packets.length > 0) this.spokeMqtt = true;
    this.pending = rest;
    for (const packet of packets) {
      this.log.lines.push(`[${this.label}] ← ${describePacket(packet)}`);
      this.queue.push(packet);
      this.acknowledge(packet);
    }
    if (malformed) {
      this.log.lines.push(`[${this.label}] ← malformed: ${malformed}`);
      this.socket.destroy();
    }
    this.wake();
  }

  /** What any subscriber must answer (§4.3.2, §4.3.3), or the server's handshake never ends. */
  private acknowledge(packet: MqttPacket): void {
    if (packet.type === PACKET.publish) {
      const message = readPublish(packet);
      this.delivered.push(message);
      if (message.packetId !== null && message.qos === 1) this.send(encodeAck(PACKET.puback, message.packetId));
      if (message.packetId !== null && message.qos === 2) this.send(encodeAck(PACKET.pubrec, message.packetId));
    } else if (packet.type === PACKET.pubrel) {
      const packetId = readPacketId(packet);
      if (packetId !== null) this.send(encodeAck(PACKET.pubcomp, packetId));
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Writes `bytes` as they are; the log shows each packet in them, decoded. */
  send(bytes: Uint8Array, note = ''): void {
    const { packets } = decodePackets(bytes);
    for (const packet of packets) this.log.lines.push(`[${this.label}] → ${describePacket(packet)}${note}`);
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /**
   * The first packet of `type` not yet taken (any type when `type` is null), waiting for it up to
   * a check's limit; null when the connection ended first.
   */
  next(type: number | null, what: Awaited): Promise<MqttPacket | null> {
    const wait = new Promise<MqttPacket | null>((resolve) => {
      const attempt = () => {
        const index = this.queue.findIndex((packet) => type === null || packet.type === type);
        if (index >= 0) return resolve(this.queue.splice(index, 1)[0]);
        if (this.ended) return resolve(null);
        this.waiters.push(attempt);
      };
      attempt();
    });
    return withTimeout(wait, OWN_SERVER_LIMITS.checkTimeoutMs, this.signal, what);
  }

  /** The next PUBLISH whose payload is `payload`, or null when the connection ended first. */
  async nextDelivery(payload: string, what: string): Promise<ReceivedPublish | null> {
    for (;;) {
      const packet = await this.next(PACKET.publish, what);
      if (!packet) return null;
      const message = readPublish(packet);
      if (utf8Text(message.payload) === payload) return message;
    }
  }

  /** Whether the server closed the connection within `ms` (a refusal in MQTT 3.1.1 is a close). */
  async closedWithin(ms: number = OWN_SERVER_LIMITS.checkTimeoutMs): Promise<boolean> {
    if (this.ended) return true;
    return withTimeout(this.closing, ms, this.signal, 'the server closing the connection').then(
      () => true,
      (error: Error) => {
        if (this.signal.aborted) throw error;
        return false;
      },
    );
  }

  /** DISCONNECT, our half of TCP closed, then the server's (§3.14.4): a clean goodbye. */
  async disconnect(): Promise<void> {
    this.send(DISCONNECT);
    this.socket.end();
    if (!(await this.closedWithin())) await this.end();
  }

  /** Closes at once, no DISCONNECT: to the server, a client that vanished. */
  async end(): Promise<void> {
    if (!this.socket.destroyed) this.socket.destroy();
    await this.closing;
  }
}

/** Silence for `ms`: what arrives meanwhile is what a check then judges. Ends early if the suite stops. */
export function quietFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Opens a TCP connection to the student's broker (through the guard), nothing sent yet. */
export function openMqtt(context: SuiteContext, log: MqttLog, label: string): CheckedMqttConnection {
  return new CheckedMqttConnection(openGuardedSocket(context.target, context, { transport: 'mqtt' }), label, log, context.signal);
}

export interface Connected {
  connection: CheckedMqttConnection;
  /** The first packet the server sent, when it was a CONNACK (§3.2.0-1); null otherwise. */
  connack: Connack | null;
  /** The first packet the server sent, whatever it was; null when it closed first. */
  first: MqttPacket | null;
}

/** CONNECT and the server's first answer. */
export async function connectMqtt(context: SuiteContext, log: MqttLog, label: string, options: ConnectOptions): Promise<Connected> {
  const connection = openMqtt(context, log, label);
  connection.send(encodeConnect(options));
  const first = await connection.next(null, { en: `the CONNACK of ${label}`, ru: `CONNACK соединения ${label}` }).catch((error: unknown) => {
    noteIfSilent(context, error, connection.socket.bytesRead);
    throw error;
  });
  // Refused by the guard or stopped: the runner reports that in the student's language.
  if (!first && (connection.error instanceof OwnServerRefusal || connection.error instanceof CheckStopped)) throw connection.error;
  return { connection, first, connack: first?.type === PACKET.connack ? readConnack(first) : null };
}
