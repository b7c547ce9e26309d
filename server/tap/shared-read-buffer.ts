import type { Socket } from 'node:net';

// Reads of a socket into one buffer shared by every socket that reads this way, each copied out
// at once: for a connection whose reads are many and small (an MQTT subscriber's PUBACKs, 4 bytes
// each), Node's own read path costs far more than the bytes — a 64 KiB allocation shrunk to the
// read, then a push, a 'data' event and a maybeReadMore tick in the socket's Readable.

/**
 * The buffer sockets that read directly (TapSocket.readDirectly) read into. One for all of them:
 * the event loop reads one socket at a time, and each read is copied out before its callback
 * returns. 64 KiB: what Node asks a socket read for by default.
 */
let sharedReadBuffer: Buffer | null = null;
const SHARED_READ_BYTES = 64 * 1024;

/**
 * Has an accepted socket read into the shared buffer and call `take` with a copy of each read,
 * in place of its Readable's 'data' (the end of input, errors, pause and resume stay the
 * socket's). This is net.Socket's documented `onread` option (a buffer and a callback), which Node
 * takes only when it makes the socket; an accepted socket has the same two slots, found here by
 * their names. false, the socket unchanged: a Node without them, a socket closed, one whose
 * Readable still holds a read, or one reading into a buffer already — its reads then come through 'data' as before.
 */
export function readIntoSharedBuffer(socket: Socket, take: (chunk: Buffer) => void): boolean {
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: (buffer: Uint8Array) => void } | null })._handle;
  // (what the socket's Readable still holds would come after reads handed over at once)
  if (!handle || typeof handle.useUserBuffer !== 'function' || socket.destroyed || socket.readableLength > 0) return false;
  const symbols = Object.getOwnPropertySymbols(socket);
  const bufferSlot = symbols.find((symbol) => symbol.description === 'kBuffer');
  const callbackSlot = symbols.find((symbol) => symbol.description === 'kBufferCb');
  const slots = socket as unknown as Record<symbol, unknown>;
  if (!bufferSlot || !callbackSlot || slots[bufferSlot] !== null || slots[callbackSlot] !== null) return false;
  sharedReadBuffer ??= Buffer.allocUnsafe(SHARED_READ_BYTES);
  slots[bufferSlot] = sharedReadBuffer;
  slots[callbackSlot] = (bytes: number, buffer: Buffer): void => {
    // A copy of its own, since the next read of any socket overwrites the buffer; exactly its size, as
    // Node's own reads are (not a slice of Node's pool: a chunk kept, by the tap or as a retained
    // message's payload, would hold a whole 8 KiB slab).
    const chunk = Buffer.allocUnsafeSlow(bytes);
    buffer.copy(chunk, 0, 0, bytes);
    take(chunk);
  };
  handle.useUserBuffer(sharedReadBuffer);
  return true;
}
