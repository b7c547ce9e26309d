import type { ConnectionView, InspectedExchange } from '../../inspector/capture-store.ts';
import type { WireMessage } from '../../../wire/types.ts';
import { controlFrames, dataFrames } from '../console-kit/capture-links.ts';
import { bilingual, type NewLogEntry } from '../console-kit/console-log.tsx';
import { connectionMessageLink, exchangeLink } from '../console-kit/inspector-links.ts';
import { websocketConsoleStrings } from './strings.ts';
import { closedEntry, openedEntry, receivedEntry } from './websocket-log-entries.ts';

const say = bilingual(websocketConsoleStrings);

export type WebSocketState = 'IDLE' | 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';

/** One WebSocket the console opened, and what it needs to find that socket's bytes later. */
export interface Connection {
  socket: WebSocket;
  /** the captured connection id, once its handshake came back through the capture channel (asked again after a miss) */
  conn: () => Promise<string | null>;
  sent: number;
  received: number;
  /** through Wirelab's relay to the student's server ("my server") */
  relayed: boolean;
}

/** Finds one frame of this connection in the capture, once the connection's id is known. */
export const frameLink = (connection: Connection, pick: (view: ConnectionView | undefined) => WireMessage | undefined) =>
  connectionMessageLink(connection.conn, pick);

/** What the socket's handlers change in the console: its log, its state, the chosen subprotocol. */
export interface SocketListeners {
  log: { add: (entry: NewLogEntry) => unknown };
  /** false once the student connected again: this socket's late events must not touch the new one */
  isCurrent: (connection: Connection) => boolean;
  setState: (state: WebSocketState) => void;
  setChosen: (protocol: string) => void;
  onExchange: ((exchange: InspectedExchange) => void) | undefined;
}

/** Follows one socket's life: open, each message (linked to its frame), errors and the close. */
export function watchSocket(connection: Connection, handshake: () => Promise<InspectedExchange | null>, listeners: SocketListeners) {
  const { socket } = connection;
  const { log, isCurrent, setState } = listeners;
  let openShown = false;
  const showOpen = () => {
    if (openShown) return;
    openShown = true;
    log.add(openedEntry(socket.protocol, socket.extensions, exchangeLink(handshake)));
  };
  socket.onopen = () => {
    if (!isCurrent(connection)) return;
    setState('OPEN');
    listeners.setChosen(socket.protocol);
    // the handshake's capture, asked for once now (after a first miss, that is one more wait)
    const found = handshake();
    // Through the relay the page's 101 may only precede a fact (nothing listens there): "open"
    // is said once Wirelab's own handshake is seen, or a message came, and not if a fact closed it first.
    if (!connection.relayed) showOpen();
    else void found.then(() => isCurrent(connection) && socket.readyState === WebSocket.OPEN && showOpen());
    // The inspector follows the console: the handshake is the first thing the lesson looks at.
    void found.then((exchange) => {
      if (exchange && isCurrent(connection)) listeners.onExchange?.(exchange);
    });
  };
  socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => {
    if (!isCurrent(connection)) return;
    showOpen();
    const ordinal = connection.received++;
    log.add({ ...receivedEntry(event.data), inspect: frameLink(connection, (view) => dataFrames(view, 'out')[ordinal]) });
  };
  socket.onerror = () => {
    if (isCurrent(connection) && socket.readyState !== WebSocket.OPEN) log.add({ kind: 'error', text: say((t) => t.failed) });
  };
  socket.onclose = (event) => {
    if (!isCurrent(connection)) return;
    setState('CLOSED');
    // the server's close frame: its answer to ours, or its own decision (1009, 1001…)
    const closeFrame = frameLink(connection, (view) => controlFrames(view, 'out', 'close')[0] ?? controlFrames(view, 'in', 'close')[0]);
    log.add(closedEntry(event, exchangeLink(handshake), closeFrame, !connection.relayed));
  };
}
