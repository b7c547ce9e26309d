// Raw WebSocket chat clients for the fan-out benchmarks (bench/websocket.ts, bench/mqtt.ts).
import WebSocket from 'ws';

export interface ChatClient {
  socket: WebSocket;
  /** called with each chat line's text as it arrives */
  onLine: ((text: string) => void) | null;
}

/** A browser session issued by the server, as a page gets one (the connection quotas count per session). */
export async function newSession(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/_wirelab/session`);
  const session = /wirelab_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (!session) throw new Error(`bench: no session cookie from /_wirelab/session (${response.status})`);
  return session;
}

/**
 * One client of /ws/chat: a browser session of its own in the sandbox `sandbox` that all share
 * (the header picks the sandbox), so the chat room is common to all.
 */
export async function connectChatClient(port: number, index: number, sandbox: string): Promise<ChatClient> {
  const session = await newSession(port);
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/chat?name=client-${index}`, ['wirelab.chat.v1'], {
    headers: { cookie: `wirelab_session=${session}`, 'x-wirelab-sandbox': sandbox },
  });
  const client: ChatClient = { socket, onLine: null };
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; text?: string };
      if (message.type === 'welcome') resolve();
      else if (message.type === 'message') client.onLine?.(message.text!);
    });
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`client ${index} closed with ${code}`)));
  });
  return client;
}
