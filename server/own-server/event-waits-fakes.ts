// The event waits' tests' fakes: a socket the test plays the student's server on, a
// CheckedWebSocket over it, the limits the tests wait by, and a fake clock run to a wait's end.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { vi } from 'vitest';
import { encodeFrame } from '../../wire/websocket/frame-codec.ts';
import { CheckedWebSocket, OPCODE } from './websocket-client.ts';

export const LIMITS = { checkTimeoutMs: 5_000, shortEventWaitMs: 1_500 };

export class FakeSocket extends EventEmitter {
  destroyed = false;
  write(): boolean {
    return true;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
  /** The server sends a text message (unmasked, as a server must). */
  say(text: string): void {
    this.emit('data', Buffer.from(encodeFrame({ opcode: OPCODE.text, payload: Buffer.from(text), maskKey: null })));
  }
}

/** A CheckedWebSocket over `fake`, as after a handshake. */
export function checkedOn(fake: FakeSocket, signal = new AbortController().signal): CheckedWebSocket {
  return new CheckedWebSocket(fake as unknown as Socket, signal, Buffer.alloc(0));
}

/** Runs `wait` to its end on the fake clock (vi.useFakeTimers); how long it took there. */
export async function timed<T>(wait: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let done = false;
  const value = wait.finally(() => {
    done = true;
  });
  while (!done) await vi.advanceTimersByTimeAsync(100);
  return { value: await value, ms: Date.now() - started };
}
