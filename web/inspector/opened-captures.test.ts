// OpenedCaptures with a stand-in for capture-file-worker.ts: the test plays the worker's side with
// the same reader (wire/capture-file/read-capture-file.ts) and the messages it sends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readCaptureFile } from '../../wire/capture-file/read-capture-file.ts';
import type { CaptureFileReply } from './capture-file-messages.ts';
import { OpenedCaptures, type OpenedCapturesState, type WorkerLike } from './opened-captures.ts';

const FIXTURE = join(import.meta.dirname, '../../wire/capture-file/fixtures/grpc-python.pcapng');

class StandInWorker implements WorkerLike {
  posted: unknown[] = [];
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  terminated = false;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** what capture-file-worker.ts answers for these bytes: done, the chunks in one batch, end */
  answer(bytes: Uint8Array): void {
    const result = readCaptureFile(bytes);
    if (result.kind !== 'packets') throw new Error(result.kind);
    const { chunks, ...rest } = result;
    this.reply({ type: 'done', result: { ...rest, chunks: [] } });
    this.reply({ type: 'chunks', chunks: [...chunks] });
    this.reply({ type: 'end' });
  }
  private reply(data: CaptureFileReply): void {
    this.onmessage?.({ data } as MessageEvent<CaptureFileReply>);
  }
}

function opened(captures: OpenedCaptures): Promise<NonNullable<OpenedCapturesState['opened']>> {
  return new Promise((resolve) => {
    const stop = captures.subscribe(() => {
      const state = captures.getSnapshot();
      if (state.opened) {
        stop();
        resolve(state.opened);
      }
    });
  });
}

describe('opening a capture file', () => {
  it('hands a File to the worker as it is: its bytes are read there, not on the page', async () => {
    const worker = new StandInWorker();
    const captures = new OpenedCaptures(() => worker);
    const file = new File([readFileSync(FIXTURE)], 'grpc-python.pcapng');
    const readOnPage = vi.spyOn(file, 'arrayBuffer');
    await captures.open(file);
    expect(worker.posted).toEqual([file]);
    expect(readOnPage).not.toHaveBeenCalled();
  });

  it("transfers the bytes of a file that is not a File (a shared link's)", async () => {
    const worker = new StandInWorker();
    const captures = new OpenedCaptures(() => worker);
    const bytes = readFileSync(FIXTURE);
    await captures.open({ name: 'shared.pcapng', size: bytes.length, arrayBuffer: async () => new Uint8Array(bytes).buffer });
    expect(worker.posted).toHaveLength(1);
    expect(worker.posted[0]).toBeInstanceOf(ArrayBuffer);
  });

  // the layers load as modules: seconds on a loaded machine
  it('shows the file once its store has decoded every byte, with every layer it needs', { timeout: 60_000 }, async () => {
    const worker = new StandInWorker();
    const captures = new OpenedCaptures(() => worker);
    const bytes = readFileSync(FIXTURE);
    await captures.open(new File([bytes], 'grpc-python.pcapng'));
    const shown = opened(captures);
    worker.answer(new Uint8Array(bytes));
    const file = await shown;
    if (file.kind !== 'packets') throw new Error(file.kind);
    // the gRPC messages' layer loads lazily: shown before it came, the file would show a placeholder
    expect(file.store.caughtUp()).toBe(true);
    expect(file.store.getSnapshot().messages.filter((message) => message.layer === 'grpc-message')).toHaveLength(3);
    expect(captures.getSnapshot().reading).toBeNull();
    expect(worker.terminated).toBe(true);
    file.store.stop();
  });
});
