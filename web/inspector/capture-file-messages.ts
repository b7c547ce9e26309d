import type { OpenedCaptureFile } from '../../wire/capture-file/read-capture-file.ts';
import type { CaptureChunk } from '../../wire/types.ts';

/** What capture-file-worker.ts tells the page, in this order: progress, done, chunks…, end (or failed). */
export type CaptureFileReply =
  | { type: 'progress'; done: number; total: number }
  /** the file's verdict; for packets, `chunks` is empty and the chunks follow in batches */
  | { type: 'done'; result: OpenedCaptureFile }
  | { type: 'chunks'; chunks: CaptureChunk[] }
  | { type: 'end' }
  | { type: 'failed'; detail: string };
