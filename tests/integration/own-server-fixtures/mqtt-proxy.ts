// A faulty MQTT broker for the MQTT suite's tests (issue 38, item 6): a small proxy in front of a
// correct broker (Debian's mosquitto) that alters the packets of each connection the way one
// realistic mistake of a hand-written broker would, so a test can assert exactly which checks
// catch it. Packets are framed and written with wire/mqtt; with no fault it only forwards.
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import {
  PACKET,
  concatBytes,
  decodePackets,
  encodeConnect,
  encodePacket,
  readPacketId,
  readPublish,
  type MqttPacket,
} from '../../../wire/mqtt/mqtt-packets.ts';

export type MqttFault =
  | ''
  /** parses leniently: malformed packets are mended and processed instead of refused */
  | 'lax'
  /** a second connection with a client id in use gets an id of its own: no takeover */
  | 'no-takeover'
  /** clean session 1 keeps the stored session (CONNECT is passed on with clean session 0) */
  | 'keeps-session'
  /** CONNACK always says session present 1 for clean session 0 */
  | 'session-present-1'
  /** an empty client id is one shared id ("anonymous"), whatever the clean session */
  | 'empty-id-shared'
  /** client ids with capital letters are refused with CONNACK 2 */
  | 'lowercase-ids'
  /** the first QoS 1 PUBLISH of each connection is held until the next has gone ahead of it (at most HOLD_FIRST_MS) */
  | 'reorders'
  /** a QoS 0 subscription is kept at QoS 1 (SUBACK still says 0) */
  | 'qos-not-downgraded'
  /** "#" matches $SYS topics too */
  | 'dollar-matched'
  /** UNSUBSCRIBE of a filter never subscribed is left unanswered */
  | 'unsuback-only-on-match'
  /** UNSUBSCRIBE is acknowledged and ignored */
  | 'unsubscribe-ignored'
  /** a retained QoS 0 PUBLISH is dropped, the old retained message stays */
  | 'retained-qos0-ignored'
  /** every PUBLISH is kept as the retained message */
  | 'retains-everything'
  /**
   * an empty retained PUBLISH is passed on as an ordinary one, so the retained message stays; the
   * message so kept reaches a new subscriber LATE_MS late, what follows on its connection behind it
   */
  | 'keeps-cleared-late'
  /**
   * the first QoS 2 message a connection gets comes again (a copy of the resend, a new packet id)
   * LATE_MS after its PUBCOMP, what follows on that connection behind it
   */
  | 'qos2-copy-late';

/** What the proxy knows of one client connection. */
interface Session {
  clientId: string | null;
  cleanSession: boolean;
  filters: Set<string>;
  /** SUBSCRIBE packet id → the codes to put back into its SUBACK (a lie), or how many codes it asked for. */
  subacks: Map<number, { granted?: number[]; asked?: number }>;
  published: number;
  /** 'keeps-cleared-late': the topics whose empty retained PUBLISH went on without RETAIN (shared by the proxy's connections). */
  notCleared: Set<string>;
}

const liveIds = new Map<string, number>();

function readString(body: Uint8Array, at: number): [string, number] {
  const length = (body[at]! << 8) | body[at + 1]!;
  return [new TextDecoder().decode(body.subarray(at + 2, at + 2 + length)), at + 2 + length];
}

function writeString(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  return concatBytes([Uint8Array.of(bytes.length >> 8, bytes.length & 0xff), bytes]);
}

function subscribeFilters(body: Uint8Array): Array<{ filter: string; qos: number }> {
  const filters: Array<{ filter: string; qos: number }> = [];
  for (let at = 2; at < body.length; ) {
    const [filter, next] = readString(body, at);
    filters.push({ filter, qos: body[next]! });
    at = next + 1;
  }
  return filters;
}

const subscribePacket = (packetId: number, filters: Array<{ filter: string; qos: number }>) =>
  encodePacket(
    PACKET.subscribe,
    0x02,
    concatBytes([Uint8Array.of(packetId >> 8, packetId & 0xff), ...filters.flatMap(({ filter, qos }) => [writeString(filter), Uint8Array.of(qos)])]),
  );

/** A CONNECT with its client id, clean session or reserved flag changed, by what the fault does. */
function alteredConnect(packet: MqttPacket, fault: MqttFault, session: Session, toClient: Socket): Uint8Array | null | [] {
  const [name, afterName] = readString(packet.body, 0);
  let flags = packet.body[afterName + 1]!;
  const [clientId] = readString(packet.body, afterName + 4);
  session.clientId = clientId;
  session.cleanSession = (flags & 0x02) !== 0;
  if (fault === 'lowercase-ids' && /[A-Z]/.test(clientId)) {
    toClient.end(Uint8Array.of(0x20, 0x02, 0x00, 0x02));
    return [];
  }
  let id = clientId;
  if (fault === 'empty-id-shared' && clientId === '') id = 'anonymous';
  if (fault === 'no-takeover' && clientId !== '' && (liveIds.get(clientId) ?? 0) > 0) id = `${clientId.slice(0, 18)}-twin`;
  liveIds.set(clientId, (liveIds.get(clientId) ?? 0) + 1);
  if (fault === 'keeps-session') flags &= ~0x02;
  if (fault === 'lax') flags &= ~0x01;
  if (id === clientId && flags === packet.body[afterName + 1] && !(fault === 'lax' && name !== 'MQTT')) return null;
  const rest = packet.body.subarray(afterName + 4 + 2 + new TextEncoder().encode(clientId).length);
  const header = Uint8Array.of(packet.body[afterName]!, flags, packet.body[afterName + 2]!, packet.body[afterName + 3]!);
  return encodePacket(PACKET.connect, 0, concatBytes([writeString(fault === 'lax' ? 'MQTT' : name), header, writeString(id), rest]));
}

/** What goes to the broker for one client packet: the same bytes (null), others, or nothing ([]). */
function towardsBroker(packet: MqttPacket, fault: MqttFault, session: Session, toClient: Socket, first: boolean): Uint8Array | null | [] {
  if (packet.type === PACKET.connect) return alteredConnect(packet, fault, session, toClient);
  if (first && fault === 'lax')
    return concatBytes([encodeConnect({ clientId: `lax-${Math.random().toString(16).slice(2, 10)}` }), encodePacket(packet.type, packet.flags, packet.body)]);
  if (packet.type === PACKET.publish) return publishTowardsBroker(packet, fault, session);
  if (packet.type === PACKET.subscribe) return subscribeTowardsBroker(packet, fault, session);
  if (packet.type === PACKET.unsubscribe) {
    const packetId = readPacketId(packet)!;
    const filters: string[] = [];
    for (let at = 2; at < packet.body.length; ) {
      const [filter, next] = readString(packet.body, at);
      filters.push(filter);
      at = next;
    }
    if (packet.flags !== 0x02) return fault === 'lax' ? encodePacket(packet.type, 0x02, packet.body) : null;
    if (fault === 'unsuback-only-on-match' && !filters.some((filter) => session.filters.has(filter))) return [];
    if (fault === 'unsubscribe-ignored') {
      toClient.write(encodePacket(PACKET.unsuback, 0, Uint8Array.of(packetId >> 8, packetId & 0xff)));
      return [];
    }
  }
  if (fault === 'lax' && packet.type === PACKET.pubrel && packet.flags !== 0x02) return encodePacket(packet.type, 0x02, packet.body);
  return null;
}

function publishTowardsBroker(packet: MqttPacket, fault: MqttFault, session: Session): Uint8Array | null | [] {
  const message = readPublish(packet);
  session.published += 1;
  if (fault === 'keeps-cleared-late' && message.retain && message.payload.length === 0) {
    session.notCleared.add(message.topic);
    return encodePacket(packet.type, packet.flags & ~0x01, packet.body);
  }
  if (fault === 'retained-qos0-ignored' && message.retain && message.qos === 0) return [];
  if (fault === 'retains-everything' && !message.retain) return encodePacket(packet.type, packet.flags | 0x01, packet.body);
  if (fault === 'lax' && /[+#\u0000]/.test(message.topic)) {
    const mended = writeString(message.topic.replace(/[+#\u0000]/g, '_'));
    const [, afterTopic] = readString(packet.body, 0);
    return encodePacket(packet.type, packet.flags, concatBytes([mended, packet.body.subarray(afterTopic)]));
  }
  return null;
}

function subscribeTowardsBroker(packet: MqttPacket, fault: MqttFault, session: Session): Uint8Array | null | [] {
  const packetId = readPacketId(packet)!;
  const filters = subscribeFilters(packet.body);
  for (const { filter } of filters) session.filters.add(filter);
  if (fault === 'qos-not-downgraded' && filters.some(({ qos }) => qos === 0)) {
    session.subacks.set(packetId, { granted: filters.map(({ qos }) => qos) });
    return subscribePacket(
      packetId,
      filters.map(({ filter, qos }) => ({ filter, qos: Math.max(qos, 1) })),
    );
  }
  if (fault === 'dollar-matched' && filters.some(({ filter }) => filter === '#')) {
    session.subacks.set(packetId, { asked: filters.length });
    return subscribePacket(packetId, [...filters, { filter: '$SYS/#', qos: 0 }]);
  }
  if (fault === 'lax' && (packet.flags !== 0x02 || filters.length === 0 || filters.some(({ filter, qos }) => qos > 2 || filter.includes('#/')))) {
    const mended = filters.map(({ filter, qos }) => ({ filter: filter.replace('#/', '+/'), qos: Math.min(qos, 2) }));
    return subscribePacket(packetId, mended.length > 0 ? mended : [{ filter: 'lax/nothing', qos: 0 }]);
  }
  return null;
}

/** What goes to the client for one broker packet: the same bytes (null), others, or nothing ([]). */
function towardsClient(packet: MqttPacket, fault: MqttFault, session: Session): Uint8Array | null | [] {
  if (packet.type === PACKET.connack && fault === 'session-present-1' && !session.cleanSession && packet.body[1] === 0)
    return encodePacket(PACKET.connack, 0, Uint8Array.of(1, 0));
  if (packet.type === PACKET.suback) {
    const packetId = readPacketId(packet)!;
    const lie = session.subacks.get(packetId);
    if (!lie) return null;
    session.subacks.delete(packetId);
    const codes = lie.granted ?? [...packet.body.subarray(2, 2 + lie.asked!)];
    return encodePacket(PACKET.suback, 0, concatBytes([packet.body.subarray(0, 2), Uint8Array.from(codes)]));
  }
  return null;
}

/** Passes the packets of `from` to `to`, each through `alter`; one it delays is written when its time comes. */
function pipePackets(from: Socket, to: Socket, alter: (packet: MqttPacket, first: boolean) => Uint8Array | null | [] | Promise<Uint8Array | null | []>): void {
  let pending: Uint8Array = new Uint8Array(0);
  let first = true;
  from.on('data', (chunk: Buffer) => {
    const { packets, rest, malformed } = decodePackets(concatBytes([pending, chunk]));
    pending = rest;
    for (const packet of packets) {
      const write = (bytes: Uint8Array | null | []) => {
        if (to.destroyed) return;
        if (bytes === null) to.write(encodePacket(packet.type, packet.flags, packet.body));
        else if (bytes instanceof Uint8Array) to.write(bytes);
      };
      const result = alter(packet, first);
      first = false;
      if (result instanceof Promise) void result.then(write);
      else write(result);
    }
    if (malformed) to.destroy();
  });
}

/** How long the 'reorders' fault holds a connection's first PUBLISH when no second comes (a check that publishes once). */
const HOLD_FIRST_MS = 1_000;

/** A QoS 1 PUBLISH a correct broker routes (the refusal checks' malformed ones are not delayed). */
function wellFormedQos1(packet: MqttPacket): boolean {
  const message = readPublish(packet);
  return message.qos === 1 && message.packetId !== 0 && !/[+#\u0000]/.test(message.topic);
}

/**
 * How late 'keeps-cleared-late' and 'qos2-copy-late' send what they should not: well past the
 * 400 ms of silence a check waits after its marker (SILENCE_MS), as a slow broker on a loaded
 * machine might, and deterministic (no load needed to show a check that judged by silence alone).
 */
export const LATE_MS = 1_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The proxy on a free loopback port, in front of the broker at `upstreamPort`. */
export async function startMqttProxy(upstreamPort: number, fault: MqttFault): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const notCleared = new Set<string>();
  const server = createServer((client) => {
    const broker = connect(upstreamPort, '127.0.0.1');
    const session: Session = { clientId: null, cleanSession: true, filters: new Set(), subacks: new Map(), published: 0, notCleared };
    for (const socket of [client, broker]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        broker.destroy();
      });
    }
    client.once('close', () => {
      if (session.clientId !== null) liveIds.set(session.clientId, (liveIds.get(session.clientId) ?? 1) - 1);
    });
    // 'keeps-cleared-late', 'qos2-copy-late': a slow broker that keeps order. Once it holds something
    // for a connection, all it sends there afterwards waits behind it, in order.
    let behind: Promise<unknown> | null = null;
    const inTurn = (bytes: Uint8Array | null | []): Uint8Array | null | [] | Promise<Uint8Array | null | []> => {
      if (behind === null) return bytes;
      const result = behind.then(() => bytes);
      behind = result;
      return result;
    };
    /** 'qos2-copy-late': the first QoS 2 delivery of this connection, with the packet id its copy gets. */
    let copied: { packetId: number; copy: Uint8Array } | null = null;
    const COPY_ID = 0xfffe;
    let releaseHeld: (() => void) | null = null;
    pipePackets(client, broker, (packet, first) => {
      if (fault === 'qos2-copy-late' && copied && (packet.type === PACKET.pubrec || packet.type === PACKET.pubcomp) && readPacketId(packet) === COPY_ID) {
        // the copy's handshake is the proxy's own: the broker never sent it
        if (packet.type === PACKET.pubrec) client.write(encodePacket(PACKET.pubrel, 0x02, Uint8Array.of(COPY_ID >> 8, COPY_ID & 0xff)));
        return [];
      }
      if (fault === 'qos2-copy-late' && copied && packet.type === PACKET.pubcomp && readPacketId(packet) === copied.packetId) {
        const { copy } = copied;
        copied = { packetId: -1, copy };
        behind = delay(LATE_MS).then(() => client.destroyed || client.write(copy));
      }
      const bytes = towardsBroker(packet, fault, session, client, first);
      if (fault !== 'reorders' || packet.type !== PACKET.publish || !wellFormedQos1(packet)) return bytes;
      if (session.published === 1) {
        // Held until the next PUBLISH overtakes it, not for a fixed time: on a loaded machine the
        // next could arrive after any delay, and the fault would then go unseen.
        return new Promise((resolve) => {
          const release = () => {
            clearTimeout(timer);
            releaseHeld = null;
            resolve(bytes);
          };
          const timer = setTimeout(release, HOLD_FIRST_MS);
          releaseHeld = release;
        });
      }
      // the held first goes right after this one (its promise resolves after this packet is written)
      releaseHeld?.();
      return bytes;
    });
    pipePackets(broker, client, (packet) => {
      const bytes = towardsClient(packet, fault, session);
      if ((fault === 'keeps-cleared-late' || fault === 'qos2-copy-late') && packet.type === PACKET.publish) {
        const message = readPublish(packet);
        if (fault === 'keeps-cleared-late' && message.retain && notCleared.has(message.topic) && behind === null) behind = delay(LATE_MS);
        if (fault === 'qos2-copy-late' && message.qos === 2 && copied === null) {
          const [, afterTopic] = readString(packet.body, 0);
          const id = Uint8Array.of(COPY_ID >> 8, COPY_ID & 0xff);
          copied = {
            packetId: message.packetId!,
            copy: encodePacket(
              PACKET.publish,
              packet.flags & ~0x08,
              concatBytes([packet.body.subarray(0, afterTopic), id, packet.body.subarray(afterTopic + 2)]),
            ),
          };
        }
      }
      return inTurn(bytes);
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
