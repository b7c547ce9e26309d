import type { IncomingMessage } from 'node:http';

/**
 * The request body while it stays within `maxBytes` (the gRPC fast path reads its bodies this way): all of
 * it, or the chunks read so far once it grows past (the stream is paused there, the rest left for
 * whoever reads on); null if the client went away first.
 */
export function readBoundedBody(raw: IncomingMessage, maxBytes: number): Promise<{ chunks: Buffer[]; complete: boolean } | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  return eachChunk(raw, (chunk) => {
    chunks.push(chunk);
    length += chunk.byteLength;
    if (length <= maxBytes) return true;
    raw.pause();
    return false;
  }).then((outcome) => (outcome === 'gone' ? null : { chunks, complete: outcome === 'ended' }));
}

/**
 * A body of a declared length, copied into one buffer of that length as it arrives; null if the
 * client went away first. What a 1 MB echo costs in memory outside the heap (bench/README.md, "Big
 * bodies' buffers used again"): joined at the end, each chunk Node's parser copied out would live
 * until the last one came, then be copied once more; here each is garbage as soon as it is copied,
 * and the young generation takes it back. `body`: a buffer of `length` to fill (big-bodies.ts).
 */
export function readDeclaredBody(raw: IncomingMessage, length: number, body: Buffer = Buffer.allocUnsafe(length)): Promise<Buffer | null> {
  let read = 0;
  return eachChunk(raw, (chunk) => {
    // (node's parser gives no more than the declared length; copy() would stop at the end regardless)
    chunk.copy(body, read);
    read += chunk.length;
    return true;
  }).then((outcome) => (outcome === 'ended' && read === length ? body : null));
}

/**
 * Hands each chunk of the body to `take` until it answers false ('stopped': the rest is left
 * unread), the body has all come ('ended'), or the client went away first ('gone').
 */
function eachChunk(raw: IncomingMessage, take: (chunk: Buffer) => boolean): Promise<'ended' | 'stopped' | 'gone'> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      if (take(chunk)) return;
      done();
      resolve('stopped');
    };
    const onEnd = (): void => {
      done();
      resolve('ended');
    };
    const onGone = (): void => {
      done();
      resolve('gone');
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
