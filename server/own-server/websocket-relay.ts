// The WebSocket console aimed at "my server": the browser opens a WebSocket to
// `/_wirelab/own-server/ws-relay?target=host:port&path=/ws/echo`; Wirelab opens its own,
// guarded and tapped, to the student's server, and answers the browser's handshake only once the
// student's server said 101 (with the subprotocol it chose). Messages are relayed both ways as
// they are (text as text, binary as binary), a close frame with its code and reason; pings are
// answered on each hop by `ws`. Whatever the student's server does wrong ends the browser's
// WebSocket with the fact (contracts/own-server/relays.ts).
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { encodeRelayFact, OWN_SERVER_WS_RELAY_PATH, relayCloseCode, type RelayFact } from '../../contracts/own-server/relays.ts';
import { closeAndWait } from '../listener/goodbye.ts';
import { GOING_AWAY } from '../../wire/websocket/close-codes.ts';
import { openGuardedSocket } from './connection.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { addressOf, relayFactOf } from './relay-facts.ts';
import {
  offeredProtocols,
  RELAY_CLOSE_WAIT_MS,
  RELAY_GOODBYE_REASON,
  routeRelayUpgrade,
  WIRELAB_STOPPING,
  type RelayRouteOptions,
  type RelayUpgrade,
} from './relay-upgrade.ts';

export function serveWebSocketRelay(app: FastifyInstance, options: RelayRouteOptions): void {
  routeRelayUpgrade(app, OWN_SERVER_WS_RELAY_PATH, { ...options, withPath: true }, relayWebSocket);
}

/** Close codes an endpoint may send (RFC 6455 §7.4): the ones `ws` lets pass on. */
const sendable = (code: number) => (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);

function relayWebSocket(relay: RelayUpgrade): void {
  const { target, context, stop } = relay;
  let guarded: Socket | null = null;
  let socketError: Error | null = null;
  let fact: RelayFact | null = null;
  let answerTimer: NodeJS.Timeout | undefined;
  const received = () => guarded?.bytesRead ?? 0;

  const outbound = new WebSocket(`ws://${addressOf(target)}${relay.path}`, offeredProtocols(relay.req), {
    perMessageDeflate: false,
    followRedirects: false,
    maxPayload: OWN_SERVER_LIMITS.bytesReceivedPerConnection,
    // the one connection, through the guard, the budget and the tap (no agent: README, "Safe by construction")
    createConnection: () => {
      const socket = openGuardedSocket(target, context, { transport: 'http/1.1' });
      guarded = socket;
      socket.on('error', (error) => {
        socketError ??= error;
      });
      socket.once('connect', () => {
        answerTimer = setTimeout(() => {
          fact ??= { fact: 'no-answer', seconds: OWN_SERVER_LIMITS.checkTimeoutMs / 1000 };
          outbound.terminate();
        }, OWN_SERVER_LIMITS.checkTimeoutMs);
      });
      return socket;
    },
  });
  const factOf = (error: unknown) => relayFactOf(socketError ?? error, target, received());
  outbound.on('unexpected-response', (_request, response) => {
    fact ??= { fact: 'not-upgraded', status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' };
    outbound.terminate();
  });
  outbound.on('error', (error) => {
    fact ??= factOf(error);
  });
  // The browser left before the student's server answered: nothing more to do for it.
  stop.signal.addEventListener('abort', () => outbound.terminate(), { once: true });

  let opened = false;
  outbound.once('open', () => {
    clearTimeout(answerTimer);
    opened = true;
    if (stop.signal.aborted) return outbound.terminate();
    relay.accept(outbound.protocol || false, (browser) => pipe(browser, outbound, relay));
  });
  outbound.on('close', (code, reason) => {
    clearTimeout(answerTimer);
    const pageGone = stop.signal.aborted;
    // the relay is over: whatever it still holds goes (a no-op for what closed already)
    stop.abort();
    if (!opened) {
      const failure = fact ?? factOf(null);
      if (failure && !pageGone) relay.closeWith(failure);
      return;
    }
    const browser = browserOf(outbound);
    if (!browser || browser.readyState !== WebSocket.OPEN) return;
    if (socketError) fact ??= factOf(null);
    // 1006: the TCP connection ended without a close frame (RFC 6455 §7.1.5)
    if (!fact && code === 1006) fact = { fact: 'no-close-frame', bytes: received() };
    if (fact) browser.close(relayCloseCode(fact), encodeRelayFact(fact));
    else if (sendable(code)) browser.close(code, reason);
    else browser.close();
  });
}

const browsers = new WeakMap<WebSocket, WebSocket>();
const browserOf = (outbound: WebSocket) => browsers.get(outbound);

function pipe(browser: WebSocket, outbound: WebSocket, { stop, sayGoodbyeWith }: RelayUpgrade): void {
  browsers.set(outbound, browser);
  // Wirelab shuts down: the page hears the fact, the student's server the relay's own 1001 (the
  // client going away), each closing handshake waited for together; neither close is passed on.
  let leaving = false;
  sayGoodbyeWith(async () => {
    leaving = true;
    await Promise.all([
      closeAndWait(browser, relayCloseCode(WIRELAB_STOPPING), encodeRelayFact(WIRELAB_STOPPING)),
      closeAndWait(outbound, GOING_AWAY, RELAY_GOODBYE_REASON),
    ]);
    stop.abort();
  });
  browser.on('message', (data, isBinary) => {
    if (outbound.readyState === WebSocket.OPEN) outbound.send(data, { binary: isBinary });
  });
  outbound.on('message', (data, isBinary) => {
    if (browser.readyState === WebSocket.OPEN) browser.send(data, { binary: isBinary });
  });
  browser.on('close', (code, reason) => {
    if (leaving) return;
    if (outbound.readyState !== WebSocket.OPEN) return stop.abort();
    // the page dropped without a close frame: so does the relay, at once
    if (code === 1006) return stop.abort();
    if (sendable(code)) outbound.close(code, reason);
    else outbound.close();
    // the student's server gets a moment to answer the close; never longer than that
    const cut = setTimeout(() => stop.abort(), RELAY_CLOSE_WAIT_MS);
    outbound.once('close', () => clearTimeout(cut));
  });
}
