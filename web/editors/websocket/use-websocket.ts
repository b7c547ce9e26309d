import { useState } from 'react';
import { captureTimeNow, sessionReady } from '../../kit/session.ts';
import type { ConnectionView, InspectedExchange } from '../../inspector/capture-store.ts';
import type { WireMessage } from '../../../wire/types.ts';
import { controlFrames, dataFrames } from '../console-kit/capture-links.ts';
import { bilingual, type NewLogEntry, type useConsoleLog } from '../console-kit/console-log.tsx';
import { connectionMessageLink, exchangeLink, watchExchange } from '../console-kit/inspector-links.ts';
import { clip, messageOf, utf8Length } from '../console-kit/text.ts';
import { useLiveConnection } from '../console-kit/use-live-connection.ts';
import { parseCloseRequest, type CloseError } from './close-request.ts';
import { formatHex, type HexError } from './hex.ts';
import { websocketConsoleStrings } from './strings.ts';
import { webSocketUrl } from './ws-cell-config.ts';
import { readRelayFact, relayFactText } from '../../../contracts/own-server/relays.ts';
import type { OwnTarget } from '../target-switch/own-target.ts';
import { pathOf, webSocketRelayUrl } from '../target-switch/relay-urls.ts';

const say = bilingual(websocketConsoleStrings);

export type WebSocketState = 'IDLE' | 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';

/** One WebSocket the console opened, and what it needs to find that socket's bytes later. */
interface Connection {
  socket: WebSocket;
  /** the captured connection id, once its handshake came back through the capture channel */
  conn: Promise<string | null>;
  sent: number;
  received: number;
  /** through Wirelab's relay to the student's server ("my server") */
  relayed: boolean;
}

/** What the WHATWG WebSocket API sends: text as UTF-8 (text frame), bytes as they are (binary frame). */
export type Outgoing = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array };

/** The log's line for a message the server sent: text as it came, binary as hex. */
function receivedEntry(data: string | ArrayBuffer): NewLogEntry {
  return typeof data === 'string'
    ? { kind: 'received', badge: say((t) => t.textMessage), text: clip(data), data: { type: 'text' } }
    : {
        kind: 'received',
        badge: say((t) => t.binaryMessage),
        text: say((t) => `${formatHex(new Uint8Array(data))} (${t.size(data.byteLength)})`),
        data: { type: 'binary' },
      };
}

/** The log's line for the close: Wirelab's relay's fact (what the student's server did wrong), or the code and reason. */
function closedEntry(event: CloseEvent, handshake: NewLogEntry['inspect'], closeFrame: NewLogEntry['inspect']): NewLogEntry {
  const fact = readRelayFact(event.code, event.reason);
  if (fact)
    return {
      kind: 'error',
      text: relayFactText(fact),
      inspectLabel: say((t) => t.showHandshake),
      inspect: handshake,
      data: { event: 'close', code: String(event.code), fact: fact.fact },
    };
  return {
    kind: event.wasClean ? 'info' : 'error',
    text: say((t) => t.closedLine(event.code, event.reason, event.wasClean)),
    inspectLabel: say((t) => t.closeFrame),
    inspect: closeFrame,
    data: { event: 'close', code: String(event.code) },
  };
}

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

  const frameLink = (connection: Connection, pick: (view: ConnectionView | undefined) => WireMessage | undefined) =>
    connectionMessageLink(connection.conn, pick);

  const watch = (connection: Connection, handshake: Promise<InspectedExchange | null>) => {
    const { socket } = connection;
    let openShown = false;
    const showOpen = () => {
      if (openShown) return;
      openShown = true;
      log.add({
        kind: 'info',
        text: say((t) => t.openedWith(socket.protocol, socket.extensions)),
        inspectLabel: say((t) => t.showHandshake),
        inspect: exchangeLink(handshake),
        data: { event: 'open' },
      });
    };
    socket.onopen = () => {
      if (!isCurrent(connection)) return;
      setState('OPEN');
      setChosen(socket.protocol);
      // Through the relay the page's 101 may only precede a fact (nothing listens there): "open"
      // is said once Wirelab's own handshake is seen, or a message came, and not if a fact closed it first.
      if (!connection.relayed) showOpen();
      else void handshake.then(() => isCurrent(connection) && socket.readyState === WebSocket.OPEN && showOpen());
      // The inspector follows the console: the handshake is the first thing the lesson looks at.
      void handshake.then((exchange) => {
        if (exchange && isCurrent(connection)) onExchange?.(exchange);
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
      log.add(closedEntry(event, exchangeLink(handshake), closeFrame));
    };
  };

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
    // aimed at my server, the answer may be the student's refusal (a 404): that is the handshake to show
    const handshake = watchExchange({ method: 'GET', target, after, accept: (exchange) => mine || exchange.response?.status === 101 });
    const connection: Connection = { socket, conn: handshake.then((exchange) => exchange?.conn ?? null), sent: 0, received: 0, relayed: mine };
    current.current = connection;
    setState('CONNECTING');
    setChosen(null);
    log.add({ kind: 'info', text: say((t) => (mine ? t.connectingToMine(own.address.trim(), target, protocols) : t.connecting(target, protocols))) });
    watch(connection, handshake);
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
    if (outgoing.kind === 'text') {
      connection.socket.send(outgoing.text);
      log.add({
        kind: 'sent',
        badge: say((t) => t.textMessage),
        text: say((t) => `${clip(outgoing.text)} (${t.size(utf8Length(outgoing.text))})`),
        inspect,
        data: { type: 'text' },
      });
    } else {
      connection.socket.send(outgoing.bytes);
      log.add({
        kind: 'sent',
        badge: say((t) => t.binaryMessage),
        text: say((t) => `${formatHex(outgoing.bytes)} (${t.size(outgoing.bytes.length)})`),
        inspect,
        data: { type: 'binary' },
      });
    }
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
    log.add({
      kind: 'sent',
      badge: 'close',
      text: say((t) => t.closing(request.code, request.reason)),
      inspect: frameLink(connection, (view) => controlFrames(view, 'in', 'close')[0]),
      data: { type: 'close' },
    });
  };

  return { state: live.state, live: live.live, open: live.state === 'OPEN', chosen, sendError, setSendError, closeError, connect, send, close };
}
