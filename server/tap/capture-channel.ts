import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { sessionFromCookie } from '../session/session-id.ts';
import type { CaptureHub, CaptureMessage } from './capture-hub.ts';

export const CAPTURE_CHANNEL_PATH = '/_wirelab/tap';

/** A browser that cannot keep up is dropped past this; it reconnects and gets the ring replayed. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

type WireMessage =
  | { type: 'chunks'; chunks: Array<{ conn: string; seq: number; dir: string; t: number; offset: number; data: string }> }
  | Exclude<CaptureMessage, { type: 'chunk' }>;

/** Turns a batch of hub messages into capture-channel messages, consecutive chunks grouped. */
export function toWireMessages(batch: CaptureMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  for (const message of batch) {
    if (message.type !== 'chunk') {
      out.push(message);
      continue;
    }
    const { data, ...rest } = message.chunk;
    const chunk = { ...rest, data: data.toString('base64') };
    const last = out[out.length - 1];
    if (last?.type === 'chunks') last.chunks.push(chunk);
    else out.push({ type: 'chunks', chunks: [chunk] });
  }
  return out;
}

/**
 * The capture channel: a WebSocket on which a browser receives its own session's captures,
 * and switches recording or clears them. Its own connection is excluded from the tap.
 */
export async function captureChannel(app: FastifyInstance, options: { hub: CaptureHub }): Promise<void> {
  const { hub } = options;
  app.get(CAPTURE_CHANNEL_PATH, { websocket: true }, (socket: WebSocket, request) => {
    const session = sessionFromCookie(request.headers);
    if (!session) {
      // 1008 policy violation: captures are only ever shown to the session that made them.
      socket.close(1008, 'no wirelab_session cookie');
      return;
    }
    const send = (message: unknown): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    send({
      type: 'hello',
      session,
      recording: hub.isRecording(session),
      limits: { ringBytes: hub.limits.ringBytes, ringChunks: hub.limits.ringChunks },
    });
    const unsubscribe = hub.subscribe(session, {
      deliver(batch) {
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'capture backlog too large, reconnect');
          return;
        }
        for (const message of toWireMessages(batch)) send(message);
      },
    });
    socket.on('close', unsubscribe);
    socket.on('message', (raw) => {
      let message: { type?: unknown; on?: unknown };
      try {
        message = JSON.parse(String(raw));
      } catch {
        socket.close(1007, 'capture channel messages are JSON');
        return;
      }
      if (message.type === 'recording' && typeof message.on === 'boolean') hub.setRecording(session, message.on);
      else if (message.type === 'clear') hub.clear(session);
    });
  });
}
