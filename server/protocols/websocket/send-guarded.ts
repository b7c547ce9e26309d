import type { RawData, WebSocket } from 'ws';
import { CLOSE } from './limits.ts';
import { closeReason, messages } from './messages.ts';

/**
 * Sends unless the client has stopped reading: past `maxBufferedBytes` queued in this process
 * the connection is closed with 1013 instead of letting one slow reader grow the server's memory.
 */
export function sendGuarded(socket: WebSocket, data: string | Buffer, maxBufferedBytes: number, options: { binary?: boolean; fin?: boolean } = {}): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount > maxBufferedBytes) {
    socket.close(CLOSE.tryAgainLater, closeReason(messages.tooSlow()));
    return false;
  }
  socket.send(data, options);
  return true;
}

/** ws hands a message over as a Buffer (binaryType "nodebuffer"); the other shapes for safety. */
export function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
