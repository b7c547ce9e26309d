import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { GOING_AWAY } from '../../wire/websocket/close-codes.ts';
import { GOODBYE_WAIT_MS, OpenWebSockets, SHUTDOWN_CLOSE_REASON } from './goodbye.ts';

/** What of a `ws` socket the goodbye uses; `answers`: the peer sends its close frame back at once. */
class PeerSocket extends EventEmitter {
  readonly CLOSED = 3;
  readonly OPEN = 1;
  readyState: number;
  closedWith: Array<[number, string]> = [];
  terminated = false;
  constructor(
    private readonly answers: boolean,
    state: 'open' | 'closing' | 'closed' = 'open',
  ) {
    super();
    this.readyState = { open: 1, closing: 2, closed: 3 }[state];
  }
  close(code: number, reason: string): void {
    this.closedWith.push([code, reason]);
    this.readyState = 2;
    if (this.answers) queueMicrotask(() => this.finish());
  }
  terminate(): void {
    this.terminated = true;
    this.finish();
  }
  finish(): void {
    this.readyState = this.CLOSED;
    this.emit('close');
  }
}

const asSockets = (sockets: PeerSocket[]) => sockets as unknown as WebSocket[];

describe('OpenWebSockets', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('tells every tracked socket 1001 at once, waits for the answers, and cuts the silent ones after one wait in all', async () => {
    const open = new OpenWebSockets();
    const answering = new PeerSocket(true);
    const silentHere = new PeerSocket(false);
    const silentThere = new PeerSocket(false);
    const live = new Set([answering, silentHere]);
    open.track(asSockets([...live]));
    open.track(asSockets([silentThere]));
    let done = false;
    const goodbye = open.sayGoodbye().then(() => {
      done = true;
    });
    for (const socket of [answering, silentHere, silentThere]) expect(socket.closedWith).toEqual([[GOING_AWAY, SHUTDOWN_CLOSE_REASON]]);
    await vi.advanceTimersByTimeAsync(GOODBYE_WAIT_MS - 1);
    expect(done).toBe(false);
    expect(answering.terminated).toBe(false);
    // One wait for all of them, not one per collection.
    await vi.advanceTimersByTimeAsync(1);
    await goodbye;
    expect([answering.terminated, silentHere.terminated, silentThere.terminated]).toEqual([false, true, true]);
  });

  it('reads the collections at shutdown, and leaves a closing socket its own code', async () => {
    const open = new OpenWebSockets();
    const clients = new Set<PeerSocket>();
    open.track(clients as unknown as Set<WebSocket>);
    const later = new PeerSocket(true);
    const refused = new PeerSocket(false, 'closing');
    const gone = new PeerSocket(false, 'closed');
    for (const socket of [later, refused, gone]) clients.add(socket);
    const goodbye = open.sayGoodbye();
    expect(later.closedWith).toEqual([[GOING_AWAY, SHUTDOWN_CLOSE_REASON]]);
    expect(refused.closedWith).toEqual([]);
    expect(gone.closedWith).toEqual([]);
    refused.finish();
    await goodbye;
    expect(refused.terminated).toBe(false);
  });
});
