// Reads a capture file off the page's thread (wire/capture-file/read-capture-file.ts): a 50 MB
// pcapng is tens of thousands of packets to parse and put in order, which would freeze the page.
// The page sends the File (read here, off the page's thread) or its bytes (transferred); the worker answers with progress, then the
// connections, then their chunks in batches, each batch's bytes copied into a buffer of its own
// and transferred, so the page takes each batch in a short task of its own.
import { readCaptureFile } from '../../wire/capture-file/read-capture-file.ts';
import type { CaptureChunk } from '../../wire/types.ts';
import type { CaptureFileReply } from './capture-file-messages.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Blob | ArrayBuffer>) => void) | null;
  postMessage(message: CaptureFileReply, transfer?: Transferable[]): void;
};

/** Bytes of chunk data per batch the page takes at once. */
const BATCH_BYTES = 2 * 1024 * 1024;
const BATCH_CHUNKS = 4000;
const PROGRESS_EVERY_MS = 100;

scope.onmessage = async (event) => {
  try {
    const file = event.data instanceof ArrayBuffer ? event.data : await event.data.arrayBuffer();
    let reported = 0;
    const result = readCaptureFile(new Uint8Array(file), (done, total) => {
      const now = performance.now();
      if (now - reported < PROGRESS_EVERY_MS) return;
      reported = now;
      scope.postMessage({ type: 'progress', done, total });
    });
    if (result.kind !== 'packets') {
      scope.postMessage({ type: 'done', result });
      return;
    }
    const { chunks, ...rest } = result;
    scope.postMessage({ type: 'done', result: { ...rest, chunks: [] } });
    for (const batch of batches(chunks)) {
      const copied = copyBatch(batch);
      scope.postMessage({ type: 'chunks', chunks: copied.chunks }, [copied.buffer]);
    }
    scope.postMessage({ type: 'end' });
  } catch (error) {
    // readCaptureFile never throws; this is for a worker that ran out of memory or the like
    scope.postMessage({ type: 'failed', detail: error instanceof Error ? error.message : String(error) });
  }
};

function* batches(chunks: readonly CaptureChunk[]): Generator<CaptureChunk[]> {
  let batch: CaptureChunk[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    batch.push(chunk);
    bytes += chunk.data.length;
    if (bytes >= BATCH_BYTES || batch.length >= BATCH_CHUNKS) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/** The batch's bytes in one new buffer (the file's own buffer can be transferred only once). */
function copyBatch(batch: CaptureChunk[]): { chunks: CaptureChunk[]; buffer: ArrayBuffer } {
  const buffer = new ArrayBuffer(batch.reduce((sum, chunk) => sum + chunk.data.length, 0));
  const bytes = new Uint8Array(buffer);
  let at = 0;
  const chunks = batch.map((chunk) => {
    bytes.set(chunk.data, at);
    const data = new Uint8Array(buffer, at, chunk.data.length);
    at += chunk.data.length;
    return { ...chunk, data };
  });
  return { chunks, buffer };
}
