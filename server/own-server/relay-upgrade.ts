// What the WebSocket relays of the consoles aimed at "my server" share (websocket-relay.ts,
// mqtt-relay.ts): the browser's upgrade taken by the one-port server before Fastify, the same
// session rule, switch, guard, budget and byte tap as the checks, and a refusal told as a close
// with the fact (a page cannot read an HTTP answer to its WebSocket handshake, only a close).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeRelayFact, relayCloseCode, RELAY_PATH_PATTERN, type RelayFact } from '../../contracts/own-server/relays.ts';
import { handshakeRefusal, refuseUpgrade } from '../answers/websocket-handshake.ts';
import { closeAndWait } from '../listener/goodbye.ts';
import { captureOwnerOf } from '../session/session-id.ts';
import type { CaptureHub } from '../tap/capture-hub.ts';
import { createAddressGuard, provenClient, type GuardPolicy } from './address-guard.ts';
import { OutboundTap, parseTarget, type ConnectionBudget, type ConnectionContext, type Target } from './connection.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';

export interface RelayRouteOptions {
  /** false: `OWN_SERVERS=off`, every relay closes at once saying so */
  enabled: boolean;
  /** the per-student budget the checks and the HTTP cells spend from too */
  budget: ConnectionBudget;
  captures: CaptureHub | null;
  /** the denied ports, and whether loopback is this machine's user (TRUST_PROXY) */
  policy?: GuardPolicy;
  /** the client of an upgrade as request.ip would name it (behind a trusted proxy: X-Forwarded-For's); absent: the TCP peer */
  clientOf?: (req: IncomingMessage) => string;
}

/** One browser's upgrade to a relay, checked: where to connect, and how to answer the browser. */
export interface RelayUpgrade {
  req: IncomingMessage;
  /** the browser's connection, still before its 101 */
  socket: Duplex;
  target: Target;
  /** the path on the student's server (`?path=`), for the relays that take one */
  path: string;
  /** guard, budget, tap for the asking session, and `stop` */
  context: ConnectionContext;
  /** aborted when the page goes before its 101; the relay aborts it when it ends (every outbound connection is destroyed) */
  stop: AbortController;
  /** Completes the browser's handshake (choosing `protocol`), then hands over its WebSocket. */
  accept(protocol: string | false, then: (browser: WebSocket) => void): void;
  /** Completes the handshake only to close at once with the fact. */
  closeWith(fact: RelayFact): void;
  /**
   * What this open relay does when Wirelab shuts down: its page hears `wirelab-stopping`, the
   * student's server a proper end; resolves once both are closed or cut (GOODBYE_WAIT_MS).
   */
  sayGoodbyeWith(farewell: () => Promise<void>): void;
}

/** What the page hears when Wirelab shuts down (contracts/own-server/relays.ts). */
export const WIRELAB_STOPPING: RelayFact = { fact: 'wirelab-stopping' };
/** The close reason the student's server hears from a relay's WebSocket when Wirelab shuts down (code 1001). */
export const RELAY_GOODBYE_REASON = 'Wirelab shutting down / Wirelab выключается';

/** One relay while it runs: whether the page has its 101 yet, and how it says goodbye once open. */
interface RunningRelay {
  accepted: boolean;
  farewell: (() => Promise<void>) | null;
  closeWith(fact: RelayFact): void;
}

/** How long a relay waits for the other side's close frame after passing one on, before cutting. */
export const RELAY_CLOSE_WAIT_MS = 2_000;

/**
 * Routes upgrades to `path` (`?target=host:port`, and `&path=/…` when `withPath`) to `open`, after
 * the refusals every relay makes: not a WebSocket handshake (405/426 as HTTP), the switch off, no
 * session, a bad query (closes with the fact).
 */
export function routeRelayUpgrade(
  app: FastifyInstance,
  path: string,
  options: RelayRouteOptions & { withPath: boolean; subprotocols?: readonly string[] },
  open: (relay: RelayUpgrade) => void,
): void {
  const chosen = new WeakMap<IncomingMessage, string | false>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: OWN_SERVER_LIMITS.bytesReceivedPerConnection,
    handleProtocols: (_offered, req) => chosen.get(req) ?? false,
  });
  const running = new Map<AbortController, RunningRelay>();

  app.onePort.routeUpgrade(path, (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path)
      return refuseUpgrade(socket, 404, { en: `Nothing at ${url.pathname}.`, ru: `По адресу ${url.pathname} ничего нет.` }, url.pathname);
    const refusal = handshakeRefusal(req);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.text, url.pathname, refusal.headers);
    // Before its 101 the page may go away (tab closed): every connection of this relay goes with
    // it. After, the relay follows the browser's WebSocket (its close, or its drop) itself.
    const stop = new AbortController();
    const pageGone = () => stop.abort();
    socket.once('close', pageGone);
    // what the goodbye at shutdown needs of it (sayGoodbyeToRelays); closeWith is defined just below
    const state: RunningRelay = { accepted: false, farewell: null, closeWith: (fact) => closeWith(fact) };
    const accept = (protocol: string | false, then: (browser: WebSocket) => void) => {
      state.accepted = true;
      socket.off('close', pageGone);
      chosen.set(req, protocol);
      wss.handleUpgrade(req, socket, head, (browser) => {
        browser.on('error', () => undefined);
        then(browser);
      });
    };
    // the first subprotocol offered, though nothing will be spoken: a client that offered one may fail a 101 without it
    const closeWith = (fact: RelayFact) => accept(offeredProtocols(req)[0] ?? false, (browser) => browser.close(relayCloseCode(fact), encodeRelayFact(fact)));
    const session = captureOwnerOf(req.headers);
    if (!options.enabled) return closeWith({ fact: 'own-servers-off' });
    if (!session) return closeWith({ fact: 'session-required' });
    const query = readRelayQuery(url.searchParams, options.withPath);
    if ('fact' in query) return closeWith(query);
    // the captures name the client as request.ip does (behind a trusted reverse proxy,
    // X-Forwarded-For's); the guard takes only the connection's own peer (provenClient)
    const student = options.clientOf?.(req) ?? req.socket.remoteAddress ?? '';
    running.set(stop, state);
    stop.signal.addEventListener('abort', () => running.delete(stop), { once: true });
    const sayGoodbyeWith = (farewell: () => Promise<void>) => {
      state.farewell = farewell;
    };
    const captures = options.captures;
    const context: ConnectionContext = {
      guard: createAddressGuard({ ...options.policy, studentAddress: provenClient(req.socket), enabled: options.enabled }),
      budget: options.budget,
      stop: stop.signal,
      tap: captures ? new OutboundTap((transport) => captures.trackOutbound(session, student, transport)) : undefined,
    };
    open({ req, socket, target: query.target, path: query.path, context, stop, accept, closeWith, sayGoodbyeWith });
  });

  // Wirelab shuts down: in the app's first preClose, with every other WebSocket (listener/goodbye.ts)
  app.openWebSockets.trackFarewell(() => sayGoodbyeToRelays(running, wss));
  // the relays the goodbye missed (none, unless one slipped in) are cut
  app.addHook('preClose', async () => {
    for (const stop of running.keys()) stop.abort();
    for (const browser of wss.clients) browser.terminate();
    wss.close();
  });
}

/**
 * Every running relay hears that Wirelab stops: an open one says goodbye its own way (its page the
 * fact, the student's server a proper end); one still waiting for the student's server completes the
 * page's handshake only to close with the fact, its connection to the student's server dropped.
 */
async function sayGoodbyeToRelays(running: Map<AbortController, RunningRelay>, wss: WebSocketServer): Promise<void> {
  const farewells: Array<Promise<void>> = [];
  for (const [stop, relay] of [...running]) {
    if (relay.farewell) farewells.push(relay.farewell());
    else if (!relay.accepted) {
      relay.closeWith(WIRELAB_STOPPING);
      stop.abort();
    }
  }
  // every page's closing handshake, the ones just refused included
  const reason = encodeRelayFact(WIRELAB_STOPPING);
  await Promise.all([...farewells, ...[...wss.clients].map((browser) => closeAndWait(browser, relayCloseCode(WIRELAB_STOPPING), reason))]);
}

function readRelayQuery(params: URLSearchParams, withPath: boolean): { target: Target; path: string } | RelayFact {
  const text = params.get('target')?.trim() ?? '';
  const target = parseTarget(text);
  if (!target) return { fact: 'bad-request', field: 'target', value: text.slice(0, 60) };
  if (!withPath) return { target, path: '' };
  const path = params.get('path') ?? '';
  if (!RELAY_PATH_PATTERN.test(path)) return { fact: 'bad-request', field: 'path', value: path.slice(0, 60) };
  return { target, path };
}

/** The subprotocols the browser offered (Sec-WebSocket-Protocol, comma-separated). */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
