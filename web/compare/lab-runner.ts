// Runs a job over each chosen protocol between two fences and measures what the tap recorded in
// between. A fence is one tiny app request (`GET /_wirelab/session?fence=…`): the tap stamps it,
// and the capture channel delivers chunks in the order the tap saw them, so once the closing
// fence is in the store, every byte of the run is too. The window between the fences is on the
// tap's clock, the one the chunks carry: no browser clock is compared with the server's.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { CaptureStore } from '../inspector/capture-store.ts';
import { captureTimeNow } from '../kit/session.ts';
import { measureEvents, measureRun, spreadOf, type ConnectionCapture, type RunWindow } from './measure.ts';
import { describeFailure, LabError } from './lab-error.ts';
import { performBurst, performRequestJob, subscribe } from './protocol-clients.ts';
import { RunnerClient } from './runner-client.ts';
import type { BurstProtocol, EventsProtocol, LabSettings, MeasuredRun, Protocol, ProtocolResult, RequestJob, RequestProtocol } from './lab-types.ts';
import { EVENTS_PROTOCOLS } from './lab-types.ts';

const FENCE_TIMEOUT_MS = 10_000;
const EVENT_TIMEOUT_MS = 15_000;

interface Fence {
  /** the fence request's first byte */
  start: number;
  /** its response's last byte */
  end: number;
}

let fenceCount = 0;

const RECORDING_OFF = {
  en: 'Recording is off (the inspector’s "record" switch): the lab measures the bytes it records, so it has nothing to show. Switch recording on and run again.',
  ru: 'Запись выключена (переключатель «запись» в инспекторе): лаборатория измеряет записанные байты, показать ей нечего. Включите запись и запустите снова.',
};

async function fence(store: CaptureStore): Promise<Fence> {
  // The server has confirmed recording is off: no marker can arrive, say so now rather than after the wait.
  if (!store.recording) throw new LabError(RECORDING_OFF.en, RECORDING_OFF.ru);
  fenceCount += 1;
  const target = `/_wirelab/session?fence=${Date.now().toString(36)}-${fenceCount}`;
  const after = captureTimeNow();
  const response = await fetch(target, { cache: 'no-store', credentials: 'same-origin' });
  await response.arrayBuffer();
  const exchange = await store.waitForExchange({ method: 'GET', target, after, timeoutMs: FENCE_TIMEOUT_MS });
  if (!exchange?.response) {
    throw new LabError(
      'The capture channel did not deliver the lab’s marker request: is recording on (the inspector’s "record" switch)?',
      'Канал перехвата не доставил служебный запрос-метку лаборатории: включена ли запись (переключатель «запись» в инспекторе)?',
    );
  }
  return { start: exchange.request.firstByteAt, end: exchange.response.lastByteAt };
}

/** Every connection the store holds, decoded to its last byte. */
async function captures(store: CaptureStore): Promise<ConnectionCapture[]> {
  for (let attempt = 0; attempt < 200 && !store.caughtUp(); attempt += 1) {
    store.getSnapshot();
    await sleep(25);
  }
  return store.connections().map((view) => ({
    connection: view.connection,
    chunks: store.chunksOf(view.connection.id).map((chunk) => ({ dir: chunk.dir, t: chunk.t, length: chunk.data.length })),
    exchanges: view.exchanges,
    messages: view.messages,
  }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: Bilingual): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new LabError(`Timed out waiting for ${what.en}`, `Не дождались: ${what.ru}`);
    await sleep(10);
  }
}

/**
 * A connection a protocol opened for itself (a WebSocket, an EventSource's stream, the runner's
 * h2c) sends its last bytes when it is closed — a close frame, a GOAWAY — a moment after the
 * protocol is done. The lab waits for them, then leaves those connections out of every later
 * measure, so that no protocol is charged for another's goodbye.
 */
async function retire(store: CaptureStore, conns: Iterable<string>, retired: Set<string>): Promise<void> {
  const ids = new Set(conns);
  const deadline = Date.now() + 3000;
  const owned = () =>
    store
      .connections()
      .filter((view) => ids.has(view.connection.id))
      .filter(
        (view) => view.connection.transport !== 'http/1.1' || view.exchanges.some((exchange) => exchange.upgrade || isStream(exchange.response?.headers)),
      );
  while (Date.now() < deadline && owned().some((view) => view.connection.closedAt === undefined)) await sleep(50);
  for (const view of owned()) retired.add(view.connection.id);
}

function isStream(headers: ReadonlyArray<[string, string]> | undefined): boolean {
  return (headers ?? []).some(([name, value]) => name.toLowerCase() === 'content-type' && value.startsWith('text/event-stream'));
}

/** The h2c connections the store knows that carried a request to this path after `after`. */
function connsCarrying(store: CaptureStore, path: string, after: number): string[] {
  return store
    .connections()
    .filter((view) => view.exchanges.some((exchange) => exchange.request.path === path && exchange.request.firstByteAt >= after))
    .map((view) => view.connection.id);
}

/** The lower median: always one real run's number, never an average of two. */
function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer().then((buffer) => buffer.byteLength);
}

/** The response bodies (HTTP/1.1) or DATA payloads (HTTP/2) a run received, concatenated. */
function bodiesDown(all: readonly ConnectionCapture[], conns: readonly string[], window: RunWindow): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const capture of all) {
    if (!conns.includes(capture.connection.id)) continue;
    for (const exchange of capture.exchanges) {
      if (exchange.request.firstByteAt > window.from && exchange.request.firstByteAt < window.to && exchange.response) parts.push(exchange.response.body);
    }
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

function requestJobOf(settings: LabSettings): RequestJob {
  switch (settings.job) {
    case 'list':
      return { kind: 'list', size: settings.size };
    case 'create':
      return { kind: 'create' };
    case 'by-id':
      return { kind: 'by-id', count: settings.byIdCount, graphqlBatching: settings.graphqlBatching };
    default:
      return { kind: 'read' };
  }
}

/** The GraphQL rows of the by-id job are the ones the batching knob changes. */
export function batchingApplies(protocol: Protocol, job: LabSettings['job']): boolean {
  return job === 'by-id' && (protocol === 'graphql-post' || protocol === 'graphql-get');
}

export function summarize(protocol: Protocol, settings: LabSettings, runs: MeasuredRun[]): ProtocolResult {
  const measures = runs.map((run) => run.measure);
  const latencies = runs.flatMap((run) => run.events?.latenciesMs ?? []);
  const idle = runs.flatMap((run) => (run.events?.idleBytesPerMinute != null ? [run.events.idleBytesPerMinute] : []));
  return {
    protocol,
    job: settings.job,
    size: settings.size,
    ...(settings.job === 'by-id' ? { byIdCount: settings.byIdCount } : {}),
    ...(batchingApplies(protocol, settings.job) ? { graphqlBatching: settings.graphqlBatching } : {}),
    runs,
    bytesUp: lowerMedian(measures.map((m) => m.bytesUp)),
    bytesDown: lowerMedian(measures.map((m) => m.bytesDown)),
    payloadUp: lowerMedian(measures.map((m) => m.payloadUp)),
    payloadDown: lowerMedian(measures.map((m) => m.payloadDown)),
    opened: lowerMedian(measures.map((m) => m.opened)),
    roundTrips: lowerMedian(measures.map((m) => m.roundTrips)),
    versions: [...new Set(measures.flatMap((m) => m.versions))],
    ttfb: spreadOf(measures.map((m) => m.ttfbMs)),
    total: spreadOf(measures.map((m) => m.totalMs)),
    latency: spreadOf(latencies),
    idleBytesPerMinute: idle.length > 0 ? lowerMedian(idle) : null,
  };
}

function failed(protocol: Protocol, settings: LabSettings, error: unknown): ProtocolResult {
  return { ...summarize(protocol, settings, []), failure: describeFailure(error) };
}

export interface RunProgress {
  protocol: Protocol;
  step: number;
  steps: number;
}

/** Runs the request job (read, list, create) over one protocol: warm-up if asked, then measured runs. */
async function runRequestProtocol(
  store: CaptureStore,
  protocol: RequestProtocol | BurstProtocol,
  settings: LabSettings,
  retired: Set<string>,
): Promise<ProtocolResult> {
  const job = requestJobOf(settings);
  let runner: RunnerClient | null = null;
  const currentRunner = () => (runner ??= new RunnerClient());
  const performJob = (getRunner: () => RunnerClient) =>
    settings.job === 'burst'
      ? performBurst(protocol as BurstProtocol, settings.events, getRunner)
      : performRequestJob(protocol as RequestProtocol, job, getRunner);
  const used = new Set<string>();
  try {
    if (settings.warm) await performJob(currentRunner);
    const runs: MeasuredRun[] = [];
    for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
      if (!settings.warm && runner) {
        // cold: a new runner channel is a new h2c connection, as a new gRPC client would open
        (runner as RunnerClient).close();
        runner = null;
        await retire(store, used, retired);
      }
      const before = await fence(store);
      const answer = await performJob(currentRunner);
      const after = await fence(store);
      const window = { from: before.end, to: after.start };
      const all = await captures(store);
      const measure = measureRun(all, window, retired);
      for (const conn of measure.conns) used.add(conn);
      const run: MeasuredRun = { measure, items: answer.items, sqlStatements: answer.sqlStatements };
      runs.push(run);
      if (repetition === 0) run.gzipDown = await gzipSize(bodiesDown(all, measure.conns, window));
    }
    const result = summarize(protocol, settings, runs);
    return { ...result, gzipPayloadDown: runs[0]?.gzipDown };
  } catch (error) {
    return failed(protocol, settings, error);
  } finally {
    (runner as RunnerClient | null)?.close();
    await retire(store, used, retired);
  }
}

/**
 * The events job over one protocol: subscribe, cause `events` new users one by one (each waits
 * for the subscriber to get it), then watch the idle connection for `idleSeconds`. The users are
 * created through the gRPC runner on a connection of its own, opened before the run and left out
 * of the measure: the trigger must not be counted as the subscriber's cost.
 */
async function runEventsProtocol(store: CaptureStore, protocol: EventsProtocol, settings: LabSettings, retired: Set<string>): Promise<ProtocolResult> {
  const trigger = new RunnerClient();
  // the subscriber's connections, retired after each repetition; the trigger's stays open to the end
  const used = new Set<string>();
  let triggerConn: string | null = null;
  const chat: { runner: RunnerClient | null } = { runner: null };
  try {
    const warmAt = captureTimeNow();
    await trigger.call('wirelab.users.v1.UserService/GetUser', { id: 1 });
    const warmExchange = await store.waitForExchange({
      method: 'POST',
      target: '/wirelab.users.v1.UserService/GetUser',
      after: warmAt,
      timeoutMs: FENCE_TIMEOUT_MS,
    });
    if (!warmExchange)
      throw new LabError('The connection that creates the users was not captured.', 'Соединение, которое создаёт пользователей, не попало в перехват.');
    triggerConn = warmExchange.conn;

    const runs: MeasuredRun[] = [];
    for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
      const before = await fence(store);
      const subscriber = subscribe(protocol, () => (chat.runner ??= new RunnerClient()));
      try {
        await Promise.race([
          subscriber.ready,
          sleep(EVENT_TIMEOUT_MS).then(() => Promise.reject(new LabError('The subscription did not start.', 'Подписка не началась.'))),
        ]);
        for (let index = 0; index < settings.events; index += 1) {
          const result = await trigger.call('wirelab.users.v1.UserService/CreateUser', {
            name: `Lab Event ${index + 1}`,
            email: `lab-event-${Date.now().toString(36)}-${index}@example.com`,
          });
          if (result.code !== 0) throw new Error(`CreateUser: ${result.name}`);
          await waitUntil(() => subscriber.received() > index, EVENT_TIMEOUT_MS, { en: `event ${index + 1}`, ru: `событие ${index + 1}` });
        }
        const delivered = await fence(store);
        // Idle cost (heartbeats, pings, re-polls) is a steady state: the last run alone watches
        // it, so the job waits one idle window per protocol, not one per run.
        let idleWindow: RunWindow | null = null;
        if (repetition === settings.repetitions - 1) {
          await sleep(settings.idleSeconds * 1000);
          const idleEnd = await fence(store);
          idleWindow = { from: delivered.end, to: idleEnd.start };
        }
        const window = { from: before.end, to: delivered.start };
        const all = await captures(store);
        const exclude = new Set([...retired, triggerConn]);
        const measure = measureRun(all, window, exclude);
        // a long poll may move to a fresh keep-alive connection while idle: it is still the subscriber's
        const idleConns = idleWindow ? measureRun(all, idleWindow, exclude).conns : [];
        const subscriberConns = all.filter((capture) => measure.conns.includes(capture.connection.id) || idleConns.includes(capture.connection.id));
        const triggerTimes = all
          .filter((capture) => capture.connection.id === triggerConn)
          .flatMap((capture) => capture.exchanges)
          .filter(
            (exchange) =>
              exchange.request.path.endsWith('/CreateUser') && exchange.request.firstByteAt > window.from && exchange.request.firstByteAt < window.to,
          )
          .map((exchange) => exchange.request.lastByteAt);
        const events = measureEvents(subscriberConns, triggerTimes, idleWindow);
        runs.push({ measure, events, items: subscriber.received() });
        for (const capture of subscriberConns) used.add(capture.connection.id);
      } finally {
        subscriber.close();
        chat.runner?.close();
        chat.runner = null;
        await retire(store, used, retired);
      }
    }
    return summarize(protocol, settings, runs);
  } catch (error) {
    return failed(protocol, settings, error);
  } finally {
    trigger.close();
    if (triggerConn) used.add(triggerConn);
    await retire(store, used, retired);
  }
}

/**
 * The list job asks for up to 100 users and the demo data has 13: the missing ones are created
 * first (one gRPC client stream through the runner), before any fence, so they are no part of a
 * measure. Returns how many were added.
 */
export async function ensureUsers(count: number): Promise<number> {
  const page = (await (await fetch('/api/v1/users?limit=1', { cache: 'no-store' })).json()) as { total?: number };
  const missing = count - (page.total ?? 0);
  if (missing <= 0) return 0;
  const runner = new RunnerClient();
  try {
    const stamp = Date.now().toString(36);
    const users = Array.from({ length: missing }, (_, index) => ({ user: { name: `Lab User ${index + 1}`, email: `lab-${stamp}-${index}@example.com` } }));
    const result = await runner.stream('wirelab.users.v1.UserService/CreateUsers', users);
    if (result.code !== 0) throw new Error(`CreateUsers: ${result.name} ${result.message}`);
    return missing;
  } finally {
    runner.close();
  }
}

/** Runs the settings' job over each chosen protocol in turn; results arrive one protocol at a time. */
export async function runLab(
  store: CaptureStore,
  settings: LabSettings,
  onResult: (result: ProtocolResult) => void,
  onProgress: (progress: RunProgress) => void,
  onSeeded: (added: number) => void = () => {},
): Promise<void> {
  const retired = new Set<string>();
  if (settings.job === 'list') {
    const since = captureTimeNow();
    const added = await ensureUsers(settings.size);
    if (added > 0) {
      onSeeded(added);
      await fence(store);
      await retire(store, connsCarrying(store, '/wirelab.users.v1.UserService/CreateUsers', since), retired);
    }
  }
  const protocols = settings.protocols;
  for (const [index, protocol] of protocols.entries()) {
    onProgress({ protocol, step: index + 1, steps: protocols.length });
    const isEvents = (EVENTS_PROTOCOLS as readonly string[]).includes(protocol);
    const result = isEvents
      ? await runEventsProtocol(store, protocol as EventsProtocol, settings, retired)
      : await runRequestProtocol(store, protocol as RequestProtocol | BurstProtocol, settings, retired);
    onResult(result);
  }
}
