import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { sessionFromCookie } from '../../../session/session-id.ts';
import { registry, SERVED_SERVICES } from '../registry.ts';
import { parseClientMessage, RUNNER_CHANNEL_PATH, RUNNER_CLOSE, RunnerProtocolError, type RunnerServerMessage } from '../../../../contracts/grpc-runner/messages.ts';
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
function serviceList() {
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

/**
 * The runner's WebSocket (README.md, "The runner"): one RunnerSession — one real gRPC client
 * on one h2c connection to our own port — per channel, driven by the browser's JSON messages.
 */
export async function runnerChannel(app: FastifyInstance, options: { limits: RunnerLimits }): Promise<void> {
  const { limits } = options;
  const channelsOf = new Map<string, number>();

  app.get(RUNNER_CHANNEL_PATH, { websocket: true }, (socket: WebSocket, request) => {
    const session = sessionFromCookie(request.headers);
    if (!session) {
      // The runner's calls and captured bytes belong to a browser session: no cookie, no runner.
      socket.close(RUNNER_CLOSE.noSession, 'no wirelab_session cookie');
      return;
    }
    const open = channelsOf.get(session) ?? 0;
    if (open >= limits.maxChannelsPerSession) {
      socket.close(RUNNER_CLOSE.tooManyChannels, `at most ${limits.maxChannelsPerSession} runner channels per session`);
      return;
    }
    const slot = app.clientBudget.takeSlot('grpcRunner', request.ip);
    if (slot.refused) {
      const where = slot.refused.scope === 'address' ? 'per address' : 'on the server';
      socket.close(RUNNER_CLOSE.tooManyChannels, `at most ${slot.refused.max} runner channels ${where}`);
      return;
    }
    channelsOf.set(session, open + 1);

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
    const target = ownOrigin(app.server.address());
    const runner = new RunnerSession({ session, target, registry, limits, send });

    send({
      type: 'hello',
      session,
      target,
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
        if (isBinary) throw new RunnerProtocolError('bad-json', { en: 'Control messages are JSON text frames.', ru: 'Управляющие сообщения — текстовые кадры с JSON.' });
        runner.handle(parseClientMessage(bytes.toString('utf8'), limits.maxTimeoutMs));
      } catch (error) {
        if (error instanceof RunnerProtocolError) {
          send(error.toMessage());
          return;
        }
        request.log.error({ err: error }, 'grpc runner failed');
        send({ type: 'error', reason: 'internal', message: { en: 'The runner failed; see the server log.', ru: 'Раннер дал сбой; подробности — в журнале сервера.' } });
      }
    });

    socket.on('close', () => {
      clearTimeout(idleTimer);
      runner.close();
      slot.release();
      const left = (channelsOf.get(session) ?? 1) - 1;
      if (left > 0) channelsOf.set(session, left);
      else channelsOf.delete(session);
    });
  });
}
