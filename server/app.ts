import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import {
  websocketEndpoints,
  websocketErrorHandler,
  createOnePortServer,
  type OnePortOptions,
  type OnePortServer,
  type ServerTimeouts,
  sameOrigin,
  isAllowedOrigin,
  refuseUpgrade,
  type Http2GuardOptions,
  type Http2SessionLimits,
  forwardedClient,
  type TrustProxySetting,
  hostCheck,
  knownHosts,
  refuseUnknownHostUpgrade,
  OpenWebSockets,
  refuseUpgradeWhileShuttingDown,
} from './listener/index.ts';
import { CaptureHub, captureInstanceId, type CaptureLimits, CAPTURE_CHANNEL_PATH, captureChannel } from './tap/index.ts';
import { captureOwnerOf, sessionOfCookies, useSessionSecret, sessionOfSelfConnection, sessionPlugin } from './session/index.ts';
import { limitsPlugin, AddressBudget, withClientLimits, type PartialClientLimits, AddressGate } from './limits/index.ts';
import { domainPlugin, type SandboxRetention } from './domain/index.ts';
import restPlugin, { openApiPlugin } from './protocols/rest/index.ts';
import grpcPlugin, { DEMO_TOKENS, type GrpcPluginOptions, OpenRunnerChannels } from './protocols/grpc/index.ts';
import graphqlPlugin from './protocols/graphql/index.ts';
import socketIoPlugin from './protocols/socket-io/index.ts';
import websocketPlugin from './protocols/websocket/index.ts';
import ssePlugin from './protocols/sse/index.ts';
import longPollingPlugin from './protocols/long-polling/index.ts';
import mqttPlugin, { type MqttPluginOptions } from './protocols/mqtt/index.ts';
import asyncApiPlugin from './asyncapi/index.ts';
import { webAppPlugin, isAppFileRequest, RECORDED_HEADER, sendNotFound, securityHeaders } from './web-app/index.ts';
import classroomPlugin, { CLASS_CHANNEL_PATH, type ClassroomOptions } from './classroom/index.ts';
import { type ScaleOptions, scalePlugin, loadBalancerHooks, eventRelayPlugin } from './scale/index.ts';
import { ErrorsOnlyRequestLogs } from './logging/index.ts';
import {
  ownServerRoutes,
  startersZipRoute,
  ownServersEnabled,
  redisDenial,
  ChecksArrivingBack,
  wirelabWhoamiRoute,
  shareArrivalsThroughRedis,
  ownServerRunsPlugin,
} from './own-server/index.ts';
import { hostname } from 'node:os';
import { sharedCapturesPlugin, blankerOf, type BlankerSettings, type SharedCaptureLimits } from './shared-captures/index.ts';
import { SHARED_CAPTURES_PATH } from '../contracts/shared-capture/shared-capture.ts';
import { sharedSchemaCompilers } from './schema-compilers.ts';

export interface AppOptions {
  /** SQLite file of the demo domain; ':memory:' for tests. */
  dataFile: string;
  /** Folder of the built web app (dist/web); null serves the protocols only. */
  webRoot?: string | null;
  /** false: no byte tap at all (the benchmark's baseline); otherwise its limits. */
  tap?: false | Partial<CaptureLimits>;
  /** Per-session rate limit of the REST API; false turns it off (benchmarks). */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  timeouts?: Partial<ServerTimeouts>;
  /** Idle sandboxes are deleted (README, "Sandboxes and sessions"); see Domain.pruneSandboxes. */
  sandboxRetention?: SandboxRetention & { checkEveryMs: number };
  logger?: FastifyServerOptions['logger'];
  /** Fastify's lines for every request (LOG_REQUESTS); off: only failed requests. Default on. */
  requestLogging?: boolean;
  /** The MQTT broker: its LevelDB folder (absent: kept in memory) and limits. */
  mqtt?: MqttPluginOptions;
  /** Who may frame the app (CSP frame-ancestors source list); default 'none'. */
  frameAncestors?: string;
  /**
   * Origins besides the server's own whose pages may use it (WebSockets included): a reverse
   * proxy's public origin. See server/listener/same-origin.ts.
   */
  allowedOrigins?: readonly string[];
  /** load balancers whose connections open with a PROXY protocol header naming the client (`PROXY_PROTOCOL_FROM`) */
  proxyProtocolFrom?: ReadonlySet<string>;
  /** Signs session ids and seals curl tokens (session-id.ts); absent: a random one per process. */
  sessionSecret?: Buffer;
  /** The classroom: the teacher key (TEACHER_KEY) and per-address limits; its tables live in dataFile. */
  classroom?: Omit<ClassroomOptions, 'file'>;
  /** Budgets per client address and per server (server/limits/); absent: the defaults. */
  clientLimits?: PartialClientLimits;
  /** What one HTTP/2 session may do before it is closed (server/listener/h2-session-guard.ts); tests shorten the stall. */
  http2SessionLimits?: Partial<Http2SessionLimits>;
  /** Several instances behind a load balancer, sharing a Redis (REDIS_URL); absent: one process. */
  scale?: ScaleOptions;
  /** gRPC, gRPC-Web and Connect: `fastPaths: false` leaves every call to connect-fastify (bench/grpc.ts compares). */
  grpc?: GrpcPluginOptions;
  /** "Check my server" (server/own-server): false refuses it all; absent: OWN_SERVERS from the environment. */
  ownServers?: boolean;
  /** Ports no outbound connection of "check my server" reaches, on any address (OWN_SERVERS_DENY_PORTS); REDIS_URL's is always denied. */
  ownServersDenyPorts?: readonly number[];
  /**
   * The reverse proxies whose X-Forwarded-For names the client (TRUST_PROXY, as Fastify's
   * trustProxy): request.ip, the relays' student, and a loopback client no longer counted as
   * this machine's user. Absent: the TCP peer is the client (or the PROXY protocol's).
   */
  trustProxy?: TrustProxySetting | null;
  /** Host names besides this machine's, PUBLIC_URL's and ALLOWED_ORIGINS' that requests may name (ALLOWED_HOSTS; server/listener/host-check.ts). */
  allowedHosts?: readonly string[];
  /** This machine's name, which requests may name too; absent: os.hostname(). */
  machineName?: string;
  /** Captures shared by link (server/shared-captures/): their limits, absent: the defaults (SHARED_CAPTURES_MB sets the total); the clock (tests). */
  sharedCaptures?: { limits?: Partial<SharedCaptureLimits>; now?: () => number };
}

/**
 * A student's sandbox lives a week without use; one never used after its first minute (a script's
 * fresh cookie, a visitor who left) six hours; beyond 5 000 those go first. Checked every 10
 * minutes, so the database stays near 5 000 sandboxes (≈ 65 MB) even while a client creates its
 * 80 a minute.
 */
export const DEFAULT_SANDBOX_RETENTION: SandboxRetention & { checkEveryMs: number } = {
  idleMs: 7 * 24 * 3600_000,
  oneShotIdleMs: 6 * 3600_000,
  max: 5000,
  checkEveryMs: 10 * 60_000,
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The byte tap's captures per session (null when the tap is off). */
    captures: CaptureHub | null;
    onePort: OnePortServer;
  }
}

/** HTTP/2 streams counted in the app's budget per address; one log line per session ended for flooding (server/listener/h2-session-guard.ts). */
function http2GuardOf(budget: AddressBudget, limits: AppOptions['http2SessionLimits'], log: () => FastifyBaseLogger): Http2GuardOptions {
  return {
    budget,
    limits,
    onRefused: (refusal) => log().warn({ http2Session: refusal }, 'HTTP/2 session closed for flooding (GOAWAY ENHANCE_YOUR_CALM)'),
    onCalmEnded: (calm) => log().warn({ http2Calm: calm }, 'HTTP/2 sessions refused at their start while their address calmed down after a flood'),
  };
}

/**
 * How the routes' JSON schemas compile: a 422 names every invalid field at once, not only the first
 * one found; each schema is compiled once for the process, not once per route (schema-compilers.ts).
 */
const SCHEMA_OPTIONS = {
  ajv: { customOptions: { allErrors: true } },
  schemaController: { compilersFactory: sharedSchemaCompilers },
} satisfies Partial<FastifyServerOptions>;

/** Builds the whole app on one port; never listens (main.ts and the tests do). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const captures = options.tap === false ? null : new CaptureHub(options.tap ?? {}, captureInstanceId(options.scale?.instanceId));
  if (options.sessionSecret) useSessionSecret(options.sessionSecret);
  const allowedOrigins = options.allowedOrigins ?? [];
  const arrivingBack = new ChecksArrivingBack();
  let onePort: OnePortServer | undefined;
  const openWebSockets = new OpenWebSockets();
  // Refuses and paces per client address at the socket, before anything is parsed; budgets per address, HTTP/2 streams too (server/limits/).
  const gate = new AddressGate(withClientLimits(options.clientLimits).pacing);
  const clientBudget = new AddressBudget(withClientLimits(options.clientLimits));

  const trust = options.trustProxy?.trust ?? null;
  // Requests and upgrades naming another host (DNS rebinding) are refused first (server/listener/host-check.ts).
  const hosts = knownHosts({
    machineName: options.machineName ?? hostname(),
    publicUrl: options.classroom?.publicUrl,
    allowedOrigins,
    allowedHosts: options.allowedHosts,
  });
  const app = Fastify({
    logger: options.logger ?? false,
    ...(trust ? { trustProxy: trust } : {}),
    logController: options.requestLogging === false ? new ErrorsOnlyRequestLogs() : undefined,
    // Past this a client gets 413; the REST API documents its own lower limit.
    bodyLimit: 1024 * 1024,
    forceCloseConnections: 'idle',
    ...SCHEMA_OPTIONS,
    serverFactory: (handler) => {
      onePort = createOnePortServer({
        handler,
        captures: captures ?? undefined,
        timeouts: options.timeouts,
        proxyProtocolFrom: options.proxyProtocolFrom,
        gate,
        http2Guard: http2GuardOf(clientBudget, options.http2SessionLimits, () => app.log),
        admitUpgrade: upgradeAdmission(hosts, allowedOrigins, openWebSockets),
        ...noticingChecks(arrivingBack, captures ? claimForCaptures(captures, Boolean(options.webRoot)) : undefined),
      });
      return onePort.http1;
    },
  });
  app.decorate('captures', captures);
  gate.reportTo((reports) => app.log.warn({ paced: reports }, 'client addresses paced or refused at accept in the last 10 s'));
  app.decorate('onePort', onePort!);

  // Parses request.cookies and writes reply.setCookie; before every plugin that reads or sets the
  // session cookie, and before loadBalancerHooks' onSend, which looks for the Set-Cookie it writes.
  await app.register(cookie);
  await app.register(securityHeaders, { frameAncestors: options.frameAncestors });
  await app.register(hostCheck, { hosts });
  await app.register(sameOrigin, { allowedOrigins });
  // On shutdown, first: no WebSocket upgrade is taken any more (503, its connection ended); the
  // gRPC runners' channels close (1001, their h2c connections with them) before the GOAWAY below
  // reaches their connections (runner-channel.ts, OpenRunnerChannels); then every other WebSocket
  // of the app (listener/goodbye.ts) hears 1001 "going away", so a page can tell a restart from a
  // broken connection: before @fastify/websocket's own preClose, registered next, closes the
  // shared server's without a code (1005), and before the protocols' own preClose hooks (MQTT's
  // broker would cut its WebSockets, 1006).
  app.decorate('runnerChannels', new OpenRunnerChannels());
  app.decorate('openWebSockets', openWebSockets);
  app.addHook('preClose', async () => {
    openWebSockets.refusingNew = true;
    app.runnerChannels.closeAll();
    await openWebSockets.sayGoodbye();
  });
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 }, errorHandler: websocketErrorHandler(app.log) });
  openWebSockets.track(app.websocketServer.clients);
  await app.register(websocketEndpoints, { notFound: sendNotFound });
  await app.register(limitsPlugin, { budget: clientBudget });
  await app.register(scalePlugin, { scale: options.scale });
  await app.register(loadBalancerHooks);
  await app.register(domainPlugin, { file: options.dataFile });
  await app.register(eventRelayPlugin);
  await app.register(sessionPlugin, { isRecording: (session) => captures?.isRecording(session) ?? false });

  // Before every route plugin: the OpenAPI document sees the routes of all of them.
  await app.register(openApiPlugin);
  await registerProtocols(app, options, captures);
  // each session's runs of "check my server": lesson 15's exercises are judged on them (classroom's verdicts too)
  await app.register(ownServerRunsPlugin, { file: options.dataFile });
  await app.register(classroomPlugin, { ...options.classroom, file: options.dataFile });
  // captures shared by link, kept in the same file; blanked as the page's own are
  await app.register(sharedCapturesPlugin, { ...options.sharedCaptures, file: options.dataFile, blankingFor: pageBlanking(app) });
  await registerOwnServerRoutes(app, options, trust, arrivingBack);
  if (options.webRoot) await app.register(webAppPlugin, { root: options.webRoot });
  else app.setNotFoundHandler(sendNotFound);

  pruneIdleSandboxes(app, options.sandboxRetention ?? DEFAULT_SANDBOX_RETENTION);

  app.addHook('onReady', async () => app.onePort.installUpgradeRouting());
  // Open HTTP/2 sessions would keep close() waiting forever: ask them to finish and go away.
  app.addHook('preClose', async () => {
    app.onePort.closeHttp2Sessions();
    app.onePort.closeUnsniffedConnections();
    gate.close();
  });
  return app;
}

/**
 * Every WebSocket endpoint (ours, Socket.IO's, GraphQL's, MQTT's, the capture channel) is behind
 * this one check: a foreign page's handshake carries the student's cookie; and none is taken once
 * the server shuts down.
 */
function upgradeAdmission(
  hosts: ReturnType<typeof knownHosts>,
  allowedOrigins: readonly string[],
  openWebSockets: OpenWebSockets,
): OnePortOptions['admitUpgrade'] {
  return {
    admits: (req) => !openWebSockets.refusingNew && hosts.admits(req.headers) && isAllowedOrigin(req, allowedOrigins),
    refuse: (req, socket) => {
      if (openWebSockets.refusingNew) return refuseUpgradeWhileShuttingDown(socket, req.url ?? '/');
      if (hosts.admits(req.headers)) return refuseUpgrade(socket, String(req.headers.origin));
      return refuseUnknownHostUpgrade(req.headers, socket, req.url ?? '/');
    },
  };
}

/**
 * Every read of an accepted connection, and every request, upgrade and h2c stream this listener
 * receives, is shown to "check my server"'s runs first: one carrying a run's mark is that run's
 * own traffic, forwarded back to Wirelab (own-server/wirelab-itself.ts, issue 51).
 */
function noticingChecks(arrivingBack: ChecksArrivingBack, next: OnePortOptions['onRequestArrived']): Pick<OnePortOptions, 'inboundWatch' | 'onRequestArrived'> {
  return {
    inboundWatch: (connection, chunk) => arrivingBack.noticedBytes(connection, chunk),
    onRequestArrived: (req, res) => {
      arrivingBack.noticed(req.headers);
      next?.(req, res);
    },
  };
}

/**
 * Names the owner of each request's connection for the byte tap, before any routing: the session
 * of its cookie (or of Wirelab's own connection); some requests are kept out of the captures.
 */
function claimForCaptures(captures: CaptureHub, servesWebApp: boolean): NonNullable<OnePortOptions['onRequestArrived']> {
  return (req, res) => {
    // The capture channel's own bytes would otherwise feed back into itself.
    if (req.url?.startsWith(CAPTURE_CHANNEL_PATH)) return captures.exclude(req.socket, req);
    // The class channel carries the teacher's traffic to followers: recorded, it would be relayed again.
    if (req.url?.startsWith(CLASS_CHANNEL_PATH)) return captures.exclude(req.socket, req);
    // A shared capture's upload is a copy of the captures themselves: recorded, it would crowd them out of the ring.
    if (req.method === 'POST' && req.url?.startsWith(SHARED_CAPTURES_PATH)) return captures.exclude(req.socket, req);
    captures.claim(req.socket, captureOwnerOf(req.headers) ?? sessionOfSelfConnection(req.socket), req, res);
    // The app's own files: their bodies would crowd the student's captures out of the ring.
    if (res && servesWebApp && isAppFileRequest(req.method, req.url) && captures.recordHeadOnly(req.socket, res)) {
      res.setHeader(RECORDED_HEADER, 'head-only');
    }
  };
}

/** The capture channel and every protocol's plugin, after the OpenAPI plugin, which sees their routes. */
async function registerProtocols(app: FastifyInstance, options: AppOptions, captures: CaptureHub | null): Promise<void> {
  if (captures) {
    const blankingFor = pageBlanking(app);
    await app.register(captureChannel, { hub: captures, screenFor: (session) => blankerOf(blankingFor(session)) });
  }
  await app.register(restPlugin, { prefix: '/api', rateLimit: options.rateLimit ?? { max: 200, timeWindowMs: 10_000 } });
  await app.register(grpcPlugin, options.grpc ?? {});
  await app.register(graphqlPlugin);
  await app.register(socketIoPlugin);
  await app.register(websocketPlugin);
  await app.register(ssePlugin);
  await app.register(longPollingPlugin);
  await app.register(mqttPlugin, options.mqtt ?? {});
  await app.register(asyncApiPlugin);
}

/**
 * Every page sees its own captures with its secrets blanked (cookie, session id, tokens, the
 * teacher key): a projected inspector shows nothing to steal; the gRPC lesson's demo tokens stay
 * readable. A shared capture is blanked the same way (server/shared-captures/).
 */
function pageBlanking(app: FastifyInstance): (session: string) => BlankerSettings {
  const shownHeaderValues = Object.keys(DEMO_TOKENS).map((token) => `Bearer ${token}`);
  return (session) => ({ session, secrets: app.hasDecorator('classroom') ? [app.classroom.teacherKey] : [], shownHeaderValues });
}

/** "Check my server": its routes, with the address policy and where its runs are reported. */
async function registerOwnServerRoutes(
  app: FastifyInstance,
  options: AppOptions,
  trust: TrustProxySetting['trust'] | null,
  arrivingBack: ChecksArrivingBack,
): Promise<void> {
  // with Redis, a run forwarded to another instance is seen there and told here
  if (app.scale) await shareArrivalsThroughRedis(arrivingBack, app.scale, app.log);
  // the starters are files of this checkout: downloadable even where OWN_SERVERS=off
  await app.register(startersZipRoute);
  // a class member's run reaches the teacher's board (server/classroom/board/server-checks.ts): only a
  // run the member's own page asked for (its cookie), never one a curl token named (issue 35)
  await app.register(ownServerRoutes, {
    enabled: options.ownServers ?? ownServersEnabled(),
    arrivingBack,
    policy: {
      denied: { ports: new Set(options.ownServersDenyPorts ?? []), redis: redisDenial(options.scale?.redisUrl) },
      loopbackIsLocalUser: trust === null,
      isProxy: trust ? (address) => trust(address, 0) : undefined,
    },
    clientOf: (req) => forwardedClient(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], trust),
    suiteEnded: (report, request) => app.classroom.serverChecked(sessionOfCookies(request.cookies), report),
    // lesson 15's verdict is judged on the same runs: the page's own (its cookie), never a curl token's
    runEnded: (report, request) => {
      const session = sessionOfCookies(request.cookies);
      return session ? app.ownServerRuns.record(session, report) : null;
    },
  });
  // "check my server" asks a target whether it is this Wirelab behind a forwarder (own-server/wirelab-itself.ts)
  await app.register(wirelabWhoamiRoute);
}

/** Idle sandboxes are deleted every `checkEveryMs` (README, "Sandboxes and sessions"). */
function pruneIdleSandboxes(app: FastifyInstance, retention: SandboxRetention & { checkEveryMs: number }): void {
  const pruning = setInterval(() => {
    const deleted = app.domain.pruneSandboxes(retention);
    if (deleted.length > 0) app.log.info({ deleted: deleted.length }, 'idle sandboxes deleted');
  }, retention.checkEveryMs);
  pruning.unref();
  app.addHook('onClose', async () => clearInterval(pruning));
}
