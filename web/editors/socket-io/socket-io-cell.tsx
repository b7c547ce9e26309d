import { useEffect, useMemo, useRef, useState } from 'react';
import { ResetDraftButton } from '../reset-draft-button.tsx';
import { AsCodeButton } from '../../as-code/as-code-button.tsx';
import { socketIoConsoleSpecOf } from '../../as-code/cell-spec.ts';
import { useSavedDraft } from '../saved-cell-state.ts';
import { io, type Socket } from 'socket.io-client';
import { useLang, useStrings, type Lang } from '../../app/lang-context.ts';
import { sessionReady } from '../../app/session.ts';
import { getCaptureStore } from '../../inspector/capture-store.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import type { CellProps } from '../../lessons/cell-props.ts';
import type { WireMessage } from '../../wire/types.ts';
import { CAPTURE_WAIT_MS, waitForCapture } from '../console-kit/capture-links.ts';
import { BadCellConfig, ConsoleLog, inBothLanguages, useConsoleLog } from '../console-kit/console-log.tsx';
import '../console-kit/console-kit.css';
import { parseAuthInput, parseEmitInput, type EmitInputError } from './emit-input.ts';
import { sessionMessages } from './session-messages.ts';
import { parseSocketIoCell, SOCKET_IO_TRANSPORTS, socketIoDraftOf, type SocketIoCellConfig, type SocketIoPreset, type SocketIoTransport } from './sio-cell-config.ts';
import { socketIoConsoleStrings } from './strings.ts';

type ConsoleStrings = (typeof socketIoConsoleStrings)['en'];
/** A console line written in both languages, shown in the current one. */
const say = (render: (t: ConsoleStrings, lang: Lang) => string) => inBothLanguages<ConsoleStrings>(socketIoConsoleStrings, render);

/** How long an emit with an ack waits for the server's reply before the console reports a timeout. */
export const ACK_TIMEOUT_MS = 10_000;

type ConsoleState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Counts, per Engine.IO session, the packets the page saw, to find the n-th of a kind in the capture. */
class PacketCounter {
  private counts = new Map<string, number>();
  next(key: string): number {
    const count = this.counts.get(key) ?? 0;
    this.counts.set(key, count + 1);
    return count;
  }
}

export function SocketIoCell({ cellId, initialText, saveKey, onExchange, onInspect }: CellProps) {
  const parsed = useMemo(() => parseSocketIoCell(initialText), [initialText]);
  if (!parsed.ok) return <BadCellConfig problems={parsed.problems} />;
  return <SocketIoConsole cellId={cellId} config={parsed.config} saveKey={saveKey} onExchange={onExchange} onInspect={onInspect} />;
}

function SocketIoConsole({ cellId, config, saveKey, onInspect }: { cellId: string; config: SocketIoCellConfig } & Pick<CellProps, 'saveKey' | 'onExchange' | 'onInspect'>) {
  const t = useStrings(socketIoConsoleStrings);
  const lang = useLang();
  const log = useConsoleLog();
  const original = useMemo(() => socketIoDraftOf(config), [config]);
  const { draft, edit, reset, changed } = useSavedDraft(saveKey, original);
  const { namespace, authText, transports, event, argsText, withAck } = draft;
  const setNamespace = (value: string) => edit({ namespace: value });
  const setAuthText = (value: string) => edit({ authText: value });
  const setEvent = (value: string) => edit({ event: value });
  const setArgsText = (value: string) => edit({ argsText: value });
  const setWithAck = (value: boolean) => edit({ withAck: value });
  const [state, setState] = useState<ConsoleState>('idle');
  const [transport, setTransport] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const socketRef = useRef<Socket | null>(null);
  const sidRef = useRef<string | undefined>(undefined);
  const counters = useRef(new Map<string, PacketCounter>());

  useEffect(
    () => () => {
      socketRef.current?.disconnect();
      socketRef.current = null;
    },
    [],
  );

  /** The capture of the `ordinal`-th packet of session `sid` that `keep` accepts. */
  const packetLink = (sid: string | undefined, keep: (message: WireMessage) => boolean, ordinal: number) => async (): Promise<Selection | null> => {
    if (!sid) return null;
    const found = await waitForCapture(getCaptureStore(), (snapshot) => sessionMessages(snapshot.connections, sid, keep)[ordinal], CAPTURE_WAIT_MS);
    return found ? { conn: found.conn, message: found.index } : null;
  };

  const counterOf = (sid: string | undefined) => {
    const key = sid ?? '';
    let counter = counters.current.get(key);
    if (!counter) counters.current.set(key, (counter = new PacketCounter()));
    return counter;
  };

  const isSocketIo = (type: string, dir: 'in' | 'out', eventName?: string) => (message: WireMessage) =>
    message.layer === 'socket-io-packet' && message.dir === dir && message.fields?.type === type && (eventName === undefined || message.fields?.event === eventName);

  const connect = async () => {
    if (socketRef.current) return;
    const auth = parseAuthInput(authText);
    if (!auth.ok) return setFormError(t.authError(auth.message));
    if (transports.length === 0) return setFormError(t.noTransport);
    setFormError(null);
    await sessionReady();
    const socket = io(namespace, {
      path: '/socket.io/',
      auth: auth.auth,
      transports,
      forceNew: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    socketRef.current = socket;
    setState('connecting');
    setTransport(null);
    log.add({ kind: 'info', text: say((t) => t.connecting(namespace, transports)) });
    const manager = socket.io;
    // Remembered at 'open': the engine forgets its id as soon as it closes, before connect_error fires.
    let currentSid: string | undefined;
    const sid = () => currentSid;
    sidRef.current = undefined;

    manager.on('open', () => {
      const engine = manager.engine;
      const engineSid = engine.id;
      currentSid = engineSid;
      sidRef.current = engineSid;
      setTransport(engine.transport.name);
      log.add({
        kind: 'info',
        badge: 'engine.io',
        text: say((t) => t.engineOpen(engineSid, engine.transport.name)),
        inspectLabel: say((t) => t.showOpen),
        inspect: packetLink(engineSid, (message) => message.layer === 'engine-io-packet' && message.fields?.type === 'open', 0),
        data: { event: 'open', transport: engine.transport.name },
      });
      engine.on('upgrading', (next) => log.add({ kind: 'info', badge: 'engine.io', text: say((t) => t.upgrading(next.name)) }));
      engine.on('upgrade', (next) => {
        setTransport(next.name);
        log.add({
          kind: 'info',
          badge: 'engine.io',
          text: say((t) => t.upgraded(next.name)),
          inspect: packetLink(engineSid, (message) => message.layer === 'engine-io-packet' && message.dir === 'in' && message.fields?.type === 'upgrade', 0),
          data: { event: 'upgrade', transport: next.name },
        });
      });
      engine.on('upgradeError', (error) => log.add({ kind: 'error', badge: 'engine.io', text: say((t) => t.upgradeFailed(error.message)) }));
    });
    manager.on('reconnect_attempt', (attempt) => {
      setState('reconnecting');
      log.add({ kind: 'info', text: say((t) => t.reconnectAttempt(attempt)) });
    });
    manager.on('reconnect', (attempt) => log.add({ kind: 'info', text: say((t) => t.reconnected(attempt)), data: { event: 'reconnect' } }));

    socket.on('connect', () => {
      setState('connected');
      const engineSid = sid();
      log.add({
        kind: 'info',
        badge: 'socket.io',
        text: say((t) => t.connected(socket.id ?? '?')),
        inspect: packetLink(engineSid, isSocketIo('CONNECT', 'out'), counterOf(engineSid).next('CONNECT out')),
        data: { event: 'connect' },
      });
    });
    socket.on('connect_error', (error) => {
      const engineSid = sid();
      // A refusal by the server's middleware is final; a network failure is retried.
      log.add({
        kind: 'error',
        badge: 'socket.io',
        text: say((t, lang) => t.connectError(localizedMessage(error, lang), socket.active)),
        inspect: packetLink(engineSid, isSocketIo('CONNECT_ERROR', 'out'), counterOf(engineSid).next('CONNECT_ERROR out')),
        data: { event: 'connect_error' },
      });
      setState(socket.active ? 'reconnecting' : 'closed');
      if (!socket.active) {
        socket.disconnect();
        socketRef.current = null;
      }
    });
    socket.on('disconnect', (reason) => {
      log.add({ kind: socket.active ? 'error' : 'info', badge: 'socket.io', text: say((t) => t.disconnected(reason, socket.active)), data: { event: 'disconnect', reason } });
      setTransport(null);
      if (!socket.active) {
        setState('closed');
        socketRef.current = null;
      } else setState('reconnecting');
    });
    socket.onAny((name: string, ...args: unknown[]) => {
      const engineSid = sid();
      log.add({
        kind: 'received',
        badge: 'event',
        text: name,
        detail: JSON.stringify(args),
        inspect: packetLink(engineSid, isSocketIo('EVENT', 'out', name), counterOf(engineSid).next(`EVENT out ${name}`)),
        data: { event: name },
      });
    });
  };

  const emit = (eventName: string, args: unknown[], ack: boolean) => {
    const socket = socketRef.current;
    if (!socket || !socket.connected) return setFormError(t.notConnected);
    setFormError(null);
    const engineSid = sidRef.current;
    const counter = counterOf(engineSid);
    log.add({
      kind: 'sent',
      badge: 'emit',
      text: say((t) => t.emitted(eventName, ack)),
      detail: JSON.stringify(args),
      inspect: packetLink(engineSid, isSocketIo('EVENT', 'in', eventName), counter.next(`EVENT in ${eventName}`)),
      data: { event: eventName },
    });
    if (!ack) return socket.emit(eventName, ...args);
    socket.timeout(ACK_TIMEOUT_MS).emit(eventName, ...args, (error: Error | null, ...reply: unknown[]) => {
      if (error) return log.add({ kind: 'error', badge: 'ack', text: say((t) => t.ackTimeout(eventName, ACK_TIMEOUT_MS)) });
      log.add({
        kind: 'received',
        badge: 'ack',
        text: say((t) => t.ackReply(eventName)),
        detail: JSON.stringify(reply),
        inspect: packetLink(engineSid, isSocketIo('ACK', 'out'), counter.next('ACK out')),
        data: { event: 'ack', for: eventName },
      });
    });
  };

  const emitTyped = () => {
    const input = parseEmitInput(event, argsText);
    if (!input.ok) return setFormError(t.emitError(input.error as EmitInputError));
    emit(input.event, input.args, withAck);
  };

  const emitPreset = (preset: SocketIoPreset) => {
    edit({ event: preset.event, argsText: JSON.stringify(preset.args), withAck: preset.ack });
    emit(preset.event, preset.args, preset.ack);
  };

  const disconnect = () => {
    socketRef.current?.disconnect();
  };

  const drop = () => {
    const engine = socketRef.current?.io.engine;
    if (!engine) return;
    log.add({ kind: 'info', text: say((t) => t.dropped) });
    // Closing the engine, not the socket: Socket.IO takes it for a lost transport and reconnects.
    engine.close();
  };

  const toggleTransport = (name: SocketIoTransport) => edit({ transports: transports.includes(name) ? transports.filter((other) => other !== name) : [...transports, name] });

  const live = state === 'connecting' || state === 'connected' || state === 'reconnecting';
  const connected = state === 'connected';
  return (
    <section className="rt-console" data-testid="cell" data-cell-id={cellId} data-kind="socket-io" aria-label={t.consoleLabel(cellId)} lang={lang}>
      <div className="rt-row rt-toolbar">
        <label className="rt-field">
          {t.namespace}
          <input className="rt-input rt-input-narrow" value={namespace} onChange={(change) => setNamespace(change.target.value)} disabled={live} data-testid="sio-namespace" spellCheck={false} />
        </label>
        <span className="rt-field" title={t.transportsHint}>
          {t.transports}
          {SOCKET_IO_TRANSPORTS.map((name) => (
            <label key={name} className="rt-field">
              <input type="checkbox" checked={transports.includes(name)} onChange={() => toggleTransport(name)} disabled={live} data-testid={`sio-transport-${name}`} /> {name}
            </label>
          ))}
        </span>
        {live ? (
          <button type="button" className="button" onClick={disconnect} data-testid="sio-disconnect">
            {t.disconnect}
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={connect} data-testid="sio-connect">
            {t.connect}
          </button>
        )}
        <button type="button" className="button" onClick={drop} disabled={!connected} title={t.dropHint} data-testid="sio-drop">
          {t.drop}
        </button>
        <span className="rt-state" data-testid="sio-state" data-state={state}>
          {t.state[state]}
        </span>
        {transport && (
          <span className="rt-field" data-testid="sio-transport" data-transport={transport}>
            {t.transport(transport)}
          </span>
        )}
        <span className="toolbar-spacer" />
        <AsCodeButton spec={() => socketIoConsoleSpecOf(draft, config.presets)} />
        <ResetDraftButton changed={changed} onReset={reset} disabled={live} />
      </div>
      <div className="rt-row">
        <label className="rt-field rt-input-wide" title={t.authHint}>
          {t.auth}
          <input className="rt-input rt-input-wide" value={authText} onChange={(change) => setAuthText(change.target.value)} disabled={live} data-testid="sio-auth" spellCheck={false} />
        </label>
      </div>
      <div className="rt-row">
        <label className="rt-field">
          {t.event}
          <input className="rt-input" value={event} onChange={(change) => setEvent(change.target.value)} data-testid="sio-event" spellCheck={false} />
        </label>
        <label className="rt-field rt-input-wide">
          {t.args}
          <input className="rt-input rt-input-wide" value={argsText} onChange={(change) => setArgsText(change.target.value)} data-testid="sio-args" spellCheck={false} />
        </label>
        <label className="rt-field" title={t.ackHint}>
          <input type="checkbox" checked={withAck} onChange={(change) => setWithAck(change.target.checked)} data-testid="sio-ack" /> {t.ack}
        </label>
        <button type="button" className="button button-primary" onClick={emitTyped} disabled={!connected} data-testid="sio-emit">
          {t.emit}
        </button>
        {formError && (
          <p className="rt-error" role="alert">
            {formError}
          </p>
        )}
      </div>
      {config.presets.length > 0 && (
        <div className="rt-row">
          <span className="rt-field">{t.presets}</span>
          <div className="rt-presets">
            {config.presets.map((preset, index) => (
              <button key={index} type="button" className="button rt-preset" onClick={() => emitPreset(preset)} disabled={!connected} title={t.presetHint} data-testid="sio-preset">
                {preset.event} {JSON.stringify(preset.args)}
                {preset.ack ? ' ✓ack' : ''}
              </button>
            ))}
          </div>
        </div>
      )}
      <div className="rt-row">
        <p className="rt-note">{t.dropNote}</p>
      </div>
      <ConsoleLog entries={log.entries} trimmed={log.trimmed} onClear={log.clear} onInspect={onInspect} />
    </section>
  );
}

/** The server's refusal in the reader's language when it sent both (`data.localized`), else its message. */
function localizedMessage(error: Error, lang: 'en' | 'ru'): string {
  const localized = (error as Error & { data?: { localized?: Partial<Record<'en' | 'ru', unknown>> } }).data?.localized?.[lang];
  return typeof localized === 'string' ? localized : error.message;
}
