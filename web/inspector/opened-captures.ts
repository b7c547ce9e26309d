// The capture file the inspector has open, if any, beside the page's live captures (which it never
// touches: opening, failing to open or closing a file leaves them as they were). A pcap or pcapng
// becomes a CaptureStore of its own, fed the file's connections and chunks as the capture channel
// feeds the live one, so the same wire/ decoders read it; a HAR stays its entries.
import { useSyncExternalStore } from 'react';
import type { CaptureFileProblem, OpenedPackets } from '../../wire/capture-file/read-capture-file.ts';
import type { HarFile } from '../../wire/capture-file/read-har.ts';
import { CaptureStore } from './capture-store.ts';
import type { CaptureFileReply } from './capture-file-messages.ts';
import type { CaptureChunk } from '../../wire/types.ts';

/** The largest file the inspector opens: the file, its chunks and their decoded trees must fit in a tab. */
export const MAX_CAPTURE_FILE_MB = 200;

/**
 * Bytes of chunks the page hands the file's store at a time, then has it decode them: the store
 * decodes what it is given when asked for a snapshot, so a file given all at once would be
 * decoded in one long task (0.4 s for a 50 MB file's first slices, measured in Node).
 */
const FEED_BYTES = 64 * 1024;
/**
 * A task feeds pieces of FEED_BYTES until this long has passed, then gives the page its turn: by
 * time, not bytes, so a busy machine (a slower decode) makes shorter slices, not longer tasks.
 */
const FEED_SLICE_MS = 8;
/** The progress bar moves this often: each move renders the inspector again. */
const PROGRESS_EVERY_MS = 250;
/** How often the page looks whether the file's store has decoded everything it was fed. */
const SETTLE_POLL_MS = 50;

export type OpenFileProblem = CaptureFileProblem | { code: 'worker-failed'; detail: string } | { code: 'too-large'; limitMb: number };

export interface OpenedPacketFile {
  kind: 'packets';
  name: string;
  /** what the file said besides its chunks (format, counts, facts, a problem after which it was not read) */
  info: Omit<OpenedPackets, 'chunks'>;
  store: CaptureStore;
}

export interface OpenedHarFile {
  kind: 'har';
  name: string;
  har: HarFile;
}

export interface OpenedCapturesState {
  opened: OpenedPacketFile | OpenedHarFile | null;
  /** a file being read: bytes done of total */
  reading: { name: string; done: number; total: number } | null;
  /** the last file that could not be opened, and why */
  failure: { name: string; problem: OpenFileProblem } | null;
}

/** The part of a Worker used here; tests may pass another. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<CaptureFileReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** A file from an <input type="file"> or a drop. */
export interface FileLike {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export class OpenedCaptures {
  private state: OpenedCapturesState = { opened: null, reading: null, failure: null };
  private readonly listeners = new Set<() => void>();
  private worker: WorkerLike | null = null;

  constructor(private readonly startWorker: () => WorkerLike) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): OpenedCapturesState => this.state;

  /** Reads the file off the page's thread; the file open until now stays until this one is read. */
  async open(file: FileLike): Promise<void> {
    this.worker?.terminate();
    this.worker = null;
    if (file.size > MAX_CAPTURE_FILE_MB * 1024 * 1024) {
      this.update({ reading: null, failure: { name: file.name, problem: { code: 'too-large', limitMb: MAX_CAPTURE_FILE_MB } } });
      return;
    }
    this.update({ reading: { name: file.name, done: 0, total: 2 * file.size }, failure: null });
    // A File goes to the worker as it is (a handle, not its bytes) and is read there, off the
    // page's thread; other files (a shared link's bytes) are read here and transferred.
    const bytes = typeof Blob !== 'undefined' && file instanceof Blob ? file : await file.arrayBuffer();
    const worker = this.startWorker();
    this.worker = worker;
    let store: CaptureStore | null = null;
    let info: Omit<OpenedPackets, 'chunks'> | null = null;
    const finish = (change: Partial<OpenedCapturesState>) => {
      worker.terminate();
      if (this.worker === worker) this.worker = null;
      this.replaceOpened(change);
    };
    // The worker reads the file (the first half of the bar), the store decodes it (the second).
    const queue: CaptureChunk[][] = [];
    let ended = false;
    let fed = 0;
    let feeding = false;
    let movedAt = Number.NEGATIVE_INFINITY;
    const feed = () => {
      if (this.worker !== worker || !store || !info) return;
      const until = performance.now() + FEED_SLICE_MS;
      do {
        const slice = takeChunks(queue, FEED_BYTES);
        store.applyChunks(slice);
        store.getSnapshot(); // decodes them now, in this task
        for (const chunk of slice) fed += chunk.data.length;
      } while (queue.length > 0 && performance.now() < until);
      if (performance.now() - movedAt >= PROGRESS_EVERY_MS) {
        movedAt = performance.now();
        this.update({ reading: { name: file.name, done: file.size + Math.min(fed, file.size), total: 2 * file.size } });
      }
      if (queue.length > 0) setTimeout(feed, 0);
      else {
        feeding = false;
        if (ended) settle();
      }
    };
    // Shown once decoded to its last byte (the store's catch-up, a slice per task): shown before,
    // every step of the catch-up rendered the inspector again with a newer "newest" exchange to
    // show (tasks of 0.2–1 s at load 15–20 in Chromium's trace of a 50 MB file).
    const settle = () => {
      if (this.worker !== worker || !store || !info) return;
      store.getSnapshot(); // keeps the catch-up going
      if (store.caughtUp()) finish({ reading: null, opened: { kind: 'packets', name: file.name, info, store } });
      else setTimeout(settle, SETTLE_POLL_MS);
    };
    worker.onerror = (event) => finish({ reading: null, failure: { name: file.name, problem: { code: 'worker-failed', detail: event.message } } });
    worker.onmessage = ({ data: reply }) => {
      if (this.worker !== worker) return;
      if (reply.type === 'progress') this.update({ reading: { name: file.name, done: reply.done, total: 2 * reply.total } });
      else if (reply.type === 'failed') finish({ reading: null, failure: { name: file.name, problem: { code: 'worker-failed', detail: reply.detail } } });
      else if (reply.type === 'done') {
        const { result } = reply;
        if (result.kind === 'error') finish({ reading: null, failure: { name: file.name, problem: result.problem } });
        else if (result.kind === 'har') finish({ reading: null, opened: { kind: 'har', name: file.name, har: result.har } });
        else {
          const { chunks: _none, ...rest } = result;
          info = rest;
          store = storeOfFile(result);
        }
      } else if (reply.type === 'chunks') {
        queue.push(reply.chunks);
        if (!feeding) {
          feeding = true;
          setTimeout(feed, 0);
        }
      } else if (reply.type === 'end') {
        ended = true;
        if (!feeding) settle();
      }
    };
    worker.postMessage(bytes, bytes instanceof ArrayBuffer ? [bytes] : []);
  }

  /** Back to the live captures. */
  close(): void {
    this.replaceOpened({ opened: null });
  }

  dismissFailure(): void {
    this.update({ failure: null });
  }

  private replaceOpened(change: Partial<OpenedCapturesState>): void {
    const previous = this.state.opened;
    if ('opened' in change && previous?.kind === 'packets' && change.opened !== previous) previous.store.stop();
    this.update(change);
  }

  private update(change: Partial<OpenedCapturesState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}

/** The next chunks of the worker's batches, about `bytes` of them (at least one chunk), taken off the queue. */
function takeChunks(queue: CaptureChunk[][], bytes: number): CaptureChunk[] {
  let taken = 0;
  const slice: CaptureChunk[] = [];
  while (queue.length > 0 && taken < bytes) {
    const batch = queue[0]!;
    while (batch.length > 0 && (taken === 0 || taken + batch[0]!.data.length <= bytes)) {
      const chunk = batch.shift()!;
      taken += chunk.data.length;
      slice.push(chunk);
    }
    if (batch.length === 0) queue.shift();
    else break;
  }
  return slice;
}

/** A store that no channel feeds: the file's connections, then its chunks as they come. */
function storeOfFile(file: OpenedPackets): CaptureStore {
  const store = new CaptureStore({
    url: '',
    socketFactory: () => {
      throw new Error('an opened capture file has no capture channel');
    },
    maxBytes: Number.POSITIVE_INFINITY,
  });
  store.apply({ type: 'hello', recording: true, instance: 'file', limits: { ringBytes: 0, ringChunks: 0 } });
  for (const conn of file.connections) store.apply({ type: 'connection', conn });
  return store;
}

let singleton: OpenedCaptures | null = null;

/** The page's one list of opened files, reading them in capture-file-worker.ts. */
export function getOpenedCaptures(): OpenedCaptures {
  singleton ??= new OpenedCaptures(() => new Worker(new URL('./capture-file-worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike);
  return singleton;
}

export function useOpenedCaptures(captures: OpenedCaptures = getOpenedCaptures()): OpenedCapturesState {
  return useSyncExternalStore(captures.subscribe, captures.getSnapshot, captures.getSnapshot);
}
