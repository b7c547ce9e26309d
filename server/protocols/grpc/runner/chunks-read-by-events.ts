import type { Readable } from 'node:stream';

const WAKING_EVENTS = ['readable', 'end', 'error', 'close'] as const;

/**
 * A readable stream's chunks for `for await`, taken with `read()` between its events instead of
 * Node's own async iterator.
 *
 * Why: from Node 24.20 (and 26.3) that iterator ends with ERR_STREAM_PREMATURE_CLOSE when an HTTP/2
 * response has closed normally while its body is still buffered (nodejs/node#65677; the fix,
 * nodejs/node#65689, has not reached a 24 release). connect-node reads every response body with
 * it, so a student's gRPC server that answered OK showed as UNKNOWN "Premature close" in the
 * gRPC runner (tests/integration/own-server-grpc-cells.test.ts on 24.21.0).
 *
 * Ends as Node's iterator does: at the stream's end; with the stream's error; with a premature
 * close when the stream was destroyed before its end; and a consumer that stops early destroys it.
 */
export async function* chunksReadByEvents(stream: Readable): AsyncGenerator<Buffer, void, undefined> {
  try {
    for (;;) {
      const chunk: Buffer | null = stream.read();
      if (chunk !== null) {
        yield chunk;
        continue;
      }
      if (stream.readableEnded) return;
      if (stream.errored) throw stream.errored;
      if (stream.destroyed) throw prematureClose();
      await nextEvent(stream);
    }
  } finally {
    if (!stream.readableEnded) stream.destroy();
  }
}

/** Replaces `stream`'s async iterator with chunksReadByEvents. */
export function readByEvents<T extends Readable>(stream: T): T {
  stream[Symbol.asyncIterator] = () => chunksReadByEvents(stream);
  return stream;
}

function nextEvent(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      for (const event of WAKING_EVENTS) stream.off(event, wake);
      resolve();
    };
    for (const event of WAKING_EVENTS) stream.on(event, wake);
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
