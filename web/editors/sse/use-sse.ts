import type { Bilingual } from '../../../shared/bilingual.ts';
import { useEffect, useRef, useState } from 'react';
import { DOMAIN_EVENT_TYPES, GAP_EVENT, SHUTDOWN_EVENT } from '../../../contracts/sse/events.ts';
import { sessionReady } from '../../kit/session.ts';
import type { InspectedExchange } from '../../inspector/capture-store.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import type { SseEvent } from '../../../wire/sse/decode-sse.ts';
import type { WireMessage } from '../../../wire/types.ts';
import { connectionView } from '../console-kit/capture-links.ts';
import { bilingual, type useConsoleLog } from '../console-kit/console-log.tsx';
import { exchangeLink, findMessageSelection, requestsInTurn } from '../console-kit/inspector-links.ts';
import { messageOf } from '../console-kit/text.ts';
import { SseStreamReader } from './sse-reader.ts';
import { readOwnTarget } from '../target-switch/own-target.ts';
import { eventStreamRelayUrl } from '../target-switch/relay-urls.ts';
import { sseConsoleStrings } from './strings.ts';

type SseStrings = (typeof sseConsoleStrings)['en'];
const say = bilingual(sseConsoleStrings);

/**
 * Event types EventSource is told to listen for: a page receives a named event only through
 * addEventListener(type), so the console listens for every type the server publishes (the
 * domain's and the stream's own, taken from the server's constant-only modules) and "message",
 * the type of an event without `event:`.
 */
export const EVENT_SOURCE_TYPES = ['message', ...DOMAIN_EVENT_TYPES, GAP_EVENT, SHUTDOWN_EVENT] as const;

export type StreamState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** One GET of the stream: where its captured exchange is, and how many events it has shown. */
interface Stream {
  /** its captured exchange, looked for again at each ask after a miss */
  exchange(): Promise<InspectedExchange | null>;
  /** blocks the page saw on it (fetch: every block; EventSource: dispatched events only) */
  seen: number;
}

/** What one run of a client (EventSource or fetch) needs of the console. */
interface RunContext {
  log: ReturnType<typeof useConsoleLog>;
  /** false once the student started another run or left */
  stillCurrent(): boolean;
  setState(state: StreamState): void;
  rememberId(id: string): void;
  lastId(): string | null;
  /** starts looking for the captured GET of a stream opened now */
  watchStream(path: string): Stream;
  /**
   * Where the stream is read from: the path itself, or with "my server" chosen Wirelab's relay
   * (target-switch/); the GET the console links to is then Wirelab's to the student's server.
   */
  urlOf(path: string): string;
}

/** The inspector selection of the `ordinal`-th block of a stream that `pick` keeps. */
function blockLink(stream: Stream, ordinal: number, pick: (message: WireMessage) => boolean) {
  return async (): Promise<Selection | null> => {
    const exchange = await stream.exchange();
    if (!exchange?.response) return null;
    const bodyStart = exchange.response.bodyStart;
    return findMessageSelection((snapshot) => {
      const view = connectionView(snapshot, exchange.conn);
      const current = view?.exchanges.find((candidate) => candidate.index === exchange.index)?.response;
      const end = current?.range.end ?? Number.MAX_SAFE_INTEGER;
      return view?.messages.filter(
        (message) => message.layer === 'sse-event' && message.dir === 'out' && message.range.start >= bodyStart && message.range.start < end && pick(message),
      )[ordinal];
    });
  };
}

function runEventSource(context: RunContext, path: string): EventSource {
  const { log } = context;
  log.add({ kind: 'info', text: say((t) => t.opening(path, null, 'EventSource')) });
  context.setState('connecting');
  const eventSource = new EventSource(context.urlOf(path));
  let stream = context.watchStream(path);
  // After the server's server.shutdown event the stream's end and the failed reconnects while
  // it restarts are expected, not the student's doing: said as such until the stream opens again.
  const away = { sawShutdown: false, told: false };
  eventSource.onopen = () => {
    if (!context.stillCurrent()) return;
    away.sawShutdown = false;
    away.told = false;
    context.setState('connected');
    log.add({ kind: 'info', text: say((t) => t.openedEventSource), inspectLabel: 'GET', inspect: exchangeLink(stream.exchange), data: { event: 'open' } });
  };
  eventSource.onerror = () => {
    if (!context.stillCurrent()) return;
    if (eventSource.readyState === EventSource.CLOSED) {
      context.setState('closed');
      log.add({ kind: away.sawShutdown ? 'info' : 'error', text: say((t) => (away.sawShutdown ? t.gaveUpWhileAway : t.gaveUp)) });
      return;
    }
    // CONNECTING again: the browser is about to send the GET once more, with Last-Event-ID.
    context.setState('reconnecting');
    if (!away.sawShutdown) log.add({ kind: 'error', text: say((t) => t.lost(context.lastId() ?? '')), data: { event: 'lost' } });
    else if (!away.told) log.add({ kind: 'info', text: say((t) => t.serverStopping(context.lastId() ?? '')), data: { event: 'server-away' } });
    else log.add({ kind: 'info', text: say((t) => t.serverNotBack), data: { event: 'server-not-back' } });
    away.told ||= away.sawShutdown;
    stream = context.watchStream(path);
  };
  const onEvent = (event: MessageEvent<string>) => {
    if (!context.stillCurrent()) return;
    if (event.lastEventId) context.rememberId(event.lastEventId);
    if (event.type === SHUTDOWN_EVENT) away.sawShutdown = true;
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
  return eventSource;
}

/** The fetch client: sends Last-Event-ID itself and shows every block of the stream. */
async function runFetch(context: RunContext, path: string, resumeFrom: string | null, signal: AbortSignal): Promise<void> {
  const { log } = context;
  log.add({ kind: 'info', text: say((t) => t.opening(path, resumeFrom, 'fetch')) });
  context.setState('connecting');
  const stream = context.watchStream(path);
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (resumeFrom !== null) headers['Last-Event-ID'] = resumeFrom;
  try {
    const response = await fetch(context.urlOf(path), { headers, cache: 'no-store', credentials: 'same-origin', signal });
    const contentType = response.headers.get('content-type') ?? '';
    if (!context.stillCurrent()) return;
    if (response.status !== 200 || !/^text\/event-stream/i.test(contentType) || !response.body) {
      context.setState('closed');
      // Wirelab's relay could not reach the student's server: its problem says why, in both languages
      const fact = /^application\/problem\+json/i.test(contentType) ? localizedOf(await response.json().catch(() => null)) : null;
      log.add({
        kind: 'error',
        text: fact ?? say((t) => t.notEventStream(response.status, contentType)),
        inspectLabel: 'GET',
        inspect: exchangeLink(stream.exchange),
      });
      if (!fact) void response.body?.cancel();
      return;
    }
    context.setState('connected');
    log.add({
      kind: 'info',
      text: say((t) => t.opened(response.status, contentType)),
      inspectLabel: 'GET',
      inspect: exchangeLink(stream.exchange),
      data: { event: 'open' },
    });
    const reader = new SseStreamReader();
    const body = response.body.getReader();
    let sawShutdown = false;
    for (;;) {
      const { done, value } = await body.read();
      if (!context.stillCurrent()) return;
      if (done) break;
      for (const event of reader.push(value)) {
        if (event.dispatched && event.type === SHUTDOWN_EVENT) sawShutdown = true;
        showBlock(context, stream, event);
      }
    }
    context.setState('closed');
    if (sawShutdown) log.add({ kind: 'info', text: say((t) => t.serverEndedFetch(context.lastId())), data: { event: 'server-away' } });
    else log.add({ kind: 'info', text: say((t) => t.ended), data: { event: 'ended' } });
  } catch (error) {
    if (!context.stillCurrent() || signal.aborted) return;
    context.setState('closed');
    log.add({ kind: 'error', text: say((t) => t.failed(messageOf(error))) });
  }
}

function localizedOf(body: unknown): Bilingual | null {
  const localized = (body as { localized?: Bilingual } | null)?.localized;
  return localized && typeof localized.en === 'string' && typeof localized.ru === 'string' ? localized : null;
}

/** A block the fetch client read: an event, a comment, or an id or retry alone. */
function showBlock(context: RunContext, stream: Stream, event: SseEvent) {
  const ordinal = stream.seen++;
  const inspect = blockLink(stream, ordinal, () => true);
  if (event.id !== undefined) context.rememberId(event.id);
  const onlyComments = event.comments.length > 0 && event.dataLines.length === 0 && event.id === undefined && !event.hasRetry && event.type === undefined;
  if (onlyComments) {
    context.log.add({ kind: 'received', badge: say((t) => t.comment), text: `: ${event.comments.join(' · ')}`, inspect, data: { event: 'comment' } });
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
  context.log.add({
    kind: 'received',
    badge: event.dispatched ? (event.type ?? 'message') : event.hasRetry ? 'retry' : 'id',
    text: say(facts),
    ...(event.data !== undefined ? { detail: event.data } : {}),
    inspect,
    data: { event: event.type ?? '', id: event.id ?? '' },
  });
}

/**
 * The console's stream, by either client: one run at a time (a new one stops the old), the last
 * event id it saw, and the state its toolbar shows.
 */
export function useEventStream(log: ReturnType<typeof useConsoleLog>, onExchange: ((exchange: InspectedExchange) => void) | undefined) {
  const [state, setState] = useState<StreamState>('idle');
  const [lastId, setLastId] = useState<string | null>(null);
  const lastIdRef = useRef<string | null>(null);
  const source = useRef<EventSource | null>(null);
  const reading = useRef<AbortController | null>(null);
  const generation = useRef(0);
  // one GET per (re)connect: an old stream's look-again ends where the next one began
  const [streams] = useState(requestsInTurn);

  const stopAll = () => {
    generation.current += 1;
    source.current?.close();
    source.current = null;
    reading.current?.abort();
    reading.current = null;
  };
  useEffect(() => stopAll, []);

  /** A fresh run: the previous one stopped; null when another started while the session loaded. */
  const begin = async (): Promise<RunContext | null> => {
    stopAll();
    const run = generation.current;
    await sessionReady();
    if (run !== generation.current) return null;
    const own = readOwnTarget();
    return {
      log,
      stillCurrent: () => run === generation.current,
      setState,
      rememberId: (id) => {
        lastIdRef.current = id;
        setLastId(id);
      },
      lastId: () => lastIdRef.current,
      urlOf: (path) => (own.mode === 'mine' ? eventStreamRelayUrl(path, own.address, window.location.origin) : path),
      watchStream: (path) => ({
        exchange: streams.watch({ method: 'GET', target: path, accept: (candidate) => candidate.response !== undefined }, onExchange),
        seen: 0,
      }),
    };
  };

  const openEventSource = async (path: string) => {
    const context = await begin();
    if (context) source.current = runEventSource(context, path);
  };

  const openFetch = async (path: string, resumeFrom: string | null) => {
    const controller = new AbortController();
    const context = await begin();
    if (!context) return;
    reading.current = controller;
    await runFetch(context, path, resumeFrom, controller.signal);
  };

  const disconnect = () => {
    stopAll();
    setState('closed');
    log.add({ kind: 'info', text: say((t) => t.closedByPage), data: { event: 'closed' } });
  };

  const live = state === 'connecting' || state === 'connected' || state === 'reconnecting';
  return { state, live, lastId, lastIdNow: () => lastIdRef.current, openEventSource, openFetch, disconnect };
}
