// The two capture file formats tcpdump, dumpcap and Wireshark write, read into packets: classic
// pcap (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html) and pcapng
// (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html). Never throws: a file that
// is not one of them, or is cut short, says so in `problem`, with what was read before it.

/** One captured packet: its link layer, when it was captured, and the bytes the file holds. */
export interface FilePacket {
  linkType: number;
  /** ms since the Unix epoch, sub-millisecond precision */
  t: number;
  data: Uint8Array;
  /** the packet's length on the wire; more than `data.length` when the capture cut it (snaplen) */
  originalLength: number;
}

/** What is wrong with a file as a whole (the inspector names it in both languages). */
export type FileProblem =
  | { code: 'empty' }
  | { code: 'unknown-format'; firstBytes: string }
  | { code: 'truncated'; at: number }
  | { code: 'bad-block'; at: number; detail: BlockProblem };

/** What is wrong with a pcapng block (draft-ietf-opsawg-pcapng §3, §4). */
export type BlockProblem = 'byte-order' | 'no-section-header' | 'block-length' | 'block-too-short' | 'unknown-interface' | 'packet-overruns-block';

export interface PacketFile {
  format: 'pcap' | 'pcapng';
  packets: FilePacket[];
  /** the file stopped making sense here; the packets before it are kept */
  problem?: FileProblem;
}

const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
const PCAP_MAGIC_NANO = 0xa1b23c4d;
const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Which of the two formats the first bytes name; null for neither. */
export function packetFileFormat(bytes: Uint8Array): 'pcap' | 'pcapng' | null {
  if (bytes.length < 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const big = view.getUint32(0, false);
  const little = view.getUint32(0, true);
  if (big === PCAPNG_SECTION_HEADER) return 'pcapng';
  if ([PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO].includes(big) || [PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO].includes(little)) return 'pcap';
  return null;
}

/** The first bytes as hex, for a message about a file that is none of the formats. */
export function firstBytesHex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/** Reads a pcap or pcapng file; `onProgress(bytesRead)` is called now and then. */
export function readPacketFile(bytes: Uint8Array, onProgress?: (bytesRead: number) => void): PacketFile | { problem: FileProblem } {
  if (bytes.length === 0) return { problem: { code: 'empty' } };
  const format = packetFileFormat(bytes);
  if (format === 'pcap') return readPcap(bytes, onProgress);
  if (format === 'pcapng') return readPcapng(bytes, onProgress);
  return { problem: { code: 'unknown-format', firstBytes: firstBytesHex(bytes) } };
}

const PROGRESS_EVERY_PACKETS = 4096;

function readPcap(bytes: Uint8Array, onProgress?: (bytesRead: number) => void): PacketFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: FilePacket[] = [];
  if (bytes.length < 24) return { format: 'pcap', packets, problem: { code: 'truncated', at: bytes.length } };
  const magicBig = view.getUint32(0, false);
  const little = magicBig !== PCAP_MAGIC_MICRO && magicBig !== PCAP_MAGIC_NANO;
  const magic = view.getUint32(0, little);
  const unitsPerSecond = magic === PCAP_MAGIC_NANO ? 1e9 : 1e6;
  // The upper bits of the link type field may carry the FCS length (pcap draft §4).
  const linkType = view.getUint32(20, little) & 0x0fff_ffff;
  let at = 24;
  while (at < bytes.length) {
    if (at + 16 > bytes.length) return { format: 'pcap', packets, problem: { code: 'truncated', at } };
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const captured = view.getUint32(at + 8, little);
    const original = view.getUint32(at + 12, little);
    if (at + 16 + captured > bytes.length) return { format: 'pcap', packets, problem: { code: 'truncated', at } };
    packets.push({
      linkType,
      t: seconds * 1000 + (fraction / unitsPerSecond) * 1000,
      data: bytes.subarray(at + 16, at + 16 + captured),
      originalLength: Math.max(original, captured),
    });
    at += 16 + captured;
    if (packets.length % PROGRESS_EVERY_PACKETS === 0) onProgress?.(at);
  }
  return { format: 'pcap', packets };
}

interface PcapngInterface {
  linkType: number;
  /** timestamp units per second (if_tsresol) */
  unitsPerSecond: number;
  /** seconds added to every timestamp (if_tsoffset) */
  offsetSeconds: number;
}

interface PcapngSection {
  little: boolean;
  interfaces: PcapngInterface[];
}

const BLOCK_INTERFACE_DESCRIPTION = 1;
const BLOCK_PACKET_OBSOLETE = 2;
const BLOCK_SIMPLE_PACKET = 3;
const BLOCK_ENHANCED_PACKET = 6;
const OPTION_TSRESOL = 9;
const OPTION_TSOFFSET = 14;

function readPcapng(bytes: Uint8Array, onProgress?: (bytesRead: number) => void): PacketFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: FilePacket[] = [];
  let section: PcapngSection | null = null;
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) return { format: 'pcapng', packets, problem: { code: 'truncated', at } };
    const type = view.getUint32(at, section?.little ?? true);
    if (type === PCAPNG_SECTION_HEADER) {
      const order = view.getUint32(at + 8, true);
      if (order !== PCAPNG_BYTE_ORDER_MAGIC && view.getUint32(at + 8, false) !== PCAPNG_BYTE_ORDER_MAGIC)
        return { format: 'pcapng', packets, problem: { code: 'bad-block', at, detail: 'byte-order' } };
      section = { little: order === PCAPNG_BYTE_ORDER_MAGIC, interfaces: [] };
    }
    if (!section) return { format: 'pcapng', packets, problem: { code: 'bad-block', at, detail: 'no-section-header' } };
    const length = view.getUint32(at + 4, section.little);
    if (length < 12 || length % 4 !== 0) return { format: 'pcapng', packets, problem: { code: 'bad-block', at, detail: 'block-length' } };
    if (at + length > bytes.length) return { format: 'pcapng', packets, problem: { code: 'truncated', at } };
    const body = bytes.subarray(at + 8, at + length - 4);
    const problem = readPcapngBlock(type, body, section, packets);
    if (problem) return { format: 'pcapng', packets, problem: { code: 'bad-block', at, detail: problem } };
    at += length;
    if (packets.length % PROGRESS_EVERY_PACKETS === 0) onProgress?.(at);
  }
  return { format: 'pcapng', packets };
}

/** One block's body into the section's interfaces or the packets; what is wrong with it, or undefined. */
function readPcapngBlock(type: number, body: Uint8Array, section: PcapngSection, packets: FilePacket[]): BlockProblem | undefined {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const little = section.little;
  if (type === BLOCK_INTERFACE_DESCRIPTION) {
    if (body.length < 8) return 'block-too-short';
    section.interfaces.push(readInterface(view.getUint16(0, little), body.subarray(8), little));
    return undefined;
  }
  if (type === BLOCK_ENHANCED_PACKET || type === BLOCK_PACKET_OBSOLETE) {
    if (body.length < 20) return 'block-too-short';
    const id = type === BLOCK_ENHANCED_PACKET ? view.getUint32(0, little) : view.getUint16(0, little);
    const iface = section.interfaces[id];
    if (!iface) return 'unknown-interface';
    const captured = view.getUint32(12, little);
    if (20 + captured > body.length) return 'packet-overruns-block';
    const units = view.getUint32(4, little) * 2 ** 32 + view.getUint32(8, little);
    packets.push({
      linkType: iface.linkType,
      t: (units / iface.unitsPerSecond + iface.offsetSeconds) * 1000,
      data: body.subarray(20, 20 + captured),
      originalLength: Math.max(view.getUint32(16, little), captured),
    });
    return undefined;
  }
  if (type === BLOCK_SIMPLE_PACKET) {
    // no timestamp and no captured length: the block holds the packet up to the snap length
    const iface = section.interfaces[0];
    if (!iface || body.length < 4) return 'unknown-interface';
    const original = view.getUint32(0, little);
    packets.push({ linkType: iface.linkType, t: 0, data: body.subarray(4, 4 + Math.min(original, body.length - 4)), originalLength: original });
  }
  return undefined; // name resolution, statistics, custom blocks: nothing a connection needs
}

function readInterface(linkType: number, options: Uint8Array, little: boolean): PcapngInterface {
  const result: PcapngInterface = { linkType, unitsPerSecond: 1e6, offsetSeconds: 0 };
  const view = new DataView(options.buffer, options.byteOffset, options.byteLength);
  let at = 0;
  while (at + 4 <= options.length) {
    const code = view.getUint16(at, little);
    const length = view.getUint16(at + 2, little);
    if (code === 0 || at + 4 + length > options.length) break;
    if (code === OPTION_TSRESOL && length >= 1) {
      const resolution = options[at + 4]!;
      result.unitsPerSecond = resolution & 0x80 ? 2 ** (resolution & 0x7f) : 10 ** resolution;
    }
    if (code === OPTION_TSOFFSET && length >= 8) result.offsetSeconds = Number(view.getBigInt64(at + 4, little));
    at += 4 + Math.ceil(length / 4) * 4;
  }
  return result;
}
