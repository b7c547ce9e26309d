// A pcapng writer (draft-ietf-opsawg-pcapng): one Section Header Block, one Ethernet interface,
// one Enhanced Packet Block per packet. Pure TypeScript, no DOM: the browser turns the bytes into
// a Blob, tests hand them to tshark. Written little-endian; the byte-order magic tells readers.

export const BLOCK_SECTION_HEADER = 0x0a0d0d0a;
export const BLOCK_INTERFACE_DESCRIPTION = 0x00000001;
export const BLOCK_ENHANCED_PACKET = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
export const LINKTYPE_ETHERNET = 1;

const OPTION_END = 0;
const OPTION_COMMENT = 1;
const SHB_USER_APPLICATION = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;
/** if_tsresol 6: timestamps count microseconds (10^-6 s). */
const MICROSECONDS = 6;

/** One link-layer frame and when it crossed. */
export interface PcapPacket {
  /** ms since the Unix epoch, fractional; written with microsecond resolution */
  at: number;
  /** the whole Ethernet frame */
  frame: Uint8Array;
  /** shown by Wireshark as the packet's comment */
  comment?: string;
}

export interface PcapngOptions {
  /** shb_userappl */
  application?: string;
  /** if_name of the single interface */
  interfaceName?: string;
}

const encoder = new TextEncoder();

function padded(length: number): number {
  return (length + 3) & ~3;
}

/** Options as (code, value) pairs, each value padded to 32 bits, ended by opt_endofopt. */
function encodeOptions(options: Array<[code: number, value: Uint8Array]>): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const size = options.reduce((total, [, value]) => total + 4 + padded(value.length), 4);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const [code, value] of options) {
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    bytes.set(value, at + 4);
    at += 4 + padded(value.length);
  }
  view.setUint16(at, OPTION_END, true);
  view.setUint16(at + 2, 0, true);
  return bytes;
}

/** type, total length, body (padded to 32 bits), total length again. */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + padded(body.length);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  bytes.set(body, 8);
  view.setUint32(total - 4, total, true);
  return bytes;
}

function sectionHeader(application: string): Uint8Array {
  const options = encodeOptions([[SHB_USER_APPLICATION, encoder.encode(application)]]);
  const body = new Uint8Array(16 + options.length);
  const view = new DataView(body.buffer);
  view.setUint32(0, BYTE_ORDER_MAGIC, true);
  view.setUint16(4, 1, true); // major version
  view.setUint16(6, 0, true); // minor version
  // Section length -1: not given (the whole file is one section).
  view.setUint32(8, 0xffffffff, true);
  view.setUint32(12, 0xffffffff, true);
  body.set(options, 16);
  return block(BLOCK_SECTION_HEADER, body);
}

function interfaceDescription(name: string): Uint8Array {
  const options = encodeOptions([
    [IF_NAME, encoder.encode(name)],
    [IF_TSRESOL, Uint8Array.of(MICROSECONDS)],
  ]);
  const body = new Uint8Array(8 + options.length);
  const view = new DataView(body.buffer);
  view.setUint16(0, LINKTYPE_ETHERNET, true);
  view.setUint16(2, 0, true); // reserved
  view.setUint32(4, 0, true); // snaplen 0: no limit
  body.set(options, 8);
  return block(BLOCK_INTERFACE_DESCRIPTION, body);
}

function enhancedPacket(packet: PcapPacket): Uint8Array {
  const options = encodeOptions(packet.comment ? [[OPTION_COMMENT, encoder.encode(packet.comment)]] : []);
  const dataLength = padded(packet.frame.length);
  const body = new Uint8Array(20 + dataLength + options.length);
  const view = new DataView(body.buffer);
  const micros = Math.max(0, Math.round(packet.at * 1000));
  view.setUint32(0, 0, true); // interface 0
  view.setUint32(4, Math.floor(micros / 2 ** 32), true);
  view.setUint32(8, micros % 2 ** 32, true);
  view.setUint32(12, packet.frame.length, true); // captured length
  view.setUint32(16, packet.frame.length, true); // original length
  body.set(packet.frame, 20);
  body.set(options, 20 + dataLength);
  return block(BLOCK_ENHANCED_PACKET, body);
}

/** A whole pcapng file: the packets in the order given (callers sort them by time). */
export function writePcapng(packets: readonly PcapPacket[], options: PcapngOptions = {}): Uint8Array<ArrayBuffer> {
  const blocks = [sectionHeader(options.application ?? 'Wirelab'), interfaceDescription(options.interfaceName ?? 'wirelab-tap')];
  for (const packet of packets) blocks.push(enhancedPacket(packet));
  const file = new Uint8Array(blocks.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of blocks) {
    file.set(part, at);
    at += part.length;
  }
  return file;
}
