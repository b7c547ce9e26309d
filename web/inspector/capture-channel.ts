// The capture store's transport: the WebSocket to `/_wirelab/tap` (contracts/capture-channel),
// opened once, reopened with backoff until stopped; a close 1001 (the server going away) is a
// restart, not a failure. It hands what arrives to the store and knows nothing of captures.
import { CAPTURE_CLOSE, decodeChunkFrame, type CaptureClientMessage } from '../../contracts/capture-channel/messages.ts';
import type { CaptureChunk } from '../../wire/types.ts';
import type { CaptureStatus, CaptureStoreOptions, ServerMessage, SocketLike } from './capture-types.ts';

/** What the channel tells its store. */
export interface ChannelListener {
  status(status: CaptureStatus): void;
  message(message: ServerMessage): void;
  /** the chunks of one binary frame */
  chunks(chunks: CaptureChunk[]): void;
}

export class CaptureChannel {
  private socket: SocketLike | null = null;
  private started = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  /** the channel closed with 1001 (the server shutting down): until it opens again the status says so */
  private serverRestarting = false;
  private status: CaptureStatus = 'closed';

  constructor(
    private readonly options: Pick<CaptureStoreOptions, 'url' | 'socketFactory' | 'reconnectDelayMs'>,
    private readonly listener: ChannelListener,
  ) {}

  /** Opens the channel (once); reconnects with backoff until stop(). */
  connect(): void {
    if (this.started) return;
    this.started = true;
    this.open();
  }

  /** Closes the channel for good; the status becomes 'closed'. */
  stop(): void {
    this.started = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.setStatus('closed');
  }

  /** Sent only while the channel is open (the server confirms what it applies). */
  send(message: CaptureClientMessage): void {
    if (this.status === 'open') this.socket?.send(JSON.stringify(message));
  }

  private setStatus(status: CaptureStatus): void {
    this.status = status;
    this.listener.status(status);
  }

  private open(): void {
    this.setStatus(this.serverRestarting ? 'restarting' : 'connecting');
    let socket: SocketLike;
    try {
      socket = this.options.socketFactory(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.failures = 0;
      this.serverRestarting = false;
      this.setStatus('open');
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.received(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const code = (event as { code?: number } | null)?.code;
      if (code === CAPTURE_CLOSE.serverGoingAway) {
        // A restart, not a failure: the first attempt comes soon, the backoff grows from there.
        this.serverRestarting = true;
        this.failures = 0;
      }
      if (code === CAPTURE_CLOSE.moved) {
        // Scaled out, this session's requests now reach another instance: the channel goes there
        // at once (the load balancer sends it where the requests go), and its captures with it.
        this.failures = 0;
        this.setStatus('connecting');
        this.scheduleReconnect(true);
        return;
      }
      this.setStatus(this.serverRestarting ? 'restarting' : 'closed');
      this.scheduleReconnect();
    };
    socket.onerror = () => {};
  }

  /** A binary frame carries chunks, a text frame one JSON message; anything unreadable is dropped. */
  private received(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      let chunks: CaptureChunk[];
      try {
        chunks = decodeChunkFrame(new Uint8Array(data));
      } catch {
        return;
      }
      this.listener.chunks(chunks);
      return;
    }
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    this.listener.message(message);
  }

  private scheduleReconnect(now = false): void {
    if (!this.started || this.reconnectTimer) return;
    const { first, max } = this.options.reconnectDelayMs ?? { first: 500, max: 10_000 };
    const delay = now ? 0 : Math.min(max, first * 2 ** this.failures);
    if (!now) this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.started) this.open();
    }, delay);
  }
}

/** The browser's WebSocket as a SocketLike, binary frames as ArrayBuffers. */
export function browserSocket(url: string): SocketLike {
  const webSocket = new WebSocket(url);
  webSocket.binaryType = 'arraybuffer';
  const socket: SocketLike = {
    send: (data) => webSocket.send(data),
    close: () => webSocket.close(),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  webSocket.onopen = (event) => socket.onopen?.(event);
  webSocket.onmessage = (event) => socket.onmessage?.(event);
  webSocket.onclose = (event) => socket.onclose?.(event);
  webSocket.onerror = (event) => socket.onerror?.(event);
  return socket;
}
