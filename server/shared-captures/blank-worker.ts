// The worker that reads and blanks a shared capture (blank-capture.ts) off the event loop: an
// 8 MiB pcapng takes the better part of a second or more, which every other client would wait.
import { parentPort } from 'node:worker_threads';
import { blankCapture } from './blank-capture.ts';
import { blankerOf, type BlankingJob } from './blanking.ts';

parentPort?.on('message', ({ file, settings }: BlankingJob) => {
  const result = blankCapture(file, blankerOf(settings));
  parentPort?.postMessage(result, result.ok ? [result.pcapng.buffer] : []);
});
