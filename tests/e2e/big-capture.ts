// A large pcapng for the "a 50 MB capture" test (open-capture.test.ts) and its benchmark
// (bench/open-capture.ts): HTTP/1.1 connections, each a GET and a 512 KB response in 16 KB writes,
// written as Wireshark would read it (wire/pcapng's export).
import { capturesToPcapng } from '../../wire/pcapng/export-pcapng.ts';
import { assembleConnection } from '../../wire/stream-assembler.ts';
import type { CaptureChunk, CapturedConnection } from '../../wire/types.ts';

/** Bytes of each connection's response body. */
export const BIG_CAPTURE_RESPONSE_BYTES = 512 * 1024;

/** How many connections (one exchange each) `bigCapture(megabytes)` holds. */
export function bigCaptureConnections(megabytes: number): number {
  return Math.ceil((megabytes * 1024 * 1024) / BIG_CAPTURE_RESPONSE_BYTES);
}

/** A pcapng of about `megabytes` MB; connection i asks for `/big/i`. */
export function bigCapture(megabytes: number): Uint8Array {
  const perConnection = BIG_CAPTURE_RESPONSE_BYTES;
  const connections: Array<{ connection: CapturedConnection; streams: ReturnType<typeof assembleConnection> }> = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < bigCaptureConnections(megabytes); i++) {
    const id = `c${i + 1}`;
    const openedAt = 1_795_700_000_000 + i * 50;
    const request = encoder.encode(`GET /big/${i} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const head = encoder.encode(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${perConnection}\r\n\r\n`);
    const chunks: CaptureChunk[] = [
      { conn: id, seq: 0, dir: 'in', t: openedAt + 1, offset: 0, data: request },
      { conn: id, seq: 1, dir: 'out', t: openedAt + 2, offset: 0, data: head },
    ];
    for (let at = 0; at < perConnection; at += 16 * 1024)
      chunks.push({
        conn: id,
        seq: chunks.length,
        dir: 'out',
        t: openedAt + 3 + at / 1e6,
        offset: head.length + at,
        data: new Uint8Array(16 * 1024).fill(i % 256),
      });
    const connection: CapturedConnection = {
      id,
      transport: 'http/1.1',
      remote: `127.0.0.1:${40000 + i}`,
      local: '127.0.0.1:8080',
      openedAt,
      closedAt: openedAt + 40,
    };
    connections.push({ connection, streams: assembleConnection(id, chunks, true) });
  }
  return capturesToPcapng(connections);
}
