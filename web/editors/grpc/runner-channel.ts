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

  close(): void {
    this.socket?.close(1000);
    this.socket = null;
    this.opened = null;
  }

  private open(): Promise<WebSocket> {
    if (this.opened && this.socket?.readyState === WebSocket.OPEN) return this.opened;
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
        if (this.socket === socket) {
          this.socket = null;
          this.opened = null;
        }
        reject(new Error(`runner channel closed (${event.code})`));
        this.onClose(event.code);
      });
    });
    return this.opened;
  }
}
