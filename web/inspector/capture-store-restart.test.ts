import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CAPTURE_CLOSE } from '../../contracts/capture-channel/messages.ts';
import { CaptureStore, type SocketLike } from './capture-store.ts';
import { inspectorStrings } from './strings.ts';

/** The store's side of a capture channel whose server side the test plays. */
function fakeSocket(): SocketLike {
  return { send: () => undefined, close: () => undefined, onopen: null, onmessage: null, onclose: null, onerror: null };
}

describe('the capture channel when the server restarts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says "restarting" from the 1001 until the channel opens again, through failed attempts, and retries soon', () => {
    const sockets: SocketLike[] = [];
    const store = new CaptureStore({
      url: 'ws://example.test/_wirelab/tap',
      socketFactory: () => {
        const socket = fakeSocket();
        sockets.push(socket);
        return socket;
      },
      reconnectDelayMs: { first: 500, max: 4000 },
    });
    store.connect();
    // Two failures before: the backoff had grown to 2 s.
    sockets[0].onclose?.({ code: 1006 });
    vi.advanceTimersByTime(500);
    sockets[1].onclose?.({ code: 1006 });
    vi.advanceTimersByTime(1000);
    sockets[2].onopen?.({});
    expect(store.status).toBe('open');
    sockets[2].onclose?.({ code: CAPTURE_CLOSE.serverGoingAway });
    expect(store.status).toBe('restarting');
    // A restart is not a failure: the first attempt comes after the first delay again.
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(4);
    expect(store.status).toBe('restarting');
    // The server is not back yet: the attempt fails, the page still says it is restarting.
    sockets[3].onclose?.({ code: 1006 });
    expect(store.status).toBe('restarting');
    vi.advanceTimersByTime(1000);
    sockets[4].onopen?.({});
    expect(store.status).toBe('open');
    // Back to normal: a later broken connection is a failure again.
    sockets[4].onclose?.({ code: 1006 });
    expect(store.status).toBe('closed');
    store.stop();
  });

  it('says so in both languages', () => {
    expect(inspectorStrings.en.status.restarting).toBe('the server stopped or is restarting; reconnecting…');
    expect(inspectorStrings.ru.status.restarting).toBe('сервер остановлен или перезапускается; переподключаемся…');
  });
});
