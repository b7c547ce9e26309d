import { WebSocket } from 'ws';
import { decodeChunkFrame } from '../../contracts/capture-channel/messages.ts';

export interface WireChunk {
  conn: string;
  seq: number;
  dir: 'in' | 'out';
  t: number;
  offset: number;
  data: string;
}

/** A browser's view of the capture channel, for tests: everything it received, decoded. */
export class CaptureClient {
  readonly messages: Array<Record<string, unknown>> = [];
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw: Buffer, isBinary) => this.messages.push(isBinary ? chunksMessage(raw) : JSON.parse(String(raw))));
  }

  static async open(origin: string, session: string): Promise<CaptureClient> {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/_wirelab/tap`, {
      headers: { cookie: `wirelab_session=${session}` },
    });
    const client = new CaptureClient(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    await client.waitFor(() => client.messages.some((m) => m.type === 'hello'));
    return client;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  chunks(): WireChunk[] {
    return this.messages.flatMap((m) => (m.type === 'chunks' ? (m.chunks as WireChunk[]) : []));
  }

  /** All bytes of one direction of one connection, in offset order, as received. */
  bytes(conn: string, dir: 'in' | 'out'): Buffer {
    const parts = this.chunks()
      .filter((c) => c.conn === conn && c.dir === dir)
      .sort((a, b) => a.offset - b.offset)
      .map((c) => Buffer.from(c.data, 'base64'));
    return Buffer.concat(parts);
  }

  /**
   * Every connection announced, once each, as last announced: the hub announces a connection
   * again when what is known of it changes (shared with another session, bytes not delivered).
   */
  connections<T extends { id: string } = { id: string; transport: string; remote: string }>(): T[] {
    const latest = new Map<string, T>();
    for (const message of this.messages) if (message.type === 'connection') latest.set((message.conn as T).id, message.conn as T);
    return [...latest.values()];
  }

  async waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`capture channel: condition not met in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise((resolve) => {
      this.socket.once('close', resolve);
      this.socket.close();
    });
  }
}

/** A binary chunks frame as the JSON message tests read: data in base64. */
function chunksMessage(frame: Buffer): Record<string, unknown> {
  const chunks = decodeChunkFrame(frame).map((chunk) => ({ ...chunk, data: Buffer.from(chunk.data).toString('base64') }));
  return { type: 'chunks', chunks };
}

/** Asks the server for a fresh browser session, as the app does on boot. */
export async function newSession(origin: string): Promise<string> {
  const response = await fetch(`${origin}/_wirelab/session`);
  const cookie = response.headers.get('set-cookie') ?? '';
  const match = /wirelab_session=([^;]+)/.exec(cookie);
  if (!match) throw new Error(`no session cookie in ${JSON.stringify(cookie)}`);
  return match[1];
}
