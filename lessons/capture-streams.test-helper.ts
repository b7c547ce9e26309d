// The byte streams of a lesson's capture file, read by hand for capture-questions.test.ts: pcapng
// blocks, Ethernet (dumpcap on Linux's loopback), IPv4 and TCP, with no code of wire/ — so the
// right answer a test computes from them does not lean on the decoders the answer is judged with.
// Enough for the small loopback captures of lessons/*/captures/, nothing more: IPv4 only, and a
// segment sent twice is placed by its sequence number.

/** One TCP connection: what the client sent (Wirelab's `in`) and what the server sent (`out`), in order. */
export interface TcpStreams {
  /** "c1", "c2"…: in the order the connections opened, as the inspector numbers them */
  id: string;
  clientPort: number;
  serverPort: number;
  in: Uint8Array;
  out: Uint8Array;
}

interface Segment {
  key: string;
  fromPort: number;
  toPort: number;
  syn: boolean;
  ack: boolean;
  seq: number;
  payload: Uint8Array;
}

const SECTION_HEADER = 0x0a0d0d0a;
const ENHANCED_PACKET = 6;
const ETHERNET_IPV4 = 0x0800;

/** Every TCP connection of a pcapng file that dumpcap wrote on Linux's loopback interface. */
export function tcpStreamsOf(file: Uint8Array): TcpStreams[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0, true) !== SECTION_HEADER || view.getUint32(8, true) !== 0x1a2b3c4d) throw new Error('not a little-endian pcapng file');
  const segments: Segment[] = [];
  for (let at = 0; at + 12 <= file.length; ) {
    const type = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if (type === ENHANCED_PACKET) {
      const captured = view.getUint32(at + 20, true);
      const segment = tcpSegment(file.subarray(at + 28, at + 28 + captured));
      if (segment) segments.push(segment);
    }
    at += length;
  }
  return connections(segments);
}

function tcpSegment(frame: Uint8Array): Segment | null {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint16(12) !== ETHERNET_IPV4) return null;
  const ip = 14;
  const ipHeader = (frame[ip] & 0x0f) * 4;
  const total = view.getUint16(ip + 2);
  if (frame[ip + 9] !== 6) return null;
  const tcp = ip + ipHeader;
  const fromPort = view.getUint16(tcp);
  const toPort = view.getUint16(tcp + 2);
  const flags = frame[tcp + 13];
  const tcpHeader = (frame[tcp + 12] >> 4) * 4;
  const [low, high] = fromPort < toPort ? [fromPort, toPort] : [toPort, fromPort];
  return {
    key: `${low}-${high}`,
    fromPort,
    toPort,
    syn: (flags & 0x02) !== 0,
    ack: (flags & 0x10) !== 0,
    seq: view.getUint32(tcp + 4),
    payload: frame.slice(tcp + tcpHeader, ip + total),
  };
}

function connections(segments: Segment[]): TcpStreams[] {
  const opening = segments.filter((segment) => segment.syn && !segment.ack);
  return opening.map((syn, index) => {
    const ofConnection = segments.filter((segment) => segment.key === syn.key);
    const fromServer = ofConnection.find((segment) => segment.syn && segment.ack);
    if (!fromServer) throw new Error(`connection ${syn.key} has no SYN-ACK`);
    const direction = (first: Segment) =>
      ordered(
        ofConnection.filter((segment) => segment.fromPort === first.fromPort && !segment.syn),
        first.seq + 1,
      );
    return { id: `c${index + 1}`, clientPort: syn.fromPort, serverPort: syn.toPort, in: direction(syn), out: direction(fromServer) };
  });
}

/** The payloads placed by sequence number from the first byte after the SYN (a resent segment overlaps, and counts once). */
function ordered(segments: Segment[], firstSeq: number): Uint8Array {
  const placed = segments
    .filter((segment) => segment.payload.length > 0)
    .map((segment) => ({ offset: (segment.seq - firstSeq) >>> 0, bytes: segment.payload }));
  const length = Math.max(0, ...placed.map(({ offset, bytes }) => offset + bytes.length));
  const stream = new Uint8Array(length);
  const filled = new Uint8Array(length);
  for (const { offset, bytes } of placed) {
    stream.set(bytes, offset);
    filled.fill(1, offset, offset + bytes.length);
  }
  if (filled.includes(0)) throw new Error('a gap in the TCP stream: this reader expects a complete loopback capture');
  return stream;
}

/** The bytes as Latin-1 text: one character per byte, so text offsets are byte offsets. */
export function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
