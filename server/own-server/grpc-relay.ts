// `/_wirelab/own-server/grpc-runner?target=host:port`: a lesson's gRPC cell aimed at "my server".
// The gRPC runner's own channel (contracts/grpc-runner/PROTOCOL.md, "Aimed at my server"), with
// its calls made by Wirelab's server to the student's server over h2c: every call kind (unary,
// server, client and bidi streaming) on one HTTP/2 connection per channel, opened through
// `openGuardedHttp2Stream` — the guard, the per-student budget, the byte cap, the tap for the
// asking session. What went wrong with the connection comes back as a fact, in both languages.
// The channel is the page's: when its WebSocket closes, every call and the connection end.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { FastifyInstance } from 'fastify';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { ConnectError } from '@connectrpc/connect';
import { OWN_SERVER_RUNNER_PATH, RUNNER_CLOSE, type RunnerServerMessage } from '../../contracts/grpc-runner/messages.ts';
import { registry } from '../protocols/grpc/registry.ts';
import { ChannelCount, RUNNER_LIMITS, serveRunner } from '../protocols/grpc/runner/runner-channel.ts';
import { RunnerSession, type RunnerOutbound } from '../protocols/grpc/runner/runner-session.ts';
import { createAddressGuard, OwnServerRefusal, provenClient, type GuardPolicy } from './address-guard.ts';
import { CheckStopped, openGuardedHttp2Stream, parseTarget, type ConnectionBudget, type OutboundTap, type Target } from './connection.ts';
import { connectionFact } from './connection-facts.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { badTarget } from './runner.ts';

export { OWN_SERVER_RUNNER_PATH };

type Failure = Omit<Extract<RunnerServerMessage, { type: 'error' }>, 'type' | 'call'>;

/** Runner channels one browser session may hold to its own servers at once (each holds one connection). */
export const OWN_RUNNER_CHANNELS_PER_SESSION = 2;

/** Every error in a cause chain, the outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 8; current = (current as { cause?: unknown }).cause)
    chain.push(current);
  return chain;
}

/** What a call that ended without a status says: the guard's refusal, the connection's fact, silence, no grpc-status. */
export function grpcFailureOf(error: ConnectError, call: { silent: boolean; answered: boolean }, target: Target): Failure | null {
  if (call.silent) {
    const seconds = OWN_SERVER_LIMITS.checkTimeoutMs / 1000;
    return {
      reason: 'no-answer',
      message: {
        en: `No answer from your server within ${seconds} s after the request was complete; Wirelab cancelled the call (set a deadline to wait longer).`,
        ru: `Ваш сервер не ответил за ${seconds} с после того, как запрос был отправлен целиком; Wirelab отменил вызов (задайте дедлайн, чтобы ждать дольше).`,
      },
    };
  }
  const chain = causes(error);
  const refusal = chain.find((item): item is OwnServerRefusal => item instanceof OwnServerRefusal);
  if (refusal) return { reason: 'refused', message: refusal.localized };
  if (chain.some((item) => item instanceof CheckStopped)) return null;
  for (const item of chain) {
    const fact = connectionFact(item, target, 'request');
    if (fact) return { reason: 'connection', message: fact };
  }
  if (error.rawMessage === 'protocol error: missing status') {
    return {
      reason: 'no-grpc-status',
      message: {
        en: 'Your server ended the call without grpc-status: every gRPC answer ends with it, in the trailers (or in a Trailers-Only HEADERS frame).',
        ru: 'Ваш сервер завершил вызов без grpc-status: любой ответ gRPC заканчивается этим полем — в трейлерах (или в единственном кадре HEADERS ответа Trailers-Only).',
      },
    };
  }
  return null;
}

/**
 * The channel's connection, opened and connected (through the guard) before a call is handed to
 * connect-node's session manager: a connection that fails is the call's fact, told at once. Handed
 * a session whose socket dies as it starts, the manager would wait on it without end instead.
 */
class PreparedConnection {
  private connected: Duplex | null = null;
  private live: Duplex | null = null;
  /** one attempt at a time: calls started together share it */
  private pending: Promise<void> | null = null;

  constructor(private readonly open: () => Duplex) {}

  /** Resolves once a connection is up (the live one, or a new one); rejects with what stopped it. */
  ready(): Promise<void> {
    if (this.live && !this.live.destroyed) return Promise.resolve();
    this.pending ??= new Promise<void>((resolve, reject) => {
      const stream = this.open();
      const failed = (error: Error) => reject(error);
      stream.once('error', failed);
      stream.once('connect', () => {
        stream.off('error', failed);
        this.connected = stream;
        this.live = stream;
        resolve();
      });
    }).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** node:http2's createConnection: the connection `ready` made, or a new attempt. */
  take(): Duplex {
    const stream = this.connected ?? this.open();
    this.connected = null;
    this.live = stream;
    return stream;
  }
}

function refusedChannel(socket: WebSocket, message: Bilingual, code: number): void {
  socket.send(JSON.stringify({ type: 'error', reason: 'refused', message } satisfies RunnerServerMessage));
  socket.close(code, message.en.slice(0, 120));
}

export interface GrpcRelayOptions {
  enabled: boolean;
  policy?: GuardPolicy;
  budget: ConnectionBudget;
  tapFor(sessionId: string, address: string): OutboundTap | undefined;
}

/** Registers the WebSocket route; `routes.ts` calls it inside the own-server plugin. */
export function grpcRelayRoute(app: FastifyInstance, options: GrpcRelayOptions): void {
  const channels = new ChannelCount();
  const limits = { ...RUNNER_LIMITS, maxChannelsPerSession: OWN_RUNNER_CHANNELS_PER_SESSION };

  app.get(OWN_SERVER_RUNNER_PATH, { websocket: true }, (socket: WebSocket, request) => {
    const session = request.sessionId;
    if (!session) return socket.close(RUNNER_CLOSE.noSession, 'no wirelab_session cookie');
    const targetText = String((request.query as { target?: unknown }).target ?? '').trim();
    const target = parseTarget(targetText);
    if (!target) return refusedChannel(socket, badTarget(targetText), RUNNER_CLOSE.noSession);
    if (!channels.take(session, limits.maxChannelsPerSession)) {
      return socket.close(RUNNER_CLOSE.tooManyChannels, `at most ${limits.maxChannelsPerSession} own-server runner channels per session`);
    }
    // The page is gone when its channel closes: every socket opened under this signal is destroyed.
    const stop = new AbortController();
    const guard = createAddressGuard({ ...options.policy, studentAddress: provenClient(request.socket), enabled: options.enabled });
    const context = { guard, budget: options.budget, stop: stop.signal, tap: options.tapFor(session, request.ip) };
    const connection = new PreparedConnection(() => openGuardedHttp2Stream(target, context));
    const outbound: RunnerOutbound = {
      http2: { createConnection: () => connection.take() },
      beforeCall: () => connection.ready(),
      failure: (error, call) => grpcFailureOf(error, call, target),
      answerWaitMs: OWN_SERVER_LIMITS.checkTimeoutMs,
    };
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    const origin = `http://${host}:${target.port}`;
    serveRunner(socket, request, {
      session,
      target: origin,
      limits,
      channels: app.runnerChannels,
      open: (send) => new RunnerSession({ session, target: origin, registry, limits, send, outbound }),
      closed: () => {
        stop.abort();
        channels.release(session);
      },
    });
  });
}
