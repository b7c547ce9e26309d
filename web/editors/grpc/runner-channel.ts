import {
  OWN_SERVER_RUNNER_PATH,
  parseRunnerMessage,
  RUNNER_CHANNEL_PATH,
  type RunnerClientMessage,
  type RunnerServerMessage,
} from '../../../contracts/grpc-runner/messages.ts';

/** What the browser sends the runner (contracts/grpc-runner/). */
export type RunnerCommand = RunnerClientMessage;

/** The runner's channel; with `ownTarget` (host:port), the one whose calls go to the student's own server. */
export function runnerUrl(location: { protocol: string; host: string }, ownTarget?: string): string {
  const base = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
  return ownTarget === undefined ? `${base}${RUNNER_CHANNEL_PATH}` : `${base}${OWN_SERVER_RUNNER_PATH}?target=${encodeURIComponent(ownTarget.trim())}`;
}

/**
 * One WebSocket to the server's gRPC runner, opened on the first command. The server keeps one
 * h2c connection per runner channel, so all of a cell's calls are streams of that one connection.
 */
export class RunnerChannel {
  private socket: WebSocket | null = null;
  private opened: Promise<WebSocket> | null = null;

  constructor(
    private readonly url: string,
    private readonly onMessage: (message: RunnerServerMessage) => void,
    private readonly onClose: (code: number) => void,
  ) {}

  async send(command: RunnerCommand): Promise<void> {
    const socket = await this.open();
    socket.send(JSON.stringify(command));
  }

  /** Closes the channel (another target): its socket's close, which comes later, is not reported. */
  close(): void {
    this.socket?.close(1000);
    this.socket = null;
    this.opened = null;
  }

  private open(): Promise<WebSocket> {
    // a socket still connecting is the one to wait for: a second command then opens no second socket
    const state = this.socket?.readyState;
    if (this.opened && (state === WebSocket.OPEN || state === WebSocket.CONNECTING)) return this.opened;
    this.opened = new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.addEventListener('open', () => resolve(socket), { once: true });
      socket.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        const message = parseRunnerMessage(event.data);
        if (message) this.onMessage(message);
      });
      socket.addEventListener('close', (event) => {
        reject(new Error(`runner channel closed (${event.code})`));
        // A socket close() let go is the cell's own doing, and its close event can come after the
        // next call began on the new target's channel: reported, it ended that call with "the runner
        // channel closed (code 1000)" beside the call's own outcome (CI, grpc-graphql-own-server).
        if (this.socket !== socket) return;
        this.socket = null;
        this.opened = null;
        this.onClose(event.code);
      });
    });
    return this.opened;
  }
}
