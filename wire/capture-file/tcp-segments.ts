// A captured packet's link layer, IP header and TCP header, down to its TCP payload. Link types
// from https://www.tcpdump.org/linktypes.html; IPv4 (RFC 791), IPv6 (RFC 8200), TCP (RFC 9293).
// Never throws: a packet that is not TCP over IP, or that the capture cut inside its headers, is
// `null` with the reason counted by the caller.

export interface TcpSegment {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  syn: boolean;
  ackFlag: boolean;
  fin: boolean;
  rst: boolean;
  /** the payload bytes the file holds */
  payload: Uint8Array;
  /** the payload's length on the wire (the IP header's total length says it); more than `payload.length` when the capture cut it */
  payloadLength: number;
}

/** Why a packet gave no TCP segment. */
export type SkipReason = 'unsupported-link-type' | 'not-ip' | 'not-tcp' | 'ip-fragment' | 'cut-in-headers';

/** Link types this reader follows (tcpdump's LINKTYPE_ numbers). */
export const LINK_TYPES = {
  NULL: 0,
  ETHERNET: 1,
  RAW_OPENBSD: 12,
  RAW_BSD: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];
const PROTOCOL_TCP = 6;

/** Where the IP packet starts inside a link-layer frame, or why there is none. */
function ipStart(linkType: number, data: Uint8Array): number | SkipReason {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (linkType) {
    case LINK_TYPES.ETHERNET: {
      let at = 12;
      while (at + 2 <= data.length && ETHERTYPE_VLAN.includes(view.getUint16(at))) at += 4;
      if (at + 2 > data.length) return 'cut-in-headers';
      const type = view.getUint16(at);
      return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? at + 2 : 'not-ip';
    }
    case LINK_TYPES.LINUX_SLL:
      if (data.length < 16) return 'cut-in-headers';
      return isIpEthertype(view.getUint16(14)) ? 16 : 'not-ip';
    case LINK_TYPES.LINUX_SLL2:
      if (data.length < 20) return 'cut-in-headers';
      return isIpEthertype(view.getUint16(0)) ? 20 : 'not-ip';
    case LINK_TYPES.NULL:
    case LINK_TYPES.LOOP: {
      if (data.length < 4) return 'cut-in-headers';
      // NULL: the address family in the capturing host's byte order; LOOP: in network order
      const family = linkType === LINK_TYPES.LOOP ? view.getUint32(0) : Math.min(view.getUint32(0, true), view.getUint32(0));
      return [2, 24, 28, 30].includes(family) ? 4 : 'not-ip';
    }
    case LINK_TYPES.RAW:
    case LINK_TYPES.RAW_OPENBSD:
    case LINK_TYPES.RAW_BSD:
    case LINK_TYPES.IPV4:
    case LINK_TYPES.IPV6:
      return 0;
    default:
      return 'unsupported-link-type';
  }
}

const isIpEthertype = (type: number) => type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6;

/** A packet's TCP segment, or why it has none. `originalLength` is the packet's length on the wire. */
export function tcpSegmentOf(linkType: number, data: Uint8Array, originalLength = data.length): TcpSegment | SkipReason {
  const start = ipStart(linkType, data);
  if (typeof start === 'string') return start;
  const ip = data.subarray(start);
  if (ip.length < 1) return 'cut-in-headers';
  const version = ip[0]! >> 4;
  const cutOnWire = originalLength - data.length;
  if (version === 4) return ipv4Segment(ip, cutOnWire);
  if (version === 6) return ipv6Segment(ip, cutOnWire);
  return 'not-ip';
}

function ipv4Segment(ip: Uint8Array, cutOnWire: number): TcpSegment | SkipReason {
  if (ip.length < 20) return 'cut-in-headers';
  const view = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  const headerLength = (ip[0]! & 0x0f) * 4;
  if (headerLength < 20 || ip.length < headerLength) return 'cut-in-headers';
  if (ip[9] !== PROTOCOL_TCP) return 'not-tcp';
  const flagsAndOffset = view.getUint16(6);
  // more fragments, or a fragment offset: a piece of a packet this reader does not put together
  if (flagsAndOffset & 0x2000 || flagsAndOffset & 0x1fff) return 'ip-fragment';
  // 0 total length: TCP segmentation offload captured the packet before the NIC split it
  const totalLength = view.getUint16(2) || ip.length + cutOnWire;
  const address = (at: number) => Array.from(ip.subarray(at, at + 4)).join('.');
  return tcpPart(ip.subarray(headerLength), totalLength - headerLength, address(12), address(16));
}

const IPV6_EXTENSIONS = new Set([0, 43, 60]);
const IPV6_FRAGMENT = 44;

function ipv6Segment(ip: Uint8Array, cutOnWire: number): TcpSegment | SkipReason {
  if (ip.length < 40) return 'cut-in-headers';
  const view = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  let next = ip[6]!;
  let at = 40;
  // 0 payload length: a jumbogram or an offloaded packet; the capture says how long it is
  let payloadLeft = view.getUint16(4) || ip.length + cutOnWire - 40;
  while (IPV6_EXTENSIONS.has(next)) {
    if (at + 2 > ip.length) return 'cut-in-headers';
    const length = (ip[at + 1]! + 1) * 8;
    next = ip[at]!;
    at += length;
    payloadLeft -= length;
  }
  if (next === IPV6_FRAGMENT) return 'ip-fragment';
  if (next !== PROTOCOL_TCP) return 'not-tcp';
  if (at > ip.length) return 'cut-in-headers';
  return tcpPart(ip.subarray(at), payloadLeft, ipv6Text(ip.subarray(8, 24)), ipv6Text(ip.subarray(24, 40)));
}

/** RFC 5952 text: lower case, the longest run of zero groups as "::". */
export function ipv6Text(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

function tcpPart(tcp: Uint8Array, segmentLength: number, src: string, dst: string): TcpSegment | SkipReason {
  if (tcp.length < 20) return 'cut-in-headers';
  const view = new DataView(tcp.buffer, tcp.byteOffset, tcp.byteLength);
  const headerLength = (tcp[12]! >> 4) * 4;
  if (headerLength < 20 || tcp.length < headerLength) return 'cut-in-headers';
  const flags = tcp[13]!;
  const payloadLength = Math.max(0, segmentLength - headerLength);
  return {
    src,
    dst,
    srcPort: view.getUint16(0),
    dstPort: view.getUint16(2),
    seq: view.getUint32(4),
    ack: view.getUint32(8),
    fin: (flags & 0x01) !== 0,
    syn: (flags & 0x02) !== 0,
    rst: (flags & 0x04) !== 0,
    ackFlag: (flags & 0x10) !== 0,
    // Ethernet pads short frames to 60 bytes: only the IP length says where the payload ends
    payload: tcp.subarray(headerLength, headerLength + payloadLength),
    payloadLength,
  };
}
