// A capture file's traffic as a question about it is judged (capture-question.ts): read by
// wire/capture-file/ and every connection decoded with every layer loaded, as the server decodes
// a session's ring. For the server and tests; the page decodes an opened file in its worker and
// capture store (web/inspector/), with the same decoders.
import { readCaptureFile } from '../../wire/capture-file/read-capture-file.ts';
import type { CaptureTraffic } from './capture-question.ts';
import { trafficOfCaptures } from './captured-traffic.ts';

/** The file's exchanges and messages; null when it is not a packet capture (a HAR has no bytes to ask about) or cannot be read. */
export function trafficOfCaptureFile(bytes: Uint8Array): CaptureTraffic | null {
  const opened = readCaptureFile(bytes);
  if (opened.kind !== 'packets' || opened.problem) return null;
  return trafficOfCaptures(opened.connections, opened.chunks);
}
