import { useState } from 'react';
import { captureTimeNow, sessionReady } from '../../kit/session.ts';
import type { InspectedExchange } from '../../inspector/capture-store.ts';
import { controlFrames, dataFrames } from '../console-kit/capture-links.ts';
import { bilingual, type useConsoleLog } from '../console-kit/console-log.tsx';
import { connectionOf, requestsInTurn } from '../console-kit/inspector-links.ts';
import { messageOf } from '../console-kit/text.ts';
import { useLiveConnection } from '../console-kit/use-live-connection.ts';
import type { OwnTarget } from '../target-switch/own-target.ts';
import { pathOf, webSocketRelayUrl } from '../target-switch/relay-urls.ts';
import { parseCloseRequest, type CloseError } from './close-request.ts';
import type { HexError } from '../console-kit/hex.ts';
import { websocketConsoleStrings } from './strings.ts';
import { frameLink, watchSocket, type Connection, type WebSocketState } from './websocket-events.ts';
import { closingEntry, sentEntry, type Outgoing } from './websocket-log-entries.ts';
import { webSocketUrl } from './ws-cell-config.ts';

const say = bilingual(websocketConsoleStrings);

/**
 * The console's WebSocket: opens it, logs what crosses it (each row linked to its frame), sends
 * and closes. The socket is the browser's own; nothing is simulated.
 */
export function useWebSocket(log: ReturnType<typeof useConsoleLog>, onExchange: ((exchange: InspectedExchange) => void) | undefined) {
  const live = useLiveConnection<Connection, WebSocketState>('IDLE', ['CONNECTING', 'OPEN', 'CLOSING'], (connection) => connection.socket.close());
  const { current, isCurrent, setState } = live;
  const [chosen, setChosen] = useState<string | null>(null);
  const [sendError, setSendError] = useState<HexError | 'not-open' | null>(null);
  const [closeError, setCloseError] = useState<CloseError | null>(null);
  // one handshake per Connect: an old connection's look-again ends where the next Connect began
  const [handshakes] = useState(requestsInTurn);

  /**
   * With "my server" the browser's WebSocket goes to Wirelab's relay, and everything the console
   * links to — the handshake, each message's frame — is on the relay's connection to the
   * student's server (its request-target is the path typed; Wirelab is its client, as the
   * browser is on a direct one).
   */
  const connect = async (url: string, protocols: string[], own: OwnTarget) => {
    if (current.current && current.current.socket.readyState < WebSocket.CLOSING) return;
    await sessionReady();
    const origin = window.location.origin;
    const mine = own.mode === 'mine';
    const absolute = mine ? webSocketRelayUrl(url, own.address, origin) : webSocketUrl(url, origin);
    const target = pathOf(mine ? url : absolute, origin);
    const after = captureTimeNow();
    let socket: WebSocket;
    try {
      socket = new WebSocket(absolute, protocols);
    } catch (error) {
      log.add({ kind: 'error', text: messageOf(error) });
      return;
    }
    socket.binaryType = 'arraybuffer';
    // aimed at my server, the answer may be the student's refusal (a 404): that is the handshake to show.
    // Looked for again at a click after a miss: the handshake, and with it every frame's connection.
    const handshake = handshakes.watch({ method: 'GET', target, after, accept: (exchange) => mine || exchange.response?.status === 101 });
    const connection: Connection = { socket, conn: connectionOf(handshake), sent: 0, received: 0, relayed: mine };
    current.current = connection;
    setState('CONNECTING');
    setChosen(null);
    log.add({ kind: 'info', text: say((t) => (mine ? t.connectingToMine(own.address.trim(), target, protocols) : t.connecting(target, protocols))) });
    watchSocket(connection, handshake, { log, isCurrent, setState, setChosen, onExchange });
  };

  const openConnection = () => {
    const connection = current.current;
    return connection && connection.socket.readyState === WebSocket.OPEN ? connection : null;
  };

  const send = (outgoing: Outgoing) => {
    const connection = openConnection();
    if (!connection) return setSendError('not-open');
    setSendError(null);
    const ordinal = connection.sent++;
    const inspect = frameLink(connection, (view) => dataFrames(view, 'in')[ordinal]);
    connection.socket.send(outgoing.kind === 'text' ? outgoing.text : outgoing.bytes);
    log.add(sentEntry(outgoing, inspect));
  };

  /** Disconnect sends a close frame without a code; "Close with code" sends what the fields say. */
  const close = (codeText: string, reasonText: string) => {
    const connection = openConnection();
    if (!connection) return setSendError('not-open');
    const request = parseCloseRequest(codeText, reasonText);
    if (!request.ok) return setCloseError(request.error);
    setCloseError(null);
    connection.socket.close(request.code, request.reason);
    setState('CLOSING');
    const closeFrame = frameLink(connection, (view) => controlFrames(view, 'in', 'close')[0]);
    log.add(closingEntry(request.code, request.reason, closeFrame));
  };

  return { state: live.state, live: live.live, open: live.state === 'OPEN', chosen, sendError, setSendError, closeError, connect, send, close };
}
