// What one run of the comparison lab cost on the wire, computed from the tap's captured chunks
// and the decoders' view of them. Pure: no DOM, no React, no clock of its own. Every time is the
// tap's (server clock, ms since the epoch), every byte a recorded one.
import { isAppTraffic } from '../../contracts/exercise-checks/app-traffic.ts';
import type { CapturedConnection, HttpExchange, WireMessage } from '../../wire/types.ts';

/** The part of a captured chunk a measure needs. */
export interface ChunkFact {
  dir: 'in' | 'out';
  t: number;
  length: number;
}

/** One connection as the capture store holds it. */
export interface ConnectionCapture {
  connection: CapturedConnection;
  chunks: readonly ChunkFact[];
  exchanges: readonly HttpExchange[];
  messages: readonly WireMessage[];
}

/**
 * Open interval (from, to) on the tap's clock: from = the last byte of the fence before the run,
 * to = the first byte of the fence after it (`fence` in lab-runner.ts).
 */
export interface RunWindow {
  from: number;
  to: number;
}

export type WireVersion = 'HTTP/1.1' | 'HTTP/2' | 'MQTT';

export interface RunMeasure {
  window: RunWindow;
  /** the connections that carried the run, oldest first */
  conns: string[];
  /** of them, opened inside the window (a new TCP connection: a cold start) */
  opened: number;
  /** client → server and server → client, every recorded byte */
  bytesUp: number;
  bytesDown: number;
  /** the application's own bytes: HTTP bodies, WebSocket payloads, HTTP/2 DATA payloads */
  payloadUp: number;
  payloadDown: number;
  /** HTTP requests (HTTP/2 streams and WebSocket upgrades included) that started in the window */
  roundTrips: number;
  versions: WireVersion[];
  /** first request's first byte → its response's first byte; null without a response */
  ttfbMs: number | null;
  /** first byte in → last byte out in the window */
  totalMs: number | null;
  /** the exchange the inspector opens at for this run */
  focus: { conn: string; index: number } | null;
}

const inWindow = (t: number, window: RunWindow) => t > window.from && t < window.to;

/**
 * A connection that only carries the app's own traffic (the session, the fences, the runner's
 * and the capture channel's WebSockets) is not part of what the student compares.
 */
export function isAppConnection(capture: ConnectionCapture, window: RunWindow): boolean {
  const upgrade = capture.exchanges.find((exchange) => exchange.upgrade);
  if (upgrade) return isAppTraffic(upgrade.request);
  const during = capture.exchanges.filter((exchange) => overlaps(exchange, window));
  return during.length > 0 && during.every((exchange) => isAppTraffic(exchange.request));
}

function overlaps(exchange: HttpExchange, window: RunWindow): boolean {
  const start = exchange.request.firstByteAt;
  const end = exchange.response?.lastByteAt ?? exchange.request.lastByteAt;
  return end > window.from && start < window.to;
}

/** The connections a run used: bytes inside its window, not the app's own, not excluded. */
export function runConnections(captures: readonly ConnectionCapture[], window: RunWindow, exclude: ReadonlySet<string> = new Set()): ConnectionCapture[] {
  return captures
    .filter((capture) => !exclude.has(capture.connection.id))
    .filter((capture) => capture.chunks.some((chunk) => inWindow(chunk.t, window)))
    .filter((capture) => !isAppConnection(capture, window))
    .sort((a, b) => a.connection.openedAt - b.connection.openedAt);
}

/** Bytes of one direction recorded inside the window on these connections. */
export function bytesIn(captures: readonly ConnectionCapture[], window: RunWindow, dir: 'in' | 'out'): number {
  let sum = 0;
  for (const capture of captures) for (const chunk of capture.chunks) if (chunk.dir === dir && inWindow(chunk.t, window)) sum += chunk.length;
  return sum;
}

function versionOf(connection: CapturedConnection): WireVersion {
  if (connection.transport === 'h2c') return 'HTTP/2';
  if (connection.transport === 'mqtt') return 'MQTT';
  return 'HTTP/1.1';
}

/**
 * The application's bytes in the window: the bodies of HTTP/1.1 requests and responses that
 * started in it, the payload of every WebSocket frame and HTTP/2 DATA frame that crossed in it.
 * What is left of the bytes (start lines, headers, chunked framing, frame headers, HPACK, the
 * HTTP/2 preface and SETTINGS) is the protocol's overhead.
 */
function payloadOf(capture: ConnectionCapture, window: RunWindow, dir: 'in' | 'out'): number {
  let sum = 0;
  const framed = capture.messages.filter((message) => message.dir === dir && inWindow(message.at, window));
  for (const message of framed) {
    if (message.layer === 'ws-frame') sum += numberField(message, 'length');
    else if (message.layer === 'h2-frame' && message.fields?.type === 'DATA') sum += numberField(message, 'length');
  }
  if (capture.connection.transport !== 'http/1.1') return sum;
  for (const exchange of capture.exchanges) {
    if (!inWindow(exchange.request.firstByteAt, window) || isAppTraffic(exchange.request)) continue;
    if (dir === 'in') sum += exchange.request.body.length;
    else sum += exchange.response?.body.length ?? 0;
  }
  return sum;
}

function numberField(message: WireMessage, name: string): number {
  const value = message.fields?.[name];
  return typeof value === 'number' ? value : 0;
}

/** Everything a run cost, from what the tap recorded between its fences. */
export function measureRun(captures: readonly ConnectionCapture[], window: RunWindow, exclude: ReadonlySet<string> = new Set()): RunMeasure {
  const used = runConnections(captures, window, exclude);
  const exchanges = used
    .flatMap((capture) => capture.exchanges)
    .filter((exchange) => inWindow(exchange.request.firstByteAt, window) && !isAppTraffic(exchange.request))
    .sort((a, b) => a.request.firstByteAt - b.request.firstByteAt);
  const times = used.flatMap((capture) => capture.chunks.filter((chunk) => inWindow(chunk.t, window)));
  const firstIn = min(times.filter((chunk) => chunk.dir === 'in').map((chunk) => chunk.t));
  const lastOut = max(times.filter((chunk) => chunk.dir === 'out').map((chunk) => chunk.t));
  const first = exchanges[0];
  const versions = [...new Set(used.map((capture) => versionOf(capture.connection)))];
  return {
    window,
    conns: used.map((capture) => capture.connection.id),
    opened: used.filter((capture) => inWindow(capture.connection.openedAt, window)).length,
    bytesUp: bytesIn(used, window, 'in'),
    bytesDown: bytesIn(used, window, 'out'),
    payloadUp: sumOf(used.map((capture) => payloadOf(capture, window, 'in'))),
    payloadDown: sumOf(used.map((capture) => payloadOf(capture, window, 'out'))),
    roundTrips: exchanges.length,
    versions,
    ttfbMs: first?.response ? round(first.response.firstByteAt - first.request.firstByteAt) : null,
    totalMs: firstIn !== null && lastOut !== null && lastOut >= firstIn ? round(lastOut - firstIn) : null,
    focus: first ? { conn: first.conn, index: first.index } : null,
  };
}

export interface EventsMeasure {
  /** per event: the trigger's last byte in → the first byte out to the subscriber after it */
  latenciesMs: number[];
  /** bytes both ways on the subscriber's connections while nothing happened, per minute; null when this run watched no idle window */
  idleBytesPerMinute: number | null;
  idleBytes: number | null;
  idleWindow: RunWindow | null;
}

/**
 * Event delivery: `triggers` are the times (tap clock) the requests that caused each event were
 * fully in; an event's latency is how long until the subscriber's connections carried the next
 * byte out. The idle window has no trigger: what crosses then is heartbeats, pings, re-polls.
 */
export function measureEvents(subscriber: readonly ConnectionCapture[], triggers: readonly number[], idle: RunWindow | null): EventsMeasure {
  const outs = subscriber.flatMap((capture) => capture.chunks.filter((chunk) => chunk.dir === 'out').map((chunk) => chunk.t)).sort((a, b) => a - b);
  const sorted = [...triggers].sort((a, b) => a - b);
  const latenciesMs: number[] = [];
  sorted.forEach((trigger, index) => {
    const next = sorted[index + 1] ?? Number.POSITIVE_INFINITY;
    const delivered = outs.find((t) => t > trigger && t < next);
    if (delivered !== undefined) latenciesMs.push(round(delivered - trigger));
  });
  if (!idle) return { latenciesMs, idleBytes: null, idleWindow: null, idleBytesPerMinute: null };
  const idleBytes = bytesIn(subscriber, idle, 'in') + bytesIn(subscriber, idle, 'out');
  const minutes = (idle.to - idle.from) / 60_000;
  return { latenciesMs, idleBytes, idleWindow: idle, idleBytesPerMinute: minutes > 0 ? Math.round(idleBytes / minutes) : 0 };
}

/** Median and spread of several runs' values (nulls left out). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  count: number;
}

export function spreadOf(values: ReadonlyArray<number | null>): Spread | null {
  const present = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (present.length === 0) return null;
  const middle = Math.floor(present.length / 2);
  const median = present.length % 2 === 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
  return { median: round(median), min: present[0], max: present[present.length - 1], count: present.length };
}

function sumOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0);
}

function min(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.min(...values);
}

function max(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.max(...values);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
