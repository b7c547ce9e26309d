import { clientPacketViolation, type Violation } from './client-packet-rules.ts';

export interface GateResult {
  /** whole packets that passed the rules, in order, to hand to the broker */
  passed: Buffer[];
  /** the first packet that broke a rule: nothing after it is passed */
  violation?: Violation;
}

/**
 * Cuts a client's byte stream into whole packets and lets through only those that keep the
 * rules (client-packet-rules.ts), so the broker never reads a packet MQTT says to refuse.
 * The packet size guard runs first: a packet is buffered here only once its declared length
 * is known to be within the limit.
 */
export class ClientPacketGate {
  private pending: Buffer = Buffer.alloc(0);
  private connected = false;
  private refused = false;

  feed(chunk: Buffer): GateResult {
    const passed: Buffer[] = [];
    if (this.refused) return { passed };
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const framed = frame(this.pending);
      if (!framed) return { passed };
      const packet = this.pending.subarray(0, framed.end);
      const violation = clientPacketViolation(packet[0]!, packet.subarray(framed.bodyStart), { connected: this.connected });
      if (violation) {
        this.refused = true;
        this.pending = Buffer.alloc(0);
        return { passed, violation };
      }
      if (packet[0]! >> 4 === 1) this.connected = true;
      passed.push(packet);
      this.pending = this.pending.subarray(framed.end);
    }
  }
}

/** Where the first packet of `bytes` ends, once all of it is there (a longer length than 4 bytes is the size guard's to refuse). */
function frame(bytes: Buffer): { bodyStart: number; end: number } | undefined {
  let length = 0;
  for (let i = 1; i <= 4; i++) {
    if (i >= bytes.length) return undefined;
    const byte = bytes[i]!;
    length += (byte & 0x7f) * 128 ** (i - 1);
    if ((byte & 0x80) === 0) {
      const end = i + 1 + length;
      return end <= bytes.length ? { bodyStart: i + 1, end } : undefined;
    }
  }
  return undefined;
}
