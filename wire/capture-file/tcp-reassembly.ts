// TCP segments into connections and their two byte streams (RFC 9293 §3.4, §3.10.7.4): per
// direction, bytes in sequence order from the SYN's sequence number + 1; a retransmission (bytes
// already taken) is dropped, an overlap keeps the first copy, a segment that comes early waits for
// the ones before it, and bytes never captured stay a hole (a jump in offsets, which the stream
// assembler marks `gapBefore` and the decoders skip honestly). The result is the tap's own shape,
// CapturedConnection and CaptureChunk, so the inspector decodes a file like its live captures.
import type { CaptureChunk, CapturedConnection } from '../captured-connection.ts';
import { sniffTransport } from './sniff-transport.ts';
import type { TcpSegment } from './tcp-segments.ts';

export interface ReassemblyCounts {
  /** segments whose bytes had all been taken already */
  retransmissions: number;
  /**
   * segments that came before bytes they follow, which came later: reordered on the way. A
   * segment after bytes that never came is not one (it follows a gap, as Wireshark's "previous
   * segment not captured"): a recording with a hole is in order, only incomplete.
   */
  outOfOrder: number;
  /** holes: bytes never captured, per direction of every connection */
  gaps: number;
}

/** What is known of a connection that a file does not say the way the tap would. */
export interface ConnectionFacts {
  /** no SYN in the file: the connection began before the capture, its first bytes are missing */
  startedBeforeCapture?: true;
  /** a TLS ClientHello opened it: encrypted, not decoded */
  tls?: true;
}

export interface ReassembledCapture {
  connections: CapturedConnection[];
  chunks: CaptureChunk[];
  facts: Record<string, ConnectionFacts>;
  counts: ReassemblyCounts;
}

interface Pending {
  offset: number;
  data: Uint8Array;
  t: number;
}

interface Direction {
  /** the sequence number of the stream's byte 0 */
  base?: number;
  next: number;
  pending: Pending[];
  fin: boolean;
}

interface Flow {
  id: string;
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  openedAt: number;
  closedAt?: number;
  sawSyn: boolean;
  in: Direction;
  out: Direction;
  chunks: CaptureChunk[];
}

const HALF = 2 ** 31;
const newDirection = (): Direction => ({ next: 0, pending: [], fin: false });

export class TcpReassembler {
  private readonly flows = new Map<string, Flow>();
  private readonly all: Flow[] = [];
  private seq = 0;
  readonly counts: ReassemblyCounts = { retransmissions: 0, outOfOrder: 0, gaps: 0 };

  add(segment: TcpSegment, t: number): void {
    const a = `${segment.src}|${segment.srcPort}`;
    const b = `${segment.dst}|${segment.dstPort}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let flow = this.flows.get(key);
    const opening = segment.syn && !segment.ackFlag;
    // A SYN on a 4-tuple whose connection ended (or that used other sequence numbers) opens a new one.
    if (flow && opening && (flow.closedAt !== undefined || (flow.in.base !== undefined && flow.in.base !== (segment.seq + 1) >>> 0))) flow = undefined;
    if (!flow) {
      flow = this.newFlow(segment, t);
      this.flows.set(key, flow);
      this.all.push(flow);
    }
    const fromClient = segment.src === flow.client && segment.srcPort === flow.clientPort;
    const direction = fromClient ? flow.in : flow.out;
    if (segment.syn) {
      flow.sawSyn = true;
      if (direction.base === undefined) direction.base = (segment.seq + 1) >>> 0;
    }
    if (segment.payload.length > 0) this.take(flow, fromClient ? 'in' : 'out', direction, segment, t);
    if (segment.fin) direction.fin = true;
    if (flow.closedAt === undefined && (segment.rst || (flow.in.fin && flow.out.fin))) flow.closedAt = t;
  }

  private newFlow(segment: TcpSegment, t: number): Flow {
    // The SYN's sender is the client; without a handshake in the file, the side on the higher
    // (ephemeral) port is, as it is for every client that lets its system pick the port.
    const senderIsClient = segment.syn ? !segment.ackFlag : segment.srcPort > segment.dstPort;
    return {
      id: `c${this.all.length + 1}`,
      client: senderIsClient ? segment.src : segment.dst,
      clientPort: senderIsClient ? segment.srcPort : segment.dstPort,
      server: senderIsClient ? segment.dst : segment.src,
      serverPort: senderIsClient ? segment.dstPort : segment.srcPort,
      openedAt: t,
      sawSyn: false,
      in: newDirection(),
      out: newDirection(),
      chunks: [],
    };
  }

  private take(flow: Flow, dir: 'in' | 'out', direction: Direction, segment: TcpSegment, t: number): void {
    if (direction.base === undefined) direction.base = segment.seq;
    const offset = (segment.seq - direction.base) >>> 0;
    if (offset >= HALF) {
      this.counts.retransmissions++; // before the stream's first byte: a copy of something older
      return;
    }
    const end = offset + segment.payload.length;
    if (end <= direction.next) {
      this.counts.retransmissions++;
      return;
    }
    if (offset > direction.next) {
      // counted out of order only if the bytes before it come later (drain, finish)
      direction.pending.push({ offset, data: segment.payload, t });
      return;
    }
    this.emit(flow, dir, direction, offset, segment.payload, t);
    this.drain(flow, dir, direction);
  }

  /** Bytes from `direction.next` on (a copy overlapping what was taken loses its head). */
  private emit(flow: Flow, dir: 'in' | 'out', direction: Direction, offset: number, data: Uint8Array, t: number): void {
    const from = Math.max(0, direction.next - offset);
    if (offset + from > direction.next) this.counts.gaps++;
    flow.chunks.push({ conn: flow.id, seq: this.seq++, dir, t, offset: offset + from, data: data.subarray(from) });
    direction.next = offset + data.length;
  }

  private drain(flow: Flow, dir: 'in' | 'out', direction: Direction): void {
    for (;;) {
      const ready = direction.pending.findIndex((piece) => piece.offset <= direction.next);
      if (ready < 0) return;
      const [piece] = direction.pending.splice(ready, 1);
      if (piece!.offset + piece!.data.length > direction.next) {
        // it waited for bytes that came after it
        this.counts.outOfOrder++;
        this.emit(flow, dir, direction, piece!.offset, piece!.data, piece!.t);
      } else this.counts.retransmissions++;
    }
  }

  /** Every connection, in the order its first packet came, with what waited behind a hole. */
  finish(): ReassembledCapture {
    const connections: CapturedConnection[] = [];
    const chunks: CaptureChunk[] = [];
    const facts: Record<string, ConnectionFacts> = {};
    for (const flow of this.all) {
      for (const dir of ['in', 'out'] as const) {
        const direction = flow[dir];
        const early = cameBeforeLowerOffsets(direction.pending);
        direction.pending.sort((x, y) => x.offset - y.offset || x.t - y.t);
        for (const piece of direction.pending) {
          if (piece.offset + piece.data.length <= direction.next) this.counts.retransmissions++;
          else {
            if (early.has(piece)) this.counts.outOfOrder++;
            this.emit(flow, dir, direction, piece.offset, piece.data, piece.t);
          }
        }
        direction.pending = [];
      }
      const transport = this.transportOf(flow);
      const fact: ConnectionFacts = {
        ...(flow.sawSyn ? {} : { startedBeforeCapture: true as const }),
        ...(transport === 'tls' ? { tls: true as const } : {}),
      };
      if (Object.keys(fact).length > 0) facts[flow.id] = fact;
      connections.push(this.connectionOf(flow, transport));
      chunks.push(...flow.chunks);
    }
    return { connections, chunks, facts, counts: this.counts };
  }

  private transportOf(flow: Flow): CapturedConnection['transport'] {
    const first = flow.chunks.filter((chunk) => chunk.dir === 'in' && chunk.offset < 64);
    const head = new Uint8Array(64);
    let length = 0;
    for (const chunk of first) {
      if (chunk.offset !== length) break;
      const take = chunk.data.subarray(0, 64 - length);
      head.set(take, length);
      length += take.length;
    }
    return sniffTransport(head.subarray(0, length));
  }

  private connectionOf(flow: Flow, transport: CapturedConnection['transport']): CapturedConnection {
    return {
      id: flow.id,
      transport,
      remote: endpointText(flow.client, flow.clientPort),
      local: endpointText(flow.server, flow.serverPort),
      openedAt: flow.openedAt,
      ...(flow.closedAt !== undefined ? { closedAt: flow.closedAt } : {}),
    };
  }
}

/**
 * Of the pieces still waiting behind a hole (in the order they came), those a piece with a lower
 * offset came after: reordered among themselves. The rest came in order after bytes never captured.
 */
function cameBeforeLowerOffsets(pending: readonly Pending[]): Set<Pending> {
  const early = new Set<Pending>();
  let lowestLater = Number.POSITIVE_INFINITY;
  for (let index = pending.length - 1; index >= 0; index--) {
    const piece = pending[index]!;
    if (lowestLater < piece.offset) early.add(piece);
    lowestLater = Math.min(lowestLater, piece.offset);
  }
  return early;
}

/** "127.0.0.1:8080", "::1:8080": the way Node names a socket's end, as the tap does. */
function endpointText(address: string, port: number): string {
  return `${address}:${port}`;
}
