import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Board, ServerMessage } from '../../../contracts/class-channel/messages.ts';

/**
 * The board goes to the teacher at most this often while students work, and never more often
 * than its last build took times BOARD_BUILD_SHARE: a hall of hundreds with thousands of
 * results must not spend the server on rebuilding the board.
 */
const BOARD_PUSH_GAP_MS = 200;
const BOARD_BUILD_SHARE = 10;

interface Watched {
  /** the teachers' channels on this instance that watch the class's board */
  watchers: Set<WebSocket>;
  /** set from a change until the push it causes has been sent */
  timer: ReturnType<typeof setTimeout> | null;
  /** a change came while the board was being built (from the store, over the network): build again after */
  stale: boolean;
  /** how long the last push took to build and serialise */
  buildMs: number;
}

/**
 * The live boards on this instance: who watches which class, and one push of the rebuilt board
 * after a change (a join, a result, presence, the class's state — here or on another instance),
 * spaced as above; changes during a build wait for the next push, never a second build alongside.
 */
export class BoardPushes {
  private readonly classes = new Map<string, Watched>();
  private stopped = false;

  constructor(
    private readonly build: (code: string) => Promise<Board | null>,
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
  ) {}

  watch(code: string, socket: WebSocket): void {
    let watched = this.classes.get(code);
    if (!watched) this.classes.set(code, (watched = { watchers: new Set(), timer: null, stale: false, buildMs: 0 }));
    watched.watchers.add(socket);
  }

  unwatch(code: string, socket: WebSocket): void {
    const watched = this.classes.get(code);
    watched?.watchers.delete(socket);
    if (watched && watched.watchers.size === 0 && !watched.timer) this.classes.delete(code);
  }

  /** The class is gone: its watchers are told, its pending push dropped. */
  deleted(code: string): void {
    const watched = this.classes.get(code);
    if (!watched) return;
    if (watched.timer) clearTimeout(watched.timer);
    const text = JSON.stringify({ type: 'class-deleted', code } satisfies ServerMessage);
    for (const socket of watched.watchers) if (socket.readyState === socket.OPEN) socket.send(text);
    this.classes.delete(code);
  }

  /** The board of a class changed on this instance or another: pushed to this instance's watchers soon. */
  changed(code: string): void {
    const watched = this.classes.get(code);
    if (!watched || watched.watchers.size === 0 || this.stopped) return;
    if (watched.timer) {
      watched.stale = true;
      return;
    }
    watched.timer = setTimeout(
      () => {
        // what changed until now is in this build
        watched.stale = false;
        const started = performance.now();
        this.build(code)
          .then((snapshot) => {
            if (!snapshot) return;
            const text = JSON.stringify({ type: 'board', board: snapshot } satisfies ServerMessage);
            watched.buildMs = performance.now() - started;
            for (const socket of watched.watchers) if (socket.readyState === socket.OPEN) socket.send(text);
          })
          .catch((error: unknown) => this.log.warn({ err: error, code }, 'classroom: the board could not be built'))
          .finally(() => {
            watched.timer = null;
            if (watched.stale) this.changed(code);
            else if (watched.watchers.size === 0) this.classes.delete(code);
          });
      },
      Math.max(BOARD_PUSH_GAP_MS, watched.buildMs * BOARD_BUILD_SHARE),
    );
  }

  /** The server is closing: no more pushes. */
  stop(): void {
    this.stopped = true;
    for (const watched of this.classes.values()) if (watched.timer) clearTimeout(watched.timer);
  }
}
