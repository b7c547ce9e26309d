import type { ConnectionStreams } from '../decode-connection.ts';
import type { CapturedConnection } from '../types.ts';
import { connectionPackets } from './tcp-packets.ts';
import { writePcapng, type PcapPacket } from './write-pcapng.ts';

export interface ExportedConnection {
  connection: CapturedConnection;
  streams: ConnectionStreams;
}

/**
 * Captured connections as one pcapng file, every connection a TCP stream, their packets merged
 * in time order (a stable sort: within one millisecond a connection keeps its own order).
 */
export function capturesToPcapng(connections: readonly ExportedConnection[]): Uint8Array<ArrayBuffer> {
  const packets: PcapPacket[] = connections.flatMap(({ connection, streams }) => connectionPackets(connection, streams));
  packets.sort((a, b) => a.at - b.at);
  return writePcapng(packets);
}

/** "wirelab-c12-2026-11-23T14-05-09.pcapng": what, and when (UTC), safe on every file system. */
export function pcapngFileName(what: string, at: number): string {
  const stamp = new Date(at).toISOString().slice(0, 19).replace(/:/g, '-');
  return `wirelab-${what.replace(/[^A-Za-z0-9_-]+/g, '_')}-${stamp}.pcapng`;
}
