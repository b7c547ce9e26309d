import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { sessionFromCookie } from '../session/session-id.ts';
import type { CaptureHub } from './capture-hub.ts';
import type { CaptureMessage, CapturedChunk } from './capture-types.ts';

export const CAPTURE_CHANNEL_PATH = '/_wirelab/tap';

/** A browser that cannot keep up is dropped past this; it reconnects and gets the ring replayed. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

type WireMessage = Exclude<CaptureMessage, { type: 'chunk' }> | { type: 'chunks'; frame: Buffer };

/**
 * Turns a batch of hub messages into capture-channel messages: consecutive chunks become one
 * binary frame (README.md, "Chunks"), the rest stay JSON.
 */
export function toWireMessages(batch: CaptureMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  let run: CapturedChunk[] = [];
  const endRun = (): void => {
    if (run.length > 0) out.push({ type: 'chunks', frame: chunkFrame(run) });
    run = [];
  };
  for (const message of batch) {
    if (message.type === 'chunk') {
      run.push(message.chunk);
      continue;
    }
    endRun();
    out.push(message);
  }
  endRun();
  return out;
}

/** A 4-byte header length, the JSON header, then the chunks' bytes (web/wire/capture-frame.ts reads it). */
export function chunkFrame(chunks: readonly CapturedChunk[]): Buffer {
  const header = Buffer.from(
    JSON.stringify({ type: 'chunks', chunks: chunks.map(({ conn, seq, dir, t, offset, data }) => ({ conn, seq, dir, t, offset, length: data.length })) }),
  );
  let dataBytes = 0;
  for (const chunk of chunks) dataBytes += chunk.data.length;
  const frame = Buffer.allocUnsafe(4 + header.length + dataBytes);
  frame.writeUInt32BE(header.length, 0);
  header.copy(frame, 4);
  let at = 4 + header.length;
  for (const chunk of chunks) {
    chunk.data.copy(frame, at);
    at += chunk.data.length;
  }
  return frame;
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
        for (const message of toWireMessages(batch)) {
          if (message.type !== 'chunks') send(message);
          else if (socket.readyState === socket.OPEN) socket.send(message.frame, { binary: true });
        }
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
