import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { sessionFromCookie } from '../../../session/session-id.ts';
import { registry, SERVED_SERVICES } from '../registry.ts';
import {
  parseClientMessage,
  RUNNER_CHANNEL_PATH,
  RUNNER_CLOSE,
  RunnerProtocolError,
  type RunnerServerMessage,
} from '../../../../contracts/grpc-runner/messages.ts';
import { RunnerSession, type RunnerLimits } from './runner-session.ts';

export type { RunnerLimits } from './runner-session.ts';

export { RUNNER_CHANNEL_PATH, RUNNER_CLOSE };

/** README.md, "Runner limits". */
export const RUNNER_LIMITS: RunnerLimits = {
  maxCalls: 8,
  maxMessageBytes: 256 * 1024,
  idleTimeoutMs: 10 * 60_000,
  maxTimeoutMs: 5 * 60_000,
  maxChannelsPerSession: 4,
};

/**
 * Where the runner's gRPC client connects: this server's own listening port, over loopback
 * when the server listens on every interface.
 */
export function ownOrigin(address: AddressInfo | string | null): string {
  if (!address || typeof address === 'string') throw new Error('the runner needs the server to listen on a TCP port');
  const host =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '[::1]' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** What the browser's method picker shows: every served method with its kind and types. */
export function serviceList() {
  return SERVED_SERVICES.map((service) => ({
    name: service.typeName,
    methods: service.methods.map((m) => ({
      name: m.name,
      path: `${service.typeName}/${m.name}`,
      kind: m.methodKind,
      input: m.input.typeName,
      output: m.output.typeName,
    })),
  }));
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every open runner channel, this server's and the own-server one (server/app.ts closes them first) */
    runnerChannels: OpenRunnerChannels;
  }
}

/**
 * Every open runner channel, so that a server shutting down closes them before anything else:
 * with 1001, and each one's HTTP/2 connection at once, before the server's GOAWAY reaches that
 * connection and before @fastify/websocket's own preClose closes every WebSocket without a code.
 */
export class OpenRunnerChannels {
  private readonly open = new Map<WebSocket, RunnerSession>();

  add(socket: WebSocket, runner: RunnerSession): void {
    this.open.set(socket, runner);
  }

  delete(socket: WebSocket): void {
    this.open.delete(socket);
  }

  /** Closes every channel (1001, "the server is shutting down"), cancelling its calls and closing its connection. */
  closeAll(): void {
    for (const [socket, runner] of this.open) {
      socket.close(RUNNER_CLOSE.shuttingDown, 'the server is shutting down');
      runner.close();
    }
    this.open.clear();
  }
}

/**
 * One runner channel, whoever its calls go to: the hello, the browser's commands handed to the
 * RunnerSession `open` makes, the idle timer, the size limit; `closed` runs when the socket closes.
 * Used by this server's runner (below) and by the own-server one (server/own-server/grpc-relay.ts).
 */
export function serveRunner(
  socket: WebSocket,
  request: FastifyRequest,
  options: {
    session: string;
    target: string;
    limits: RunnerLimits;
    channels: OpenRunnerChannels;
    open(send: (message: RunnerServerMessage) => void): RunnerSession;
    closed(): void;
  },
): void {
  const { limits } = options;
  let idleTimer: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      // A long streaming call is not idleness: look again later.
      if (runner.openCalls > 0) touch();
      else socket.close(RUNNER_CLOSE.idle, 'idle runner channel');
    }, limits.idleTimeoutMs);
  };
  const send = (message: RunnerServerMessage): void => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(message));
    touch();
  };
  const runner = options.open(send);
  options.channels.add(socket, runner);

  send({
    // never the session id: page scripts cannot read the HttpOnly cookie, and must not learn it here
    type: 'hello',
    target: options.target,
    limits: { maxCalls: limits.maxCalls, maxMessageBytes: limits.maxMessageBytes, idleTimeoutMs: limits.idleTimeoutMs, maxTimeoutMs: limits.maxTimeoutMs },
    services: serviceList(),
  });

  socket.on('message', (raw: RawData, isBinary: boolean) => {
    touch();
    const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (bytes.byteLength > limits.maxMessageBytes) {
      socket.close(RUNNER_CLOSE.messageTooBig, `control messages are at most ${limits.maxMessageBytes} bytes`);
      return;
    }
    try {
      if (isBinary)
        throw new RunnerProtocolError('bad-json', { en: 'Control messages are JSON text frames.', ru: 'Управляющие сообщения — текстовые кадры с JSON.' });
      runner.handle(parseClientMessage(bytes.toString('utf8'), limits.maxTimeoutMs));
    } catch (error) {
      if (error instanceof RunnerProtocolError) {
        send(error.toMessage());
        return;
      }
      request.log.error({ err: error }, 'grpc runner failed');
      send({
        type: 'error',
        reason: 'internal',
        message: { en: 'The runner failed; see the server log.', ru: 'Раннер дал сбой; подробности — в логах сервера.' },
      });
    }
  });

  socket.on('close', () => {
    clearTimeout(idleTimer);
    options.channels.delete(socket);
    runner.close();
    options.closed();
  });
}

/** Counts each browser session's open runner channels. */
export class ChannelCount {
  private readonly open = new Map<string, number>();

  take(session: string, max: number): boolean {
    const count = this.open.get(session) ?? 0;
    if (count >= max) return false;
    this.open.set(session, count + 1);
    return true;
  }

  release(session: string): void {
    const left = (this.open.get(session) ?? 1) - 1;
    if (left > 0) this.open.set(session, left);
    else this.open.delete(session);
  }
}

/**
 * The runner's WebSocket (README.md, "The runner"): one RunnerSession — one real gRPC client
 * on one h2c connection to our own port — per channel, driven by the browser's JSON messages.
 */
export async function runnerChannel(app: FastifyInstance, options: { limits: RunnerLimits }): Promise<void> {
  const { limits } = options;
  const channelsOf = new ChannelCount();

  app.get(RUNNER_CHANNEL_PATH, { websocket: true }, (socket: WebSocket, request) => {
    const session = sessionFromCookie(request.headers);
    if (!session) {
      // The runner's calls and captured bytes belong to a browser session: no cookie, no runner.
      socket.close(RUNNER_CLOSE.noSession, 'no wirelab_session cookie');
      return;
    }
    if (!channelsOf.take(session, limits.maxChannelsPerSession)) {
      socket.close(RUNNER_CLOSE.tooManyChannels, `at most ${limits.maxChannelsPerSession} runner channels per session`);
      return;
    }
    const slot = app.clientBudget.takeSlot('grpcRunner', request.ip);
    if (slot.refused) {
      channelsOf.release(session);
      const where = slot.refused.scope === 'address' ? 'per address' : 'on the server';
      socket.close(RUNNER_CLOSE.tooManyChannels, `at most ${slot.refused.max} runner channels ${where}`);
      return;
    }
    const target = ownOrigin(app.server.address());
    serveRunner(socket, request, {
      session,
      target,
      limits,
      channels: app.runnerChannels,
      open: (send) => new RunnerSession({ session, target, registry, limits, send }),
      closed: () => {
        slot.release();
        channelsOf.release(session);
      },
    });
  });
}
