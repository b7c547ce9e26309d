import { useEffect, useMemo, useRef, useState } from 'react';
import { ResetDraftButton } from '../reset-draft-button.tsx';
import { AsCodeButton } from '../../as-code/as-code-button.tsx';
import { webSocketSpecOf } from '../../as-code/cell-spec.ts';
import { useSavedDraft } from '../saved-cell-state.ts';
import { useLang, useStrings, type Lang } from '../../app/lang-context.ts';
import { captureTimeNow, sessionReady } from '../../app/session.ts';
import { getCaptureStore } from '../../inspector/capture-store.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import type { CellProps } from '../../lessons/cell-props.ts';
import { CAPTURE_WAIT_MS, claimNextExchange, connectionView, controlFrames, dataFrames, waitForCapture } from './capture-links.ts';
import { parseCloseRequest, type CloseError } from './close-request.ts';
import { BadCellConfig, ConsoleLog, inBothLanguages, useConsoleLog, type NewLogEntry } from './console-log.tsx';
import { formatHex, parseHex, type HexError } from './hex.ts';
import { websocketConsoleStrings } from './strings.ts';

type ConsoleStrings = (typeof websocketConsoleStrings)['en'];
/** A console line written in both languages, shown in the current one. */
const say = (render: (t: ConsoleStrings, lang: Lang) => string) => inBothLanguages<ConsoleStrings>(websocketConsoleStrings, render);
import { parseWebSocketCell, SUBPROTOCOL_TOKEN, webSocketDraftOf, webSocketUrl, type WebSocketCellConfig, type WebSocketPreset } from './ws-cell-config.ts';
import './realtime-console.css';

type ConsoleState = 'IDLE' | 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';

/** One WebSocket the console opened, and what it needs to find that socket's bytes later. */
interface Connection {
  socket: WebSocket;
  /** the captured connection id, once its handshake came back through the capture channel */
  conn: Promise<string | null>;
  sent: number;
  received: number;
  closeSent: boolean;
}

/** A text the WHATWG WebSocket API sends: text as UTF-8 (text frame), bytes as they are (binary frame). */
type Outgoing = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array };

const textPreviewChars = 200;
/** The control message of /ws/echo that cuts the TCP connection from the server side (server/protocols/websocket/README.md). */
const DROP_COMMAND = '{"wirelab":"drop"}';

export function WebSocketCell({ cellId, initialText, saveKey, onExchange, onInspect }: CellProps) {
  const parsed = useMemo(() => parseWebSocketCell(initialText), [initialText]);
  if (!parsed.ok) return <BadCellConfig problems={parsed.problems} />;
  return <WebSocketConsole cellId={cellId} config={parsed.config} saveKey={saveKey} onExchange={onExchange} onInspect={onInspect} />;
}

function WebSocketConsole({ cellId, config, saveKey, onExchange, onInspect }: { cellId: string; config: WebSocketCellConfig } & Pick<CellProps, 'saveKey' | 'onExchange' | 'onInspect'>) {
  const t = useStrings(websocketConsoleStrings);
  const lang = useLang();
  const log = useConsoleLog();
  const original = useMemo(() => webSocketDraftOf(config), [config]);
  const { draft, edit, reset, changed } = useSavedDraft(saveKey, original);
  const { url, protocols, message, mode, closeCode, closeReason } = draft;
  const setUrl = (value: string) => edit({ url: value });
  const setProtocols = (value: string) => edit({ protocols: value });
  const setMessage = (value: string) => edit({ message: value });
  const setMode = (value: 'text' | 'hex') => edit({ mode: value });
  const setCloseCode = (value: string) => edit({ closeCode: value });
  const setCloseReason = (value: string) => edit({ closeReason: value });
  const [state, setState] = useState<ConsoleState>('IDLE');
  const [chosen, setChosen] = useState<string | null>(null);
  const [sendError, setSendError] = useState<HexError | 'not-open' | null>(null);
  const [closeError, setCloseError] = useState<CloseError | null>(null);
  const current = useRef<Connection | null>(null);

  useEffect(() => () => current.current?.socket.close(), []);

  const protocolList = protocols
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const protocolsValid = protocolList.every((name) => SUBPROTOCOL_TOKEN.test(name)) && new Set(protocolList).size === protocolList.length;

  const frameLink = (connection: Connection, dir: 'in' | 'out', pick: (view: ReturnType<typeof connectionView>) => { index: number } | undefined) => async (): Promise<Selection | null> => {
    const conn = await connection.conn;
    if (!conn) return null;
    const found = await waitForCapture(getCaptureStore(), (snapshot) => pick(connectionView(snapshot, conn)), CAPTURE_WAIT_MS);
    return found ? { conn, message: found.index } : null;
  };

  const connect = async () => {
    if (current.current && current.current.socket.readyState < WebSocket.CLOSING) return;
    await sessionReady();
    const absolute = webSocketUrl(url, window.location.origin);
    const target = (() => {
      const parsedUrl = new URL(absolute);
      return `${parsedUrl.pathname}${parsedUrl.search}`;
    })();
    const after = captureTimeNow();
    let socket: WebSocket;
    try {
      socket = new WebSocket(absolute, protocolList);
    } catch (error) {
      log.add({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
      return;
    }
    socket.binaryType = 'arraybuffer';
    const handshake = claimNextExchange(getCaptureStore(), { method: 'GET', target, after, accept: (exchange) => exchange.response?.status === 101 });
    const connection: Connection = { socket, conn: handshake.then((exchange) => exchange?.conn ?? null), sent: 0, received: 0, closeSent: false };
    current.current = connection;
    setState('CONNECTING');
    setChosen(null);
    log.add({ kind: 'info', text: say((t) => t.connecting(target, protocolList)) });
    const isCurrent = () => current.current === connection;
    socket.onopen = () => {
      if (!isCurrent()) return;
      setState('OPEN');
      setChosen(socket.protocol);
      log.add({
        kind: 'info',
        text: say((t) => t.openedWith(socket.protocol, socket.extensions)),
        inspectLabel: say((t) => t.showHandshake),
        inspect: async () => {
          const exchange = await handshake;
          return exchange ? { conn: exchange.conn, index: exchange.index } : null;
        },
        data: { event: 'open' },
      });
      // The inspector follows the console: the handshake is the first thing the lesson looks at.
      void handshake.then((exchange) => {
        if (exchange && isCurrent()) onExchange?.(exchange);
      });
    };
    socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => {
      if (!isCurrent()) return;
      const ordinal = connection.received++;
      const data = event.data;
      const entry: NewLogEntry =
        typeof data === 'string'
          ? { kind: 'received', badge: say((t) => t.textMessage), text: clip(data), data: { type: 'text' } }
          : { kind: 'received', badge: say((t) => t.binaryMessage), text: say((t) => `${formatHex(new Uint8Array(data))} (${t.size(data.byteLength)})`), data: { type: 'binary' } };
      log.add({ ...entry, inspect: frameLink(connection, 'out', (view) => dataFrames(view, 'out')[ordinal]) });
    };
    socket.onerror = () => {
      if (isCurrent() && socket.readyState !== WebSocket.OPEN) log.add({ kind: 'error', text: say((t) => t.failed) });
    };
    socket.onclose = (event) => {
      if (!isCurrent()) return;
      setState('CLOSED');
      log.add({
        kind: event.wasClean ? 'info' : 'error',
        text: say((t) => t.closedLine(event.code, event.reason, event.wasClean)),
        inspectLabel: say((t) => t.closeFrame),
        // the server's close frame: its answer to ours, or its own decision (1009, 1001…)
        inspect: frameLink(connection, 'out', (view) => controlFrames(view, 'out', 'close')[0] ?? controlFrames(view, 'in', 'close')[0]),
        data: { event: 'close', code: String(event.code) },
      });
    };
  };

  const send = (outgoing: Outgoing) => {
    const connection = current.current;
    if (!connection || connection.socket.readyState !== WebSocket.OPEN) return setSendError('not-open');
    setSendError(null);
    const ordinal = connection.sent++;
    const inspect = frameLink(connection, 'in', (view) => dataFrames(view, 'in')[ordinal]);
    if (outgoing.kind === 'text') {
      connection.socket.send(outgoing.text);
      log.add({ kind: 'sent', badge: say((t) => t.textMessage), text: say((t) => `${clip(outgoing.text)} (${t.size(utf8Length(outgoing.text))})`), inspect, data: { type: 'text' } });
    } else {
      connection.socket.send(outgoing.bytes);
      log.add({ kind: 'sent', badge: say((t) => t.binaryMessage), text: say((t) => `${formatHex(outgoing.bytes)} (${t.size(outgoing.bytes.length)})`), inspect, data: { type: 'binary' } });
    }
  };

  const sendTyped = () => {
    if (mode === 'text') return send({ kind: 'text', text: message });
    const bytes = parseHex(message);
    if (!bytes.ok) return setSendError(bytes.error);
    send({ kind: 'binary', bytes: bytes.bytes });
  };

  const sendPreset = (preset: WebSocketPreset) => {
    if ('text' in preset) return send({ kind: 'text', text: preset.text });
    const bytes = parseHex(preset.hex);
    if (bytes.ok) send({ kind: 'binary', bytes: bytes.bytes });
  };

  /** Disconnect sends a close frame without a code; "Close with code" sends what the fields say. */
  const close = (codeText: string, reasonText: string) => {
    const connection = current.current;
    if (!connection || connection.socket.readyState !== WebSocket.OPEN) return setSendError('not-open');
    const request = parseCloseRequest(codeText, reasonText);
    if (!request.ok) return setCloseError(request.error);
    setCloseError(null);
    connection.closeSent = true;
    connection.socket.close(request.code, request.reason);
    setState('CLOSING');
    log.add({ kind: 'sent', badge: 'close', text: say((t) => t.closing(request.code, request.reason)), inspect: frameLink(connection, 'in', (view) => controlFrames(view, 'in', 'close')[0]), data: { type: 'close' } });
  };

  const open = state === 'OPEN';
  // Only the echo endpoint obeys control messages; elsewhere the text would just be sent.
  const canAskServerToDrop = /^\/ws\/echo(?:[?#]|$)/.test(url.trim());
  const busy = state === 'CONNECTING' || state === 'OPEN' || state === 'CLOSING';
  const typedBytes = mode === 'text' ? utf8Length(message) : null;
  return (
    <section className="rt-console" data-testid="cell" data-cell-id={cellId} data-kind="websocket" aria-label={t.consoleLabel(cellId)} lang={lang}>
      <div className="rt-row rt-toolbar">
        <label className="rt-field rt-input-wide">
          {t.url}
          <input className="rt-input rt-input-wide" value={url} onChange={(event) => setUrl(event.target.value)} disabled={busy} data-testid="ws-url" spellCheck={false} />
        </label>
        <label className="rt-field" title={t.subprotocolsHint}>
          {t.subprotocols}
          <input className="rt-input" value={protocols} onChange={(event) => setProtocols(event.target.value)} disabled={busy} data-testid="ws-subprotocols" spellCheck={false} aria-invalid={!protocolsValid} />
        </label>
        {busy ? (
          <button type="button" className="button" data-testid="ws-disconnect" onClick={() => close('', '')} disabled={!open}>
            {t.disconnect}
          </button>
        ) : (
          <button type="button" className="button button-primary" data-testid="ws-connect" onClick={connect} disabled={!protocolsValid || url.trim() === ''}>
            {t.connect}
          </button>
        )}
        <span className="rt-state" data-testid="ws-state" data-state={state}>
          {t.state[state]}
        </span>
        {open && <span className="rt-note-inline">{chosen ? t.chosenSubprotocol(chosen) : t.noSubprotocol}</span>}
        <span className="toolbar-spacer" />
        <AsCodeButton
          spec={() =>
            // the message typed now, else the lesson's presets in order
            webSocketSpecOf({ url, subprotocols: protocolList, presets: message !== '' ? [mode === 'hex' ? { hex: message } : { text: message }] : config.presets })
          }
        />
        <ResetDraftButton changed={changed} onReset={reset} disabled={busy} />
      </div>

      <div className="rt-row">
        <textarea
          className="rt-input"
          aria-label={t.message}
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              sendTyped();
            }
          }}
          data-testid="ws-message"
          spellCheck={false}
          rows={2}
        />
        <label className="rt-field">
          <input type="radio" name={`${cellId}-mode`} checked={mode === 'text'} onChange={() => setMode('text')} data-testid="ws-mode-text" /> {t.asText}
        </label>
        <label className="rt-field">
          <input type="radio" name={`${cellId}-mode`} checked={mode === 'hex'} onChange={() => setMode('hex')} data-testid="ws-mode-hex" /> {t.asHex}
        </label>
        {mode === 'text' && (
          <button type="button" className="button button-quiet rt-small" onClick={() => setMessage(message.repeat(10))} disabled={message === ''} title={t.repeatHint}>
            {t.repeat}
          </button>
        )}
        {typedBytes !== null && <span className="rt-field">{t.size(typedBytes)}</span>}
        <span className="toolbar-spacer" />
        <button type="button" className="button button-primary" data-testid="ws-send" onClick={sendTyped} disabled={!open}>
          {t.send}
        </button>
        {sendError && (
          <p className="rt-error" role="alert">
            {sendError === 'not-open' ? t.notOpen : t.hexError(sendError)}
          </p>
        )}
      </div>

      {config.presets.length > 0 && (
        <div className="rt-row">
          <span className="rt-field">{t.presets}</span>
          <div className="rt-presets">
            {config.presets.map((preset, index) => (
              <button key={index} type="button" className="button rt-preset" data-testid="ws-preset" onClick={() => sendPreset(preset)} disabled={!open} title={t.presetHint}>
                {'text' in preset ? clip(preset.text, 40) : `hex ${preset.hex}`}
              </button>
            ))}
          </div>
        </div>
      )}

      <div className="rt-row">
        <label className="rt-field" title={t.closeCodeHint}>
          {t.closeCode}
          <input className="rt-input rt-input-narrow" value={closeCode} onChange={(event) => setCloseCode(event.target.value)} inputMode="numeric" data-testid="ws-close-code" placeholder="1000" />
        </label>
        <label className="rt-field">
          {t.closeReason}
          <input className="rt-input" value={closeReason} onChange={(event) => setCloseReason(event.target.value)} data-testid="ws-close-reason" />
        </label>
        <button type="button" className="button" onClick={() => close(closeCode, closeReason)} disabled={!open} data-testid="ws-close">
          {t.closeWithCode}
        </button>
        {closeError && (
          <p className="rt-error" role="alert">
            {t.closeError(closeError)}
          </p>
        )}
        {canAskServerToDrop ? (
          <button type="button" className="button" onClick={() => send({ kind: 'text', text: DROP_COMMAND })} disabled={!open} title={t.dropHint} data-testid="ws-drop">
            {t.drop}
          </button>
        ) : (
          <p className="rt-note">{t.dropUnavailable}</p>
        )}
      </div>

      <ConsoleLog entries={log.entries} trimmed={log.trimmed} onClear={log.clear} onInspect={onInspect} />
    </section>
  );
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function clip(text: string, chars = textPreviewChars): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}
