// Any capture file the inspector opens: pcapng or pcap (by their magic numbers) into the tap's
// connections and chunks, HAR (JSON) into its entries. Pure, synchronous and never throwing:
// web/inspector/capture-file-worker.ts runs it off the page's thread.
import type { CaptureChunk, CapturedConnection } from '../captured-connection.ts';
import { readPacketFile, type FileProblem } from './packet-files.ts';
import { readHar, type HarFile, type HarProblem } from './read-har.ts';
import { TcpReassembler, type ConnectionFacts, type ReassemblyCounts } from './tcp-reassembly.ts';
import { tcpSegmentOf, type SkipReason } from './tcp-segments.ts';

/** What is wrong with a file that gave nothing to show. */
export type CaptureFileProblem =
  | FileProblem
  | HarProblem
  | { code: 'no-tcp'; packets: number; skipped: Partial<Record<SkipReason, number>>; linkTypes: number[] };

export interface OpenedPackets {
  kind: 'packets';
  format: 'pcap' | 'pcapng';
  packets: number;
  connections: CapturedConnection[];
  chunks: CaptureChunk[];
  facts: Record<string, ConnectionFacts>;
  counts: ReassemblyCounts;
  /** packets that carried no TCP segment, by why */
  skipped: Partial<Record<SkipReason, number>>;
  /** the file stopped making sense here: what came before is shown */
  problem?: FileProblem;
}

export interface OpenedHar {
  kind: 'har';
  har: HarFile;
}

export type OpenedCaptureFile = OpenedPackets | OpenedHar | { kind: 'error'; problem: CaptureFileProblem };

/** Progress through the file: parsing is the first half, reassembly the second. */
export type ProgressListener = (done: number, total: number) => void;

export function readCaptureFile(bytes: Uint8Array, onProgress?: ProgressListener): OpenedCaptureFile {
  if (looksLikeJson(bytes)) {
    const har = readHar(new TextDecoder().decode(bytes));
    return 'problem' in har ? { kind: 'error', problem: har.problem } : { kind: 'har', har };
  }
  const file = readPacketFile(bytes, (read) => onProgress?.(read / 2, bytes.length));
  if (!('format' in file)) return { kind: 'error', problem: file.problem };
  const reassembler = new TcpReassembler();
  const skipped: Partial<Record<SkipReason, number>> = {};
  const linkTypes = new Set<number>();
  let segments = 0;
  file.packets.forEach((packet, index) => {
    const segment = tcpSegmentOf(packet.linkType, packet.data, packet.originalLength);
    if (typeof segment === 'string') {
      skipped[segment] = (skipped[segment] ?? 0) + 1;
      linkTypes.add(packet.linkType);
    } else {
      segments++;
      reassembler.add(segment, packet.t);
    }
    if (index % 4096 === 0) onProgress?.(bytes.length / 2 + ((index + 1) / file.packets.length) * (bytes.length / 2), bytes.length);
  });
  if (segments === 0) {
    if (file.problem && file.packets.length === 0) return { kind: 'error', problem: file.problem };
    return { kind: 'error', problem: { code: 'no-tcp', packets: file.packets.length, skipped, linkTypes: [...linkTypes] } };
  }
  const { connections, chunks, facts, counts } = reassembler.finish();
  onProgress?.(bytes.length, bytes.length);
  return {
    kind: 'packets',
    format: file.format,
    packets: file.packets.length,
    connections,
    chunks,
    facts,
    counts,
    skipped,
    ...(file.problem ? { problem: file.problem } : {}),
  };
}

/** A HAR is JSON: its first non-blank character is `{` (a byte-order mark first is allowed). */
function looksLikeJson(bytes: Uint8Array): boolean {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (at < bytes.length && at < 1024 && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[at]!)) at++;
  return bytes[at] === 0x7b;
}
