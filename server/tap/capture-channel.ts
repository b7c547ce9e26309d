import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { sessionFromCookie } from '../session/session-id.ts';
import {
  CAPTURE_CHANNEL_PATH,
  CAPTURE_CLOSE,
  encodeChunkFrame,
  type CaptureClientMessage,
  type CaptureServerMessage,
} from '../../contracts/capture-channel/messages.ts';
import type { CaptureHub } from './capture-hub.ts';
import type { CaptureMessage, CapturedChunk } from './capture-types.ts';

export { CAPTURE_CHANNEL_PATH };

/** A browser that cannot keep up is dropped past this; it reconnects and gets the ring replayed. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

type WireMessage = Exclude<CaptureMessage, { type: 'chunk' }> | { type: 'chunks'; frame: Uint8Array };

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

/** The binary message of a run of chunks (contracts/capture-channel/messages.ts), in a Buffer `ws` sends as it is. */
export function chunkFrame(chunks: readonly CapturedChunk[]): Uint8Array {
  return encodeChunkFrame(chunks, (size) => Buffer.allocUnsafe(size));
}

/** What a page may see of one message of its session's captures (secrets blanked: server/classroom/blanking/capture-blanker.ts). */
export interface CaptureScreen {
  apply(message: CaptureMessage): CaptureMessage;
}

export interface CaptureChannelOptions {
  hub: CaptureHub;
  /** one screen per channel of this session; without it the page gets the bytes as captured */
  screenFor?: (session: string) => CaptureScreen;
}

/**
 * The capture channel: a WebSocket on which a browser receives its own session's captures,
 * and switches recording or clears them. Its own connection is excluded from the tap.
 */
export async function captureChannel(app: FastifyInstance, options: CaptureChannelOptions): Promise<void> {
  const { hub } = options;
  app.get(CAPTURE_CHANNEL_PATH, { websocket: true }, (socket: WebSocket, request) => {
    const session = sessionFromCookie(request.headers);
    if (!session) {
      // 1008 policy violation: captures are only ever shown to the session that made them.
      socket.close(CAPTURE_CLOSE.noSession, 'no wirelab_session cookie');
      return;
    }
    const send = (message: CaptureServerMessage): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    send({
      type: 'hello',
      recording: hub.isRecording(session),
      instance: hub.instance,
      limits: { ringBytes: hub.limits.ringBytes, ringChunks: hub.limits.ringChunks },
    });
    const screen = options.screenFor?.(session);
    const unsubscribe = hub.subscribe(session, {
      deliver(captured) {
        const batch = screen ? captured.map((message) => screen.apply(message)) : captured;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(CAPTURE_CLOSE.tooFarBehind, 'capture backlog too large, reconnect');
          return;
        }
        for (const message of toWireMessages(batch)) {
          if (message.type !== 'chunks') send(message);
          else if (socket.readyState === socket.OPEN) socket.send(message.frame, { binary: true });
        }
      },
    });
    // scaled out: closed (4307) when the session's new connections reach another instance (server/scale/session-homes.ts)
    const unregister = app.hasDecorator('sessionChannels') ? app.sessionChannels.register(session, socket) : () => {};
    socket.on('close', () => {
      unsubscribe();
      unregister();
    });
    socket.on('message', (raw) => {
      let message: Partial<Record<keyof CaptureClientMessage | 'on', unknown>>;
      try {
        message = JSON.parse(String(raw));
      } catch {
        socket.close(CAPTURE_CLOSE.notJson, 'capture channel messages are JSON');
        return;
      }
      if (message.type === 'recording' && typeof message.on === 'boolean') hub.setRecording(session, message.on);
      else if (message.type === 'clear') hub.clear(session);
    });
  });
}
