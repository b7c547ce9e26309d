// What the Socket.IO integration tests share: waiting for one event a client receives.
import type { Socket } from 'socket.io-client';

/** Resolves with the argument of the next `event` that passes `accept`; rejects after `timeoutMs`. */
export function nextEvent<T = unknown>(socket: Socket, event: string, accept: (payload: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T): void => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}
