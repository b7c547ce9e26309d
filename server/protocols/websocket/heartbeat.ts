import type { WebSocket } from 'ws';

/** Requested pings whose pongs are still awaited; more are forgotten, oldest first. */
const MAX_PINGS_AWAITED = 16;

/** Hears the pongs of the pings a client asked for (pingNow). */
export interface PongReporter {
  requestedPong(payload: Buffer, roundTripMs: number): void;
}

/**
 * The heartbeat of a socket. Its 'pong' listener and its timer's callback are shared functions
 * that find it here, not closures per connection: an idle server holds thousands of connections
 * (bench/websocket-idle.ts).
 */
const heartbeatOf = Symbol('wirelab.heartbeat');
type BeatingSocket = WebSocket & { [heartbeatOf]: Heartbeat };

function heartbeatPong(this: WebSocket, payload: Buffer): void {
  (this as BeatingSocket)[heartbeatOf].pongArrived(payload);
}

function heartbeatTick(heartbeat: Heartbeat): void {
  heartbeat.tick();
}

/**
 * The server's keep-alive for one connection: a ping every `intervalMs` (payload `ping <n>`).
 * A peer that has not answered the previous ping by the next tick is gone (a lid shut, a
 * tunnel): there is nobody to send a close frame to, so the connection is cut.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private unanswered = false;
  private sent = 0;
  // payload (hex) → when it was sent, for pings a client asked for: their pongs are reported back.
  // Made at the first such ping: most connections never ask, and an idle server holds thousands.
  private requested: Map<string, number> | null = null;

  /** `reporter`: told of the pongs of requested pings (null: nobody asks) */
  constructor(
    private readonly socket: WebSocket,
    private intervalMs: number,
    private readonly reporter: PongReporter | null,
  ) {
    (socket as BeatingSocket)[heartbeatOf] = this;
    socket.on('pong', heartbeatPong);
  }

  get interval(): number {
    return this.intervalMs;
  }

  start(): void {
    this.stop();
    this.timer = setInterval(heartbeatTick, this.intervalMs, this);
  }

  changeInterval(ms: number): void {
    this.intervalMs = ms;
    this.start();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A ping the client asked for; its pong is reported through `onRequestedPong`. */
  pingNow(payload: Buffer): void {
    const requested = (this.requested ??= new Map());
    if (requested.size >= MAX_PINGS_AWAITED) requested.delete(requested.keys().next().value!);
    requested.set(payload.toString('hex'), performance.now());
    this.socket.ping(payload);
  }

  /** (called by the timer: see `heartbeatTick` above) */
  tick(): void {
    if (this.socket.readyState !== this.socket.OPEN) {
      this.stop();
      return;
    }
    if (this.unanswered) {
      this.stop();
      this.socket.terminate();
      return;
    }
    this.unanswered = true;
    this.socket.ping(Buffer.from(`ping ${++this.sent}`));
  }

  /** (the socket's 'pong' listener: see `heartbeatPong` above) */
  pongArrived(payload: Buffer): void {
    // Any pong proves the peer is alive, an unsolicited one too (RFC 6455 §5.5.3 allows it).
    this.unanswered = false;
    if (!this.requested) return;
    const key = payload.toString('hex');
    const sentAt = this.requested.get(key);
    if (sentAt === undefined) return;
    this.requested.delete(key);
    this.reporter?.requestedPong(payload, Math.round((performance.now() - sentAt) * 100) / 100);
  }
}
