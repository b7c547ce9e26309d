// How a page's captures are blanked, as plain data, so that the capture channel and the worker
// that blanks a shared capture (blank-worker.ts) make the very same blanker from it.
import { Worker } from 'node:worker_threads';
import { CaptureBlanker } from '../classroom/blanking/capture-blanker.ts';
import type { BlankedCapture } from './blank-capture.ts';

export interface BlankerSettings {
  /** the session whose page it is */
  session: string;
  /** other secrets that must never reach a page (the teacher key) */
  secrets: string[];
  /** header values that are no secret (the gRPC lesson's demo tokens) */
  shownHeaderValues: string[];
}

export interface BlankingJob {
  file: Uint8Array;
  settings: BlankerSettings;
}

export function blankerOf(settings: BlankerSettings): CaptureBlanker {
  return new CaptureBlanker(settings.session, settings.secrets, new Set(settings.shownHeaderValues));
}

/**
 * One worker thread that blanks shared captures one at a time, started on the first share and
 * kept (not keeping the process alive); a worker that fails is replaced at the next share.
 */
export class BlankingThread {
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  blank(job: BlankingJob): Promise<BlankedCapture> {
    const run = this.queue.then(() => this.runOne(job));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }

  private runOne(job: BlankingJob): Promise<BlankedCapture> {
    const worker = this.started();
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => {
        worker.off('message', done);
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
        reject(error);
      };
      const done = (result: BlankedCapture) => {
        worker.off('error', failed);
        resolve(result);
      };
      worker.once('message', done);
      worker.once('error', failed);
      // a copy of its own to hand over: a small request body may share Node's pooled buffer
      const file = new Uint8Array(job.file);
      worker.postMessage({ ...job, file }, [file.buffer]);
    });
  }

  private started(): Worker {
    if (!this.worker) {
      // Node itself reads the worker's TypeScript (the server's own goes through tsx, whose hooks
      // a worker's entry does not get); the flag's warning would be a log line at every start.
      this.worker = new Worker(new URL('./blank-worker.ts', import.meta.url), {
        execArgv: ['--experimental-transform-types', '--disable-warning=ExperimentalWarning'],
      });
      this.worker.unref();
    }
    return this.worker;
  }
}
