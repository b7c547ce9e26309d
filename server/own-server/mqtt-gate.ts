// What the MQTT relay lets through, one side at a time: whole packets that MQTT 3.1.1 allows from
// that side, each read by the inspector's decoder (wire/mqtt/mqtt-packets.ts) before it goes on,
// so the relay is an MQTT hop and never a pipe to whatever listens at the target. A Redis, an
// SMTP server or a memcached on the student's machine gets at most one CONNECT from it, and
// answers something that is not a CONNACK, which ends the relay (issue 36).
import { concatBytes, framePackets, PACKET, packetError, packetName, type FramedPacket } from '../../wire/mqtt/mqtt-packets.ts';

/** Who sent the bytes a gate reads: the page (the MQTT client) or the student's server (the broker). */
export type MqttSide = 'page' | 'server';

/** Why a gate stopped: a decoder error code (mqtt-error-text.ts) or one of the relay's own, with the packet's name. */
export interface MqttRefusal {
  packet: string;
  rule: string;
}

/** The packets a client may send (§3), and those a server may (CONNACK only first, checked apart). */
const FROM_PAGE = new Set<number>([
  PACKET.connect,
  PACKET.publish,
  PACKET.puback,
  PACKET.pubrec,
  PACKET.pubrel,
  PACKET.pubcomp,
  PACKET.subscribe,
  PACKET.unsubscribe,
  PACKET.pingreq,
  PACKET.disconnect,
]);
const FROM_SERVER = new Set<number>([
  PACKET.connack,
  PACKET.publish,
  PACKET.puback,
  PACKET.pubrec,
  PACKET.pubrel,
  PACKET.pubcomp,
  PACKET.suback,
  PACKET.unsuback,
  PACKET.pingresp,
]);

/** The flags each type must carry (§2.2.2), PUBLISH's aside (DUP, QoS, RETAIN): 0000 but for these. */
const REQUIRED_FLAGS: Readonly<Record<number, number>> = { [PACKET.pubrel]: 0b0010, [PACKET.subscribe]: 0b0010, [PACKET.unsubscribe]: 0b0010 };

const LINE_FEED = 0x0a;

/**
 * Whether a CONNECT holds a whole text line: a line feed, then bytes not starting with NUL, then
 * another line feed. Text protocols (Redis' inline commands, memcached, SMTP) run each line they
 * receive, and a CONNECT's strings and binary fields may hold anything; a CONNECT without such a
 * line is, to them, garbage and at most one unfinished line, which nothing after it completes:
 * the relay sends nothing more until the server has answered with a CONNACK. Between two line
 * feeds a NUL first is allowed, as keep-alive 10 s (`00 0a`) before a client id's length (`00 …`) is.
 */
export function connectHoldsTextLine(bytes: Uint8Array): boolean {
  const lineFeeds: number[] = [];
  bytes.forEach((byte, index) => {
    if (byte === LINE_FEED) lineFeeds.push(index);
  });
  return lineFeeds.slice(0, -1).some((at) => bytes[at + 1] !== 0);
}

export class MqttGate {
  private pending: Uint8Array = new Uint8Array(0);
  private packets = 0;

  constructor(
    private readonly side: MqttSide,
    /** the most bytes a packet may have, or wait for (the relay's byte cap) */
    private readonly maxPacketBytes: number,
  ) {}

  /** The whole packets `chunk` completes, each checked; a refusal ends the relay (nothing after it is passed on). */
  take(chunk: Uint8Array): { packets: FramedPacket[]; refusal?: MqttRefusal } {
    const { framed, rest, malformed } = framePackets(this.pending.length === 0 ? chunk : concatBytes([this.pending, chunk]));
    this.pending = rest;
    const packets: FramedPacket[] = [];
    for (const packet of framed) {
      const refusal = this.check(packet);
      if (refusal) return { packets, refusal };
      packets.push(packet);
      this.packets += 1;
    }
    if (malformed) return { packets, refusal: { packet: packetName(rest[0]! >> 4), rule: 'mqtt-malformed-length' } };
    if (rest.length > this.maxPacketBytes) return { packets, refusal: { packet: packetName(rest[0]! >> 4), rule: 'too-large' } };
    // a packet still coming is judged by its first byte at once: a text reply (`-ERR …` is 0x2d,
    // CONNACK's type with flags 1101) ends the relay now, not after as many bytes as it claims
    const header = rest.length > 0 ? this.headerRefusal(rest[0]!) : null;
    return header ? { packets, refusal: header } : { packets };
  }

  private headerRefusal(first: number): MqttRefusal | null {
    const type = first >> 4;
    const name = packetName(type);
    if (this.packets === 0 && !this.mayStartWith(type)) return { packet: name, rule: this.side === 'page' ? 'not-connect-first' : 'not-connack-first' };
    if (!(this.side === 'page' ? FROM_PAGE : FROM_SERVER).has(type)) return { packet: name, rule: 'wrong-direction' };
    if (type !== PACKET.publish && (first & 0x0f) !== (REQUIRED_FLAGS[type] ?? 0)) return { packet: name, rule: 'mqtt-bad-flags' };
    return null;
  }

  private check({ packet, bytes, node }: FramedPacket): MqttRefusal | null {
    const name = packetName(packet.type);
    const header = this.headerRefusal(bytes[0]!);
    if (header) return header;
    if (this.packets > 0 && (packet.type === PACKET.connect || packet.type === PACKET.connack)) return { packet: name, rule: 'second-connect' };
    if (bytes.length > this.maxPacketBytes) return { packet: name, rule: 'too-large' };
    const error = packetError(node);
    if (error) return { packet: name, rule: error };
    if (packet.type === PACKET.connect && connectHoldsTextLine(bytes)) return { packet: name, rule: 'text-line' };
    return null;
  }

  private mayStartWith(type: number): boolean {
    return type === (this.side === 'page' ? PACKET.connect : PACKET.connack);
  }
}
