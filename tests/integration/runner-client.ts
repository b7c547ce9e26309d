// The browser's side of a gRPC runner channel (contracts/grpc-runner/), for tests: this server's
// runner and the own-server one speak the same messages.
import { WebSocket } from 'ws';

export type RunnerMessage = Record<string, any>;
type Message = RunnerMessage;

export class RunnerTestClient {
  readonly messages: Message[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      this.messages.push(JSON.parse(String(raw)));
      this.notify();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.notify();
    });
  }

  static async open(url: string, session: string | null): Promise<RunnerTestClient> {
    const socket = new WebSocket(url, { headers: session ? { cookie: `wirelab_session=${session}` } : {} });
    const client = new RunnerTestClient(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return client;
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  of(call: string): Message[] {
    return this.messages.filter((m) => m.call === call);
  }

  /** Waits for the first message matching, checking again at every message that arrives. */
  async next(match: (m: Message) => boolean, timeoutMs = 5000): Promise<Message> {
    const deadline = setTimeout(() => this.notify(), timeoutMs);
    const started = Date.now();
    try {
      for (;;) {
        const found = this.messages.find(match);
        if (found) return found;
        if (this.closed) throw new Error(`channel closed (${this.closed.code}) before the message came`);
        if (Date.now() - started >= timeoutMs) throw new Error(`no such message in ${timeoutMs} ms: ${JSON.stringify(this.messages.slice(-5))}`);
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  async closedWith(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    await this.next(() => false, timeoutMs).catch(() => undefined);
    if (!this.closed) throw new Error('the channel stayed open');
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise((resolve) => {
      this.socket.once('close', resolve);
      this.socket.close();
    });
  }
}
