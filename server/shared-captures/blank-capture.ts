// A pcapng the inspector uploads, as it is kept: read by the same code the inspector opens files
// with (wire/capture-file), every chunk passed through the blanker the capture channel uses for the
// page (server/classroom/blanking/capture-blanker.ts; lengths kept, so offsets stay true), and written again
// as pcapng by the inspector's own writer (wire/pcapng). What a shared link shows is these bytes.
import { readCaptureFile, type CaptureFileProblem } from '../../wire/capture-file/read-capture-file.ts';
import { capturesToPcapng } from '../../wire/pcapng/export-pcapng.ts';
import { assembleConnection } from '../../wire/stream-assembler.ts';
import type { CaptureChunk } from '../../wire/types.ts';
import type { CaptureBlanker } from '../classroom/blanking/capture-blanker.ts';

export type BlankedCapture =
  | { ok: true; pcapng: Uint8Array<ArrayBuffer>; connections: number }
  /** not a pcapng or pcap with TCP connections (a HAR, which has no bytes to blank, neither) */
  | { ok: false; problem: CaptureFileProblem | { code: 'har' } };

export function blankCapture(file: Uint8Array, blanker: CaptureBlanker): BlankedCapture {
  const opened = readCaptureFile(file);
  if (opened.kind === 'error') return { ok: false, problem: opened.problem };
  if (opened.kind === 'har') return { ok: false, problem: { code: 'har' } };
  const chunksOf = new Map<string, CaptureChunk[]>();
  for (const conn of opened.connections) {
    blanker.apply({ type: 'connection', conn });
    chunksOf.set(conn.id, []);
  }
  // in the file's order: each direction of a connection is blanked as a stream (a header split
  // over two chunks is still found)
  for (const chunk of opened.chunks) {
    const data = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
    const message = blanker.apply({ type: 'chunk', chunk: { ...chunk, data } });
    if (message.type === 'chunk') chunksOf.get(chunk.conn)?.push(message.chunk);
  }
  const pcapng = capturesToPcapng(
    opened.connections.map((connection) => ({
      connection,
      streams: assembleConnection(connection.id, chunksOf.get(connection.id) ?? [], connection.closedAt !== undefined),
    })),
  );
  return { ok: true, pcapng, connections: opened.connections.length };
}
