import { useEffect, useMemo, useRef, useState } from 'react';
import { DOMAIN_EVENT_TYPES, GAP_EVENT, SHUTDOWN_EVENT } from '../../../contracts/event-stream/events.ts';
import { ResetDraftButton } from '../reset-draft-button.tsx';
import { AsCodeButton } from '../../as-code/as-code-button.tsx';
import { sseSpecOf } from '../../as-code/cell-spec.ts';
import { useSavedDraft } from '../saved-cell-state.ts';
import { useLang, useStrings, type Lang } from '../../app/lang-context.ts';
import { captureTimeNow, sessionReady } from '../../app/session.ts';
import { getCaptureStore, type InspectedExchange } from '../../inspector/capture-store.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import type { CellProps } from '../../lessons/cell-props.ts';
import type { SseEvent } from '../../wire/sse/decode-sse.ts';
import type { WireMessage } from '../../wire/types.ts';
import { CAPTURE_WAIT_MS, claimNextExchange, connectionView, waitForCapture } from '../websocket/capture-links.ts';
import { BadCellConfig, ConsoleLog, inBothLanguages, useConsoleLog } from '../websocket/console-log.tsx';
import '../websocket/realtime-console.css';
import { parseSseCell, sseDraftOf, type SseCellConfig, type SseDraft } from './sse-cell-config.ts';
import { SseStreamReader } from './sse-reader.ts';
import { sseConsoleStrings } from './strings.ts';

type SseStrings = (typeof sseConsoleStrings)['en'];
/** A console line written in both languages, shown in the current one. */
const say = (render: (t: SseStrings, lang: Lang) => string) => inBothLanguages<SseStrings>(sseConsoleStrings, render);

/**
 * Event types EventSource is told to listen for: a page receives a named event only through
 * addEventListener(type), so the console listens for every type the server publishes (the
 * domain's and the stream's own, taken from the server's constant-only modules) and "message",
 * the type of an event without `event:`.
 */
export const EVENT_SOURCE_TYPES = ['message', ...DOMAIN_EVENT_TYPES, GAP_EVENT, SHUTDOWN_EVENT] as const;

type StreamState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';
type Client = SseDraft['client'];

/** One GET of the stream: where its captured exchange is, and how many events it has shown. */
interface Stream {
  exchange: Promise<InspectedExchange | null>;
  /** blocks the page saw on it (fetch: every block; EventSource: dispatched events only) */
  seen: number;
}

export function SseCell({ cellId, initialText, saveKey, onExchange, onInspect }: CellProps) {
  const parsed = useMemo(() => parseSseCell(initialText), [initialText]);
  if (!parsed.ok) return <BadCellConfig problems={parsed.problems} />;
  return <SseConsole cellId={cellId} config={parsed.config} saveKey={saveKey} onExchange={onExchange} onInspect={onInspect} />;
}

function SseConsole({ cellId, config, saveKey, onExchange, onInspect }: { cellId: string; config: SseCellConfig } & Pick<CellProps, 'saveKey' | 'onExchange' | 'onInspect'>) {
  const t = useStrings(sseConsoleStrings);
  const lang = useLang();
  const log = useConsoleLog();
  const original = useMemo(() => sseDraftOf(config), [config]);
  const { draft, edit, reset, changed } = useSavedDraft(saveKey, original);
  const { url, client } = draft;
  const setUrl = (value: string) => edit({ url: value });
  const setClient = (value: Client) => edit({ client: value });
  const [state, setState] = useState<StreamState>('idle');
  const [lastId, setLastId] = useState<string | null>(null);
  const lastIdRef = useRef<string | null>(null);
  const source = useRef<EventSource | null>(null);
  const reading = useRef<AbortController | null>(null);
  const generation = useRef(0);

  const stopAll = () => {
    generation.current += 1;
    source.current?.close();
    source.current = null;
    reading.current?.abort();
    reading.current = null;
  };
  useEffect(() => stopAll, []);

  const rememberId = (id: string) => {
    lastIdRef.current = id;
    setLastId(id);
  };

  /** Starts looking for the captured GET of a stream that is being opened now. */
  const watchStream = (target: string, onFound?: (exchange: InspectedExchange) => void): Stream => {
    const after = captureTimeNow();
    const exchange = claimNextExchange(getCaptureStore(), { method: 'GET', target, after, accept: (candidate) => candidate.response !== undefined });
    void exchange.then((found) => {
      if (found) onFound?.(found);
    });
    return { exchange, seen: 0 };
  };

  /** The inspector selection of the `ordinal`-th block of a stream that `pick` keeps. */
  const blockLink = (stream: Stream, ordinal: number, pick: (message: WireMessage) => boolean) => async (): Promise<Selection | null> => {
    const exchange = await stream.exchange;
    if (!exchange?.response) return null;
    const bodyStart = exchange.response.bodyStart;
    const found = await waitForCapture(
      getCaptureStore(),
      (snapshot) => {
        const view = connectionView(snapshot, exchange.conn);
        const current = view?.exchanges.find((candidate) => candidate.index === exchange.index)?.response;
        const end = current?.range.end ?? Number.MAX_SAFE_INTEGER;
        return view?.messages.filter((message) => message.layer === 'sse-event' && message.dir === 'out' && message.range.start >= bodyStart && message.range.start < end && pick(message))[ordinal];
      },
      CAPTURE_WAIT_MS,
    );
    return found ? { conn: exchange.conn, message: found.index } : null;
  };

  const target = () => {
    const parsedUrl = new URL(url, window.location.origin);
    return `${parsedUrl.pathname}${parsedUrl.search}`;
  };

  const openEventSource = async () => {
    stopAll();
    const run = generation.current;
    await sessionReady();
    if (run !== generation.current) return;
    const path = target();
    log.add({ kind: 'info', text: say((t) => t.opening(path, null, 'EventSource')) });
    setState('connecting');
    const eventSource = new EventSource(path);
    source.current = eventSource;
    let stream = watchStream(path, (exchange) => onExchange?.(exchange));
    eventSource.onopen = () => {
      if (run !== generation.current) return;
      setState('connected');
      log.add({ kind: 'info', text: say((t) => t.openedEventSource), inspectLabel: 'GET', inspect: exchangeLink(stream), data: { event: 'open' } });
    };
    eventSource.onerror = () => {
      if (run !== generation.current) return;
      if (eventSource.readyState === EventSource.CLOSED) {
        setState('closed');
        log.add({ kind: 'error', text: say((t) => t.gaveUp) });
        return;
      }
      // CONNECTING again: the browser is about to send the GET once more, with Last-Event-ID.
      setState('reconnecting');
      log.add({ kind: 'error', text: say((t) => t.lost(lastIdRef.current ?? '')), data: { event: 'lost' } });
      stream = watchStream(path, (exchange) => onExchange?.(exchange));
    };
    const onEvent = (event: MessageEvent<string>) => {
      if (run !== generation.current) return;
      if (event.lastEventId) rememberId(event.lastEventId);
      const ordinal = stream.seen++;
      log.add({
        kind: 'received',
        badge: event.type,
        text: event.lastEventId ? `id ${event.lastEventId}` : '',
        detail: event.data,
        inspect: blockLink(stream, ordinal, (message) => message.fields?.dispatched === true),
        data: { event: event.type, id: event.lastEventId },
      });
    };
    for (const type of EVENT_SOURCE_TYPES) eventSource.addEventListener(type, onEvent as EventListener);
  };

  const exchangeLink = (stream: Stream) => async (): Promise<Selection | null> => {
    const exchange = await stream.exchange;
    return exchange ? { conn: exchange.conn, index: exchange.index } : null;
  };

  /** The fetch client: sends Last-Event-ID itself and shows every block of the stream. */
  const openFetch = async (resumeFrom: string | null) => {
    stopAll();
    const run = generation.current;
    const controller = new AbortController();
    reading.current = controller;
    await sessionReady();
    if (run !== generation.current) return;
    const path = target();
    log.add({ kind: 'info', text: say((t) => t.opening(path, resumeFrom, 'fetch')) });
    setState('connecting');
    const stream = watchStream(path, (exchange) => onExchange?.(exchange));
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (resumeFrom !== null) headers['Last-Event-ID'] = resumeFrom;
    try {
      const response = await fetch(path, { headers, cache: 'no-store', credentials: 'same-origin', signal: controller.signal });
      const contentType = response.headers.get('content-type') ?? '';
      if (run !== generation.current) return;
      if (response.status !== 200 || !/^text\/event-stream/i.test(contentType) || !response.body) {
        setState('closed');
        log.add({ kind: 'error', text: say((t) => t.notEventStream(response.status, contentType)), inspectLabel: 'GET', inspect: exchangeLink(stream) });
        void response.body?.cancel();
        return;
      }
      setState('connected');
      log.add({ kind: 'info', text: say((t) => t.opened(response.status, contentType)), inspectLabel: 'GET', inspect: exchangeLink(stream), data: { event: 'open' } });
      const reader = new SseStreamReader();
      const body = response.body.getReader();
      for (;;) {
        const { done, value } = await body.read();
        if (run !== generation.current) return;
        if (done) break;
        for (const event of reader.push(value)) showBlock(stream, event);
      }
      setState('closed');
      log.add({ kind: 'info', text: say((t) => t.ended), data: { event: 'ended' } });
    } catch (error) {
      if (run !== generation.current || controller.signal.aborted) return;
      setState('closed');
      log.add({ kind: 'error', text: say((t) => t.failed(error instanceof Error ? error.message : String(error))) });
    }
  };

  const showBlock = (stream: Stream, event: SseEvent) => {
    const ordinal = stream.seen++;
    const inspect = blockLink(stream, ordinal, () => true);
    if (event.id !== undefined) rememberId(event.id);
    const onlyComments = event.comments.length > 0 && event.dataLines.length === 0 && event.id === undefined && !event.hasRetry && event.type === undefined;
    if (onlyComments) {
      log.add({ kind: 'received', badge: say((t) => t.comment), text: `: ${event.comments.join(' · ')}`, inspect, data: { event: 'comment' } });
      return;
    }
    const facts = (t: SseStrings): string => {
      const parts: string[] = [];
      if (event.id !== undefined) parts.push(`id ${event.id}`);
      if (event.retry !== undefined) parts.push(t.retryField(event.retry));
      if (event.comments.length > 0) parts.push(`: ${event.comments.join(' · ')}`);
      if (!event.dispatched && event.id !== undefined && event.retry === undefined) parts.push(t.idOnly(event.id));
      return parts.join(' · ');
    };
    log.add({
      kind: 'received',
      badge: event.dispatched ? (event.type ?? 'message') : event.hasRetry ? 'retry' : 'id',
      text: say(facts),
      ...(event.data !== undefined ? { detail: event.data } : {}),
      inspect,
      data: { event: event.type ?? '', id: event.id ?? '' },
    });
  };

  const connect = () => (client === 'eventsource' ? openEventSource() : openFetch(null));

  const disconnect = () => {
    stopAll();
    setState('closed');
    log.add({ kind: 'info', text: say((t) => t.closedByPage), data: { event: 'closed' } });
  };

  // A page cannot make EventSource send an id it chose, so resuming on purpose needs fetch.
  const resume = () => void openFetch(lastIdRef.current);

  const dropAndResume = () => {
    reading.current?.abort();
    source.current?.close();
    void openFetch(lastIdRef.current);
  };

  const live = state === 'connecting' || state === 'connected' || state === 'reconnecting';
  return (
    <section className="rt-console" data-testid="cell" data-cell-id={cellId} data-kind="sse" aria-label={t.consoleLabel(cellId)} lang={lang}>
      <div className="rt-row rt-toolbar">
        <label className="rt-field rt-input-wide">
          {t.url}
          <input className="rt-input rt-input-wide" value={url} onChange={(event) => setUrl(event.target.value)} disabled={live} data-testid="sse-url" spellCheck={false} />
        </label>
        <label className="rt-field" title={t.clientHint}>
          {t.client}
          <select className="rt-input" value={client} onChange={(event) => setClient(event.target.value as Client)} disabled={live} data-testid="sse-client">
            <option value="eventsource">{t.eventSource}</option>
            <option value="fetch">{t.fetchReader}</option>
          </select>
        </label>
        {live ? (
          <button type="button" className="button" onClick={disconnect} data-testid="sse-disconnect">
            {t.disconnect}
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={connect} data-testid="sse-connect">
            {t.connect}
          </button>
        )}
        <span className="rt-state" data-testid="sse-state" data-state={state}>
          {t.state[state]}
        </span>
        <span className="rt-field" data-testid="sse-last-id">
          {lastId !== null ? t.lastId(lastId) : t.noLastId}
        </span>
        <span className="toolbar-spacer" />
        <AsCodeButton spec={() => (url.trim() === '' ? null : sseSpecOf(url))} />
        <ResetDraftButton changed={changed} onReset={reset} disabled={live} />
      </div>
      <div className="rt-row">
        <button type="button" className="button" onClick={resume} disabled={live || lastId === null} title={t.reconnectHint} data-testid="sse-resume">
          {t.reconnect(lastId ?? '…')}
        </button>
        <button type="button" className="button" onClick={dropAndResume} disabled={!live || lastId === null} title={t.dropClientHint} data-testid="sse-drop">
          {t.dropClient}
        </button>
        <p className="rt-note">{client === 'eventsource' ? t.eventSourceHides : t.clientHint}</p>
        <p className="rt-note">{t.dropUnavailable}</p>
      </div>
      <ConsoleLog entries={log.entries} trimmed={log.trimmed} onClear={log.clear} onInspect={onInspect} />
    </section>
  );
}
