import http from 'node:http';
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { findTapSocket, TapSocket, tapSocketOf, type ConnectionPace } from '../tap/tap-socket.ts';
import { Http1RequestFramer } from '../../wire/http1/http1-request-framer.ts';
import type { AddressGate } from '../limits/address-gate.ts';
import type { CaptureHub } from '../tap/capture-hub.ts';
import { clientAddress } from '../limits/address-budget.ts';
import { HTTP2_SERVER_OPTIONS, Http2SessionGuard, type Http2GuardOptions } from './h2-session-guard.ts';
import { headWithoutUpgrade, isWebSocketUpgrade } from './ignored-upgrade.ts';
import { sniffMqttConnect } from './mqtt-connect-sniff.ts';
import { plainAddress, readProxyHeader, type ProxiedClient } from './proxy-header.ts';

/** The client connection preface every HTTP/2 connection starts with (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Fastify's request handler: it takes HTTP/1.1 and HTTP/2 compatibility requests alike. */
// biome-ignore lint/suspicious/noExplicitAny: Fastify types its handler for HTTP/1.1 requests only, while it serves HTTP/2 compatibility requests too; this is where the two meet
export type RequestHandler = (req: any, res: any) => void;
export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
/** Takes a connection that opened with an MQTT CONNECT (its bytes replayed, through the tap). */
export type MqttConnectionHandler = (socket: TapSocket) => void;

export interface ServerTimeouts {
  /** a client must finish sending request headers within this time (slowloris). @default 10_000 */
  headersMs: number;
  /** a whole HTTP/1.1 request must arrive within this time. @default 30_000 */
  requestMs: number;
  /** an idle keep-alive HTTP/1.1 connection is closed after this. @default 5_000 */
  keepAliveMs: number;
  /** an idle HTTP/2 session is closed after this. @default 120_000 */
  h2IdleMs: number;
  /** a connection must send its first bytes within this time. @default 10_000 */
  firstBytesMs: number;
}

export const defaultTimeouts: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  h2IdleMs: 120_000,
  firstBytesMs: 10_000,
};

export interface OnePortServer {
  /** The HTTP/1.1 server that listens; Fastify sees it as its server. */
  http1: http.Server;
  /** The cleartext HTTP/2 server; never listens, connections are handed to it. */
  http2: http2.Http2Server;
  /** Routes WebSocket upgrades whose path starts with `prefix` before Fastify sees them. */
  routeUpgrade(prefix: string, handler: UpgradeHandler): void;
  /** Connections that start with an MQTT CONNECT go here (without a handler they are HTTP/1.1's). */
  routeMqtt(handler: MqttConnectionHandler): void;
  /** Puts the upgrade routes in front of the upgrade listeners registered so far. */
  installUpgradeRouting(): void;
  /** Asks every HTTP/2 session to finish its streams and go away (GOAWAY). */
  closeHttp2Sessions(): void;
  /** HTTP/2 sessions open now. */
  http2SessionCount(): number;
  /** Closes connections that have not sent a byte yet: no request can be lost on them. */
  closeUnsniffedConnections(): void;
  /** Connections refused at accept and paced per client address (absent: none are). */
  gate: AddressGate | null;
}

export interface OnePortOptions {
  handler: RequestHandler;
  /** Records every connection's bytes; absent = no tap at all (benchmark baseline). */
  captures?: CaptureHub;
  /** Names the owner of each request's connection, before any routing. */
  /** Sees every read of every accepted connection, before the parser (own-server's runs arriving back). */
  inboundWatch?: (connection: TapSocket, chunk: Buffer) => void;
  onRequestArrived?(req: http.IncomingMessage | http2.Http2ServerRequest, res?: http.ServerResponse | http2.Http2ServerResponse): void;
  timeouts?: Partial<ServerTimeouts>;
  maxHeaderBytes?: number;
  /**
   * Load balancers whose connections may open with a PROXY protocol header naming the client
   * (`PROXY_PROTOCOL_FROM`); from any other address such a header is the client's own bytes.
   */
  proxyProtocolFrom?: ReadonlySet<string>;
  /** May this WebSocket upgrade go ahead? A refused one gets `refuse`'s answer, before any handshake. */
  admitUpgrade?: { admits(req: http.IncomingMessage): boolean; refuse(req: http.IncomingMessage, socket: Duplex): void };
  /**
   * Refuses connections at accept and paces requests and bytes per client address, before any
   * parsing (server/limits/address-gate.ts); absent: nothing is paced.
   */
  gate?: AddressGate;
  /**
   * HTTP/2 floods (h2-session-guard.ts): the budget that counts streams per client address, what a
   * session may do, and whom to tell once per session ended; absent: no budget, nobody told.
   */
  http2Guard?: Http2GuardOptions;
}

/**
 * One TCP port for HTTP/1.1 and HTTP/2 with prior knowledge (h2c): each connection's first
 * bytes are sniffed for the HTTP/2 preface, then the connection goes, through the byte tap,
 * to the right parser.
 */
export function createOnePortServer(options: OnePortOptions): OnePortServer {
  const timeouts = { ...defaultTimeouts, ...options.timeouts };
  const gate = options.gate ?? null;
  /** Every request and upgrade spends from its address's pace; past it, its connection waits. */
  const spendRequest = (req: http.IncomingMessage | http2.Http2ServerRequest): void => {
    const tapped = findTapSocket(req.socket);
    if (gate && tapped) gate.spendRequest(tapped.remoteAddress, tapped);
  };
  /** What must see a request as it is read: its address's pace, and the byte tap's owner of its connection. */
  const arrived: RequestHandler = (req, res) => {
    spendRequest(req);
    options.onRequestArrived?.(req, res);
  };
  const handle: RequestHandler = (req, res) => {
    arrived(req, res);
    options.handler(req, res);
  };

  const http1 = createHttp1Server(timeouts, options.maxHeaderBytes, handle);
  const guard = new Http2SessionGuard(options.http2Guard ?? { budget: null, onRefused: () => {} });
  const http2Server = createHttp2Server(timeouts, guard.deferUntilRead(arrived, options.handler));

  const sessions = new Set<http2.ServerHttp2Session>();
  let connecting: TapSocket | null = null;
  http2Server.on('session', (session) => {
    sessions.add(session);
    guard.watch(session, clientAddress(connecting?.remoteAddress ?? session.socket?.remoteAddress));
    if (connecting) {
      exposeTapSocket(session, connecting);
      finishStreamsBeforeEndOfInput(session, connecting);
    }
    session.once('close', () => sessions.delete(session));
  });

  // Node's HTTP/1.1 connection handler, called for sockets that are not HTTP/2.
  const [http1ConnectionListener] = http1.listeners('connection') as Array<(socket: Duplex) => void>;
  http1.removeAllListeners('connection');
  http1.on('connection', (socket: Socket) => {
    if (!gate || admitAtAccept(gate, socket, options.proxyProtocolFrom)) sniff(socket, sniffContext);
  });

  // Connections whose protocol is not known yet. Neither Node's HTTP/1.1 server nor the HTTP/2
  // server has seen them, so neither closes them on shutdown; a client that opened a spare
  // connection (fetch does, after an aborted stream) would hold close() for firstBytesMs.
  const sniffing = new Set<Socket>();

  const sniffContext: SniffContext = {
    firstBytesMs: timeouts.firstBytesMs,
    proxyProtocolFrom: options.proxyProtocolFrom,
    sniffing,
    mqttRouted: () => mqttHandler !== null,
    hand,
  };

  function hand(socket: Socket, firstBytes: Buffer, transport: SniffedTransport, client: ProxiedClient | null): void {
    // an address calming down after a flood: refused before a session, a stream or the tap exist
    if (transport === 'h2c' && guard.refusedAtStart(socket, clientAddress(client?.address ?? socket.remoteAddress))) return;
    const tapped = new TapSocket(socket, client);
    if (options.inboundWatch) tapped.inboundWatch = options.inboundWatch;
    // Paced HTTP/1.1 is given to the parser a request at a time: pipelined requests wait like separate reads.
    if (gate && transport === 'http/1.1') tapped.requestFramer = new Http1RequestFramer(false);
    const paced = gate ? paceConnection(gate, socket, tapped, firstBytes.length, options.proxyProtocolFrom) : 'given';
    if (paced === 'closed') return;
    options.captures?.track(tapped, transport);
    tapped.replay(firstBytes, paced === 'waits');
    if (transport === 'mqtt') mqttHandler!(tapped);
    else if (transport === 'h2c') {
      // 'session' is emitted synchronously inside this call.
      connecting = tapped;
      http2Server.emit('connection', tapped);
      connecting = null;
    } else http1ConnectionListener.call(http1, tapped);
  }

  const upgradeRoutes: Array<{ prefix: string; handler: UpgradeHandler }> = [];
  let mqttHandler: MqttConnectionHandler | null = null;

  return {
    http1,
    http2: http2Server,
    routeUpgrade(prefix, handler) {
      upgradeRoutes.push({ prefix, handler });
    },
    routeMqtt(handler) {
      mqttHandler = handler;
    },
    installUpgradeRouting() {
      routeUpgrades(http1, http1ConnectionListener, upgradeRoutes, spendRequest, options);
    },
    closeHttp2Sessions() {
      for (const session of sessions) session.close();
    },
    http2SessionCount: () => sessions.size,
    closeUnsniffedConnections() {
      for (const socket of sniffing) socket.destroy();
      sniffing.clear();
    },
    gate,
  };
}

/** Node's HTTP/2 server with the guard's limits and Wirelab's idle timeout; its connections come from the sniffing too. */
function createHttp2Server(timeouts: ServerTimeouts, handle: RequestHandler): http2.Http2Server {
  const server = http2.createServer(HTTP2_SERVER_OPTIONS);
  server.on('request', handle);
  server.setTimeout(timeouts.h2IdleMs);
  return server;
}

/** Node's HTTP/1.1 server with Wirelab's timeouts; its connections come from the sniffing, not from a listen of its own. */
function createHttp1Server(timeouts: ServerTimeouts, maxHeaderBytes: number | undefined, handle: RequestHandler): http.Server {
  return http.createServer(
    {
      maxHeaderSize: maxHeaderBytes ?? 16 * 1024,
      requestTimeout: timeouts.requestMs,
      headersTimeout: timeouts.headersMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // How often Node looks for requests past their timeouts (its default, 30 s, would let a
      // slow client hold a connection three times longer than headersMs says).
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    },
    handle as http.RequestListener,
  );
}

/**
 * Takes over the HTTP/1.1 server's upgrades: one that is not to WebSocket is served as a plain
 * request (ignored-upgrade.ts); a WebSocket one is paced and admitted (or refused) first, then
 * goes to the route of its path prefix, else to the listeners that were there before (none: closed).
 */
function routeUpgrades(
  http1: http.Server,
  http1ConnectionListener: (socket: Duplex) => void,
  routes: ReadonlyArray<{ prefix: string; handler: UpgradeHandler }>,
  spendRequest: (req: http.IncomingMessage) => void,
  options: OnePortOptions,
): void {
  const fallbacks = http1.listeners('upgrade') as UpgradeHandler[];
  http1.removeAllListeners('upgrade');
  http1.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isWebSocketUpgrade(req)) {
      // Parsed again, as the connection's next request: it is paced, checked and logged as every request is.
      socket.unshift(Buffer.concat([headWithoutUpgrade(req), head]));
      return http1ConnectionListener.call(http1, socket);
    }
    spendRequest(req);
    options.onRequestArrived?.(req);
    if (options.admitUpgrade && !options.admitUpgrade.admits(req)) return options.admitUpgrade.refuse(req, socket);
    options.captures?.upgraded(socket);
    findTapSocket(socket)?.upgraded();
    const route = routes.find((r) => req.url?.startsWith(r.prefix));
    if (route) return route.handler(req, socket, head);
    if (fallbacks.length === 0) return socket.destroy();
    for (const fallback of fallbacks) fallback.call(http1, req, socket, head);
  });
}

type SniffedTransport = 'http/1.1' | 'h2c' | 'mqtt';

/** What sniffing a new connection needs of its server. */
interface SniffContext {
  firstBytesMs: number;
  proxyProtocolFrom: ReadonlySet<string> | undefined;
  /** connections whose protocol is not known yet (the server closes them on shutdown) */
  sniffing: Set<Socket>;
  /** an MQTT handler is routed: without one no connection is taken for MQTT */
  mqttRouted(): boolean;
  /** gives the connection, its first bytes and its client to the parser of its protocol */
  hand(socket: Socket, firstBytes: Buffer, transport: SniffedTransport, client: ProxiedClient | null): void;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * Reads a new connection's first bytes until its protocol is known: a trusted balancer's PROXY
 * header first (taken off), then the HTTP/2 preface, an MQTT CONNECT, or else HTTP/1.1.
 */
function sniff(socket: Socket, context: SniffContext): void {
  const { sniffing } = context;
  let seen: Buffer = NO_BYTES;
  // may the first bytes still be a trusted balancer's PROXY header?
  let proxyHeaderPossible = Boolean(context.proxyProtocolFrom?.has(plainAddress(socket.remoteAddress ?? '')));
  let client: ProxiedClient | null = null;
  sniffing.add(socket);
  // The listeners of the sniffing go once the protocol is known: they and their closures would
  // otherwise live as long as the connection, and an idle server holds thousands (bench/websocket-idle.ts).
  const destroy = (): void => void socket.destroy();
  // A timer of its own, not socket.setTimeout: Node keeps a socket's last timer (cleared, with a
  // function bound to the socket) as long as the socket. Restarted by every read, as a socket's is.
  const silence = setTimeout(destroy, context.firstBytesMs).unref();
  const forget = (): void => {
    sniffing.delete(socket);
    clearTimeout(silence);
  };
  // Ended before its protocol was known: there is no request to answer (the server is half-open
  // by default, so without this the connection would wait for firstBytesMs).
  const endedEarly = (): void => void (sniffing.has(socket) && socket.destroy());
  socket.once('close', forget);
  const onData = (chunk: Buffer): void => {
    silence.refresh();
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    if (proxyHeaderPossible) {
      const header = readProxyHeader(seen);
      if (header.kind === 'need-more') return;
      if (header.kind === 'invalid') return void socket.destroy();
      proxyHeaderPossible = false;
      if (header.kind === 'header') {
        client = header.client;
        // the header is the balancer's, not the student's: it never reaches the tap
        seen = seen.subarray(header.length);
        if (seen.length === 0) return;
      }
    }
    const compared = Math.min(seen.length, H2_PREFACE.length);
    const looksLikeH2 = seen.subarray(0, compared).equals(H2_PREFACE.subarray(0, compared));
    if (looksLikeH2 && seen.length < H2_PREFACE.length) return;
    const mqtt = !looksLikeH2 && context.mqttRouted() ? sniffMqttConnect(seen) : 'not-mqtt';
    if (mqtt === 'need-more') return;
    socket.off('data', onData);
    forget();
    socket.pause();
    socket.off('close', forget);
    socket.off('end', endedEarly);
    // (the TapSocket made for it next listens for errors from then on)
    socket.off('error', destroy);
    const firstBytes = seen;
    // The 'end' listener below shares this closure for the connection's life: it must not keep the first bytes.
    seen = NO_BYTES;
    context.hand(socket, firstBytes, looksLikeH2 ? 'h2c' : mqtt === 'mqtt' ? 'mqtt' : 'http/1.1', client);
  };
  socket.on('data', onData);
  socket.on('error', destroy);
  socket.once('end', endedEarly);
}

/**
 * Counts a new TCP connection against its address's maximum. False: the address holds it
 * already, and the connection is closed before a byte is read (nothing to parse or answer).
 * From a trusted balancer the client is known only once its PROXY header is read (paceConnection).
 */
function admitAtAccept(gate: AddressGate, socket: Socket, proxies: ReadonlySet<string> | undefined): boolean {
  if (proxies?.has(plainAddress(socket.remoteAddress ?? ''))) return true;
  const release = gate.admitConnection(socket.remoteAddress);
  if (!release) {
    socket.destroy();
    return false;
  }
  // (on, not once: 'close' comes once, `release` counts once, and a once-wrapper per connection costs memory)
  socket.on('close', release);
  return true;
}

/**
 * Puts a connection under its address's pace: the bytes it reads spend from it from now on.
 * A connection from a trusted balancer is admitted here, under the client its header named.
 * 'closed': the client's address holds its maximum of connections, and this one is closed;
 * 'waits': its first read is past its address's share of this turn of the event loop, and waits.
 */
function paceConnection(
  gate: AddressGate,
  socket: Socket,
  tapped: TapSocket,
  bytesSoFar: number,
  proxies: ReadonlySet<string> | undefined,
): 'closed' | 'given' | 'waits' {
  const address = tapped.remoteAddress;
  if (proxies?.has(plainAddress(socket.remoteAddress ?? ''))) {
    const release = gate.admitConnection(address);
    if (!release) {
      socket.destroy();
      return 'closed';
    }
    socket.once('close', release);
  }
  // A paused connection is still watched (TapSocket.pauseInput): a client that closes it waits no more.
  tapped.pace = paceOf(gate);
  return gate.spendBytes(address, tapped, bytesSoFar) ? 'waits' : 'given';
}

/** What connections tell the gate, one object per gate (not closures per connection: an idle server holds thousands). */
const paces = new WeakMap<AddressGate, ConnectionPace>();

function paceOf(gate: AddressGate): ConnectionPace {
  let pace = paces.get(gate);
  if (!pace) {
    // (the address the connection was admitted under: the client a trusted balancer named, else its peer's)
    pace = {
      inboundBytes: (connection, bytes) => gate.spendBytes(connection.remoteAddress, connection, bytes),
      gone: (connection) => gate.forget(connection.remoteAddress, connection),
    };
    paces.set(gate, pace);
  }
  return pace;
}

/**
 * A client may close its side as soon as it has the body it expected (curl stops at
 * content-length, before END_STREAM). An HTTP/2 session that sees the end of input tears itself
 * down at once, dropping the frames it was about to write: over a JS stream the final DATA with
 * END_STREAM and the GOAWAY come a few event-loop turns after the body, so the exchange would end
 * on the wire (and in the capture) without END_STREAM. The session learns of the end of input
 * only once its open streams have finished (or been reset); the idle timeout still bounds it.
 */
function finishStreamsBeforeEndOfInput(session: http2.ServerHttp2Session, tapped: TapSocket): void {
  let openStreams = 0;
  let release: (() => void) | null = null;
  session.on('stream', (stream) => {
    openStreams += 1;
    stream.once('close', () => {
      openStreams -= 1;
      if (openStreams === 0 && release) {
        const endInput = release;
        release = null;
        endInput();
      }
    });
  });
  session.once('close', () => {
    const endInput = release;
    release = null;
    endInput?.();
  });
  tapped.holdEndOfInput = (endInput) => {
    if (openStreams === 0 || session.destroyed) endInput();
    else release = endInput;
  };
}

/**
 * HTTP/2 wraps a JS stream in an internal socket that knows no addresses, so `request.ip`
 * would be empty and the tap could not find the connection. The session's socket view passes
 * property writes through to that internal socket: give it the peer's addresses (Node's
 * net.Socket reads `_peername`/`_sockname` when its handle cannot answer) and a link to the tap.
 */
function exposeTapSocket(session: http2.ServerHttp2Session, tapped: TapSocket): void {
  const inner = session.socket as unknown as Record<string | symbol, unknown>;
  inner._peername = { address: tapped.remoteAddress, family: tapped.remoteFamily, port: tapped.remotePort };
  inner._sockname = { address: tapped.localAddress, family: tapped.remoteFamily, port: tapped.localPort };
  inner[tapSocketOf] = tapped;
}
