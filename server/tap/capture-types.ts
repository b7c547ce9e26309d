// What the capture hub records and sends, in a module of its own so that the hub and its
// parts (the chunk ring, the capture channel) share these types without importing each other.

import type { CaptureChunk, CapturedConnection, CaptureServerMessage } from '../../contracts/capture-channel/messages.ts';

// What crosses the capture channel is the contract's (contracts/capture-channel/); the hub keeps
// its chunks' bytes as Buffers.
export type { Direction, Transport, UndeliveredReason, UnrecordedReason } from '../../contracts/capture-channel/messages.ts';
export type ConnectionInfo = CapturedConnection;
/** One recorded chunk, as it is kept in a session's ring. */
export type CapturedChunk = CaptureChunk<Buffer>;

/** What the hub hands a subscriber: the channel's messages but hello, and chunks one by one (the channel frames runs of them). */
export type CaptureMessage = Exclude<CaptureServerMessage, { type: 'hello' }> | { type: 'chunk'; chunk: CapturedChunk };

export interface CaptureSubscriber {
  deliver(messages: CaptureMessage[]): void;
}

export interface CaptureLimits {
  /** @default 4 MiB */
  ringBytes: number;
  /** @default 20_000 */
  ringChunks: number;
  /** bytes a connection may hold while it waits to learn its owner. @default 64 KiB */
  pendingBytes: number;
  /** sessions whose captures are kept at once; past it the address with the most loses its least recently active. @default 1000 */
  sessions: number;
  /** sessions one client address may have captures of; past it that address's least recently active goes. @default 200 */
  sessionsPerAddress: number;
  /**
   * Heap the rings of every session may hold together. Past it, the client address holding the
   * most loses first: its least recently active session's ring is halved, oldest chunks dropped.
   * @default captureBudgetFor(os.totalmem())
   */
  totalBytes: number;
}
