import type { IncomingMessage } from 'node:http';

/**
 * The request body while it stays within `maxBytes` (both fast paths read theirs this way): all of
 * it, or the chunks read so far once it grows past (the stream is paused there, the rest left for
 * whoever reads on); null if the client went away first.
 */
export function readBoundedBody(raw: IncomingMessage, maxBytes: number): Promise<{ chunks: Buffer[]; complete: boolean } | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.byteLength;
      if (length <= maxBytes) return;
      raw.pause();
      done();
      resolve({ chunks, complete: false });
    };
    const onEnd = (): void => {
      done();
      resolve({ chunks, complete: true });
    };
    const onGone = (): void => {
      done();
      resolve(null);
    };
    const done = (): void => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onGone);
      raw.off('close', onGone);
    };
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onGone);
    raw.on('close', onGone);
  });
}

export function joinChunks(chunks: Buffer[]): Buffer {
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
