import { readRemainingLength } from '../../../wire/mqtt/remaining-length.ts';
import { clientPacketViolation, type Violation } from './client-packet-rules.ts';

export interface GateResult {
  /**
   * the whole packets that passed the rules, in order, to hand to the broker: the bytes of all
   * of them as one piece (the broker reads a byte stream, and a piece per packet would cost a
   * push per PUBACK of every subscriber), or one piece per run of them between acknowledgements
   * taken before the broker (`feed`'s `tookAcknowledgement`)
   */
  passed: Buffer[];
  /** the first packet that broke a rule: nothing after it is passed */
  violation?: Violation;
  /** that packet itself, as the client sent it */
  refusedPacket?: RefusedPacket;
}

/** A packet the gate refused: its fixed header's first byte and its body (after the remaining length). */
export interface RefusedPacket {
  first: number;
  body: Buffer;
}

/**
 * Cuts a client's byte stream into whole packets and lets through only those that keep the
 * rules (client-packet-rules.ts), so the broker never reads a packet MQTT says to refuse.
 * The packet size guard runs first: a packet is buffered here only once its declared length
 * is known to be within the limit.
 */
const NOTHING = Buffer.alloc(0);
/** A PUBACK's first byte (type 4, flags 0: the rules refuse any other flags). */
const PUBACK = 0x40;
/** What a chunk that held only a PUBACK taken before the broker passes on; only read. */
const NOTHING_PASSED: GateResult = { passed: [] };

export class ClientPacketGate {
  private pending: Buffer = NOTHING;
  private connected = false;
  private refused = false;

  /**
   * `tookAcknowledgement`: asked for each PUBACK that keeps the rules; true: it was answered
   * before the broker (direct-delivery.ts: a clean session's), and is not passed on.
   */
  feed(chunk: Buffer, tookAcknowledgement?: () => boolean): GateResult {
    if (this.refused) return { passed: [] };
    // The commonest chunk of a QoS 1 fan-out: a subscriber's lone PUBACK. All its rules are here
    // (a CONNECT before it, flags 0, a remaining length of 2: client-packet-rules.ts), so it is
    // neither framed nor checked again.
    if (this.pending.length === 0 && chunk.length === 4 && chunk[0] === PUBACK && chunk[1] === 2 && this.connected) {
      return tookAcknowledgement?.() ? NOTHING_PASSED : { passed: [chunk] };
    }
    const bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const passed: Buffer[] = [];
    /** where the packets not passed on yet begin */
    let passedFrom = 0;
    let passedEnd = 0;
    let violation: Violation | undefined;
    let refusedPacket: RefusedPacket | undefined;
    for (;;) {
      const framed = frame(bytes, passedEnd);
      if (!framed) break;
      const type = bytes[passedEnd]!;
      violation = clientPacketViolation(type, bytes.subarray(framed.bodyStart, framed.end), { connected: this.connected }) ?? undefined;
      if (violation) {
        this.refused = true;
        refusedPacket = { first: type, body: bytes.subarray(framed.bodyStart, framed.end) };
        break;
      }
      if (type >> 4 === 1) this.connected = true;
      if (type === PUBACK && tookAcknowledgement?.()) {
        if (passedEnd > passedFrom) passed.push(bytes.subarray(passedFrom, passedEnd));
        passedFrom = framed.end;
      }
      passedEnd = framed.end;
    }
    // most chunks end with a whole packet: nothing is kept, and no empty view made for it
    this.pending = violation || passedEnd === bytes.length ? NOTHING : bytes.subarray(passedEnd);
    if (passedEnd > passedFrom) passed.push(passedFrom === 0 && passedEnd === bytes.length ? bytes : bytes.subarray(passedFrom, passedEnd));
    return violation ? { passed, violation, ...(refusedPacket ? { refusedPacket } : {}) } : { passed };
  }
}

/** Where the packet starting at `start` ends, once all of it is there (a longer length than 4 bytes is the size guard's to refuse). */
function frame(bytes: Buffer, start: number): { bodyStart: number; end: number } | undefined {
  const remaining = readRemainingLength(bytes, start + 1);
  if (typeof remaining === 'string') return undefined;
  const end = remaining.bodyStart + remaining.length;
  return end <= bytes.length ? { bodyStart: remaining.bodyStart, end } : undefined;
}
