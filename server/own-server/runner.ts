// Runs one protocol's suite against the student's server: first a TCP probe (refused by the
// guard, or nothing listening: the report says so and no check runs), then every check in order,
// each within its time limit, a thrown error counted as that check's failure.
import type { Bilingual } from '../../shared/bilingual.ts';
import {
  countOutcomes,
  type CapturedConnectionRef,
  type CheckedProtocol,
  type CheckReport,
  type CheckResult,
  type UnreachableReason,
} from '../../contracts/own-server/check-result.ts';
import { createAddressGuard, OwnServerRefusal, type AddressGuard, type GuardPolicy, type Resolver } from './address-guard.ts';
import { NoAnswer, seenOn, SilenceWatch, type CheckDefinition, type CheckSuite, type Observation, type SuiteContext } from './check-kit.ts';
import { CheckStopped, ConnectionBudget, openGuardedSocket, parseTarget, type OutboundTap, type Target } from './connection.ts';
import { connectionFact, hostHint } from './connection-facts.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { restSuite } from './checks/rest.ts';
import { websocketSuite } from './checks/websocket.ts';
import { sseSuite } from './checks/sse.ts';
import { grpcSuite } from './checks/grpc.ts';
import { graphqlSuite } from './checks/graphql.ts';
import { answersAsWirelab, noWirelabHere, type ChecksArrivingBack, type Peer, type WirelabItselfTest, type WirelabSeen } from './wirelab-itself.ts';
import { mqttSuite } from './checks/mqtt.ts';
import { gatewaySuite } from './checks/gateway.ts';
import { longPollingSuite } from './checks/long-polling.ts';
import { socketIoSuite } from './checks/socket-io.ts';
import { grpcWebSocketSuite } from './checks/grpc-websocket.ts';

/** Every protocol's suite, its shared state hidden behind the one function that runs it. */
const SUITES: { [P in CheckedProtocol]: (context: SuiteContext) => Promise<CheckResult[]> } = {
  rest: (context) => runSuite(restSuite, context),
  websocket: (context) => runSuite(websocketSuite, context),
  sse: (context) => runSuite(sseSuite, context),
  grpc: (context) => runSuite(grpcSuite, context),
  graphql: (context) => runSuite(graphqlSuite, context),
  mqtt: (context) => runSuite(mqttSuite, context),
  gateway: (context) => runSuite(gatewaySuite, context),
  'long-polling': (context) => runSuite(longPollingSuite, context),
  'socket-io': (context) => runSuite(socketIoSuite, context),
  'grpc-websocket': (context) => runSuite(grpcWebSocketSuite, context),
};

export interface RunOptions {
  guard: AddressGuard;
  budget?: ConnectionBudget;
  resolver?: Resolver;
  /**
   * Aborted when whoever asked is gone (the route aborts it when the browser's request closes):
   * every connection the suite holds is destroyed at once, no new one opens, no further check
   * runs, and the report that still comes back is for nobody.
   */
  signal?: AbortSignal;
  /** Is the peer the probe reached Wirelab's own listening port (`targetIsWirelab`)? Absent: nobody listens here. */
  isWirelab?: WirelabItselfTest;
  /** Where Wirelab's listener reports what arrives (wirelab-itself.ts): the run is marked and watched for. Absent: nobody listens here. */
  arrivingBack?: ChecksArrivingBack;
  /** Records the suite's connections in the byte tap for the session that asked; each result names its own. */
  tap?: OutboundTap;
}

interface ProbeRefusal {
  reason: UnreachableReason;
  refusal: Bilingual;
}

const STOPPED: Bilingual = {
  en: 'The check was stopped: the page that asked for it was closed or cancelled it.',
  ru: 'Проверка остановлена: страница, которая её запросила, закрыта или отменила её.',
};

/** The rest of a report in which no check ran: nothing was connected to, so nothing was Wirelab. */
function noResults(): Pick<CheckReport, 'targetIsWirelab' | 'counts' | 'results'> {
  return { targetIsWirelab: false, counts: { passed: 0, failed: 0, notOffered: 0 }, results: [] };
}

/** The peer the probe connected to, or why no check can run. */
function probe(target: Target, context: Omit<SuiteContext, 'signal'>): Promise<{ peer: Peer } | ProbeRefusal> {
  return new Promise((resolve) => {
    const socket = openGuardedSocket(target, context);
    socket.once('connect', () => {
      const peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
      // The guard's own check of the peer runs on 'connect' too; let it speak first (a refusal
      // destroys the socket with an error, which resolves below).
      setImmediate(() => {
        if (socket.destroyed) return;
        socket.destroy();
        resolve({ peer });
      });
    });
    socket.once('error', (error: Error) => {
      if (error instanceof OwnServerRefusal) return resolve({ reason: 'refused', refusal: error.localized });
      if (error instanceof CheckStopped) return resolve({ reason: 'stopped', refusal: STOPPED });
      const hint = hostHint(error, target);
      resolve({
        reason: 'no-answer',
        refusal: {
          en: `Nothing answered at ${target.host}:${target.port} (${error.message}). ${hint?.en ?? 'Is your server running on that port?'}`,
          ru: `По адресу ${target.host}:${target.port} никто не ответил (${error.message}). ${hint?.ru ?? 'Ваш сервер запущен на этом порту?'}`,
        },
      });
    });
  });
}

/** A wait that ended with nothing, said in both languages: what was awaited, for how long. */
function noAnswerFact(error: NoAnswer, silent: boolean): Bilingual {
  const seconds = error.ms / 1000;
  const stop = silent
    ? {
        en: ' Not one byte came on that connection: the suite stops here.',
        ru: ' По этому соединению не пришло ни байта: набор проверок на этом останавливается.',
      }
    : { en: '', ru: '' };
  return {
    en: `No answer within ${seconds} s (waiting for ${error.what.en}).${stop.en}`,
    ru: `Нет ответа за ${String(seconds).replace('.', ',')}\u00a0с (ждали: ${error.what.ru}).${stop.ru}`,
  };
}

/**
 * Runs one check. `prepared`: the connections the suite's preparation opened, which a check that
 * opens none of its own judged (the REST suite's first check reads the user its preparation made).
 */
async function runCheck<State>(check: CheckDefinition<State>, context: SuiteContext, state: State, prepared?: CapturedConnectionRef[]): Promise<CheckResult> {
  let observation: Observation;
  // What a check before opened (a connection still closing) is not this check's.
  context.tap?.takeOpened();
  // A check that broke off (its connection refused, say) judged nothing the preparation made.
  let judgedPrepared = true;
  try {
    observation = await check.run(context, state);
  } catch (error) {
    judgedPrepared = false;
    const message =
      error instanceof OwnServerRefusal
        ? error.localized
        : error instanceof NoAnswer
          ? noAnswerFact(error, context.silence?.what === error.what)
          : connectionFact(error, context.target);
    const text = error instanceof Error ? error.message : String(error);
    const seen = seenOn(error);
    observation = {
      outcome: 'fail',
      sent: seen?.sent ?? '',
      got: seen ? `${seen.got}\n\n(${text})` : text,
      difference: message ?? { en: `The check could not finish: ${text}`, ru: `Проверка не смогла завершиться: ${text}` },
    };
  }
  const opened = context.tap?.takeOpened();
  const connections = opened && opened.length === 0 && prepared && judgedPrepared ? prepared : opened;
  return { id: check.id, name: check.name, expected: check.expected, why: check.why, ...observation, ...(connections ? { connections } : {}) };
}

export async function runChecks(protocol: CheckedProtocol, targetText: string, options: RunOptions): Promise<CheckReport> {
  const target = parseTarget(targetText);
  if (!target) {
    return {
      protocol,
      target: targetText,
      reachable: false,
      reason: 'bad-target',
      refusal: badTarget(targetText),
      ...noResults(),
    };
  }
  const stop = options.signal;
  const connection = { guard: options.guard, budget: options.budget ?? new ConnectionBudget(), resolver: options.resolver, target, stop, tap: options.tap };
  const probed = await probe(target, connection);
  if (!('peer' in probed)) return { protocol, target: targetText, reachable: false, ...probed, ...noResults() };
  // the peer itself, or Wirelab behind a forwarder (wirelab-itself.ts): asked only where Wirelab listens
  let wirelabSeen: WirelabSeen | undefined = (options.isWirelab ?? noWirelabHere)(probed.peer) ? 'peer' : undefined;
  if (!wirelabSeen && options.isWirelab !== undefined && (await answersAsWirelab(() => openGuardedSocket(target, connection))))
    wirelabSeen = 'answers-as-wirelab';
  const timeout = AbortSignal.timeout(OWN_SERVER_LIMITS.suiteTimeoutMs);
  const silence = new SilenceWatch();
  const signal = AbortSignal.any(stop ? [timeout, stop, silence.signal] : [timeout, silence.signal]);
  // where Wirelab listens, every request of the suite carries the run's mark: one that comes back here was forwarded to Wirelab
  const run = options.isWirelab !== undefined ? await options.arrivingBack?.begin() : undefined;
  let results: CheckResult[];
  try {
    results = await SUITES[protocol]({ ...connection, signal, silence, runMark: run?.mark });
  } finally {
    await run?.end();
  }
  if (!wirelabSeen && run?.arrivedBack()) wirelabSeen = 'requests-arrived-back';
  const neverAnswered = silence.what ? { neverAnswered: silence.what } : {};
  const seen = wirelabSeen ? { wirelabSeen } : {};
  return {
    protocol,
    target: targetText,
    reachable: true,
    targetIsWirelab: wirelabSeen !== undefined,
    ...seen,
    counts: countOutcomes(results),
    results,
    ...neverAnswered,
  };
}

export function badTarget(targetText: string): Bilingual {
  return { en: `"${targetText}" is not host:port, e.g. 127.0.0.1:8000.`, ru: `«${targetText}» — не host:port, например 127.0.0.1:8000.` };
}

/** Why the suite stopped at a silent connection, for every check it then did not run. */
export function neverAnsweredNote(what: Bilingual): Bilingual {
  const seconds = OWN_SERVER_LIMITS.checkTimeoutMs / 1000;
  return {
    en: `Not run: the server accepted the connection that waited for ${what.en} and sent not one byte in ${seconds} s, so the suite stopped there instead of waiting that long for every check.`,
    ru: `Не запускалась: сервер принял соединение, которое ждало «${what.ru}», и за ${seconds}\u00a0с не прислал ни байта, поэтому набор остановился, а не ждал столько же на каждой проверке.`,
  };
}

/** A check the suite never ran: its time was out, its server never answered, or the page that asked is gone. */
function notRun<State>(check: CheckDefinition<State>, signal: AbortSignal, silence?: SilenceWatch): CheckResult {
  const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
  const seconds = OWN_SERVER_LIMITS.suiteTimeoutMs / 1000;
  const difference: Bilingual = silence?.what
    ? neverAnsweredNote(silence.what)
    : timedOut
      ? {
          en: `Not run: the whole suite may take ${seconds} s, and that time was up.`,
          ru: `Не запускалась: на весь набор проверок отведено ${seconds}\u00a0с, и это время вышло.`,
        }
      : STOPPED;
  return { id: check.id, name: check.name, expected: check.expected, why: check.why, outcome: 'fail', sent: '', got: '', difference };
}

async function runSuite<State>(suite: CheckSuite<State>, context: SuiteContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  context.tap?.takeOpened();
  const state = await suite.prepare(context);
  const prepared = context.tap?.takeOpened();
  try {
    for (const check of suite.checks) {
      results.push(context.signal.aborted ? notRun(check, context.signal, context.silence) : await runCheck(check, context, state, prepared));
    }
  } finally {
    // Cleaning up after a suite that ran out of time still may (its waits have their own limits);
    // after the page went away it may not: the stop signal refuses every new connection. A server
    // that never answered would make every deletion wait its 5 s for nothing: none is sent.
    const cleanUpSignal = context.stop ?? new AbortController().signal;
    if (!context.silence?.what) await suite.cleanUp?.({ ...context, signal: cleanUpSignal }, state).catch(() => undefined);
  }
  return results;
}

/** `tap`: where the suite's connections are recorded (the asking session's captures), if anywhere. */
export type OwnServerChecker = (
  protocol: CheckedProtocol,
  target: string,
  studentAddress: string,
  signal?: AbortSignal,
  tap?: OutboundTap,
) => Promise<CheckReport>;

/**
 * What a route for the web page will call with the request's address (`request.ip`): one guard per
 * student built from that address, one connection budget for the whole process, and one suite at
 * a time per student (a second one is refused, in both languages, rather than sharing the budget).
 */
export function createOwnServerChecker(
  options: {
    enabled?: boolean;
    policy?: GuardPolicy;
    budget?: ConnectionBudget;
    resolver?: Resolver;
    isWirelab?: WirelabItselfTest;
    arrivingBack?: ChecksArrivingBack;
  } = {},
): OwnServerChecker {
  const budget = options.budget ?? new ConnectionBudget();
  const running = new Set<string>();
  return async (protocol, target, studentAddress, signal, tap) => {
    const guard = createAddressGuard({ ...options.policy, studentAddress, enabled: options.enabled });
    if (running.has(guard.studentAddress)) {
      return {
        protocol,
        target,
        reachable: false,
        reason: 'busy',
        refusal: {
          en: 'A check of your server is already running; wait for it to finish.',
          ru: 'Проверка вашего сервера уже идёт; дождитесь её окончания.',
        },
        ...noResults(),
      };
    }
    running.add(guard.studentAddress);
    try {
      const { resolver, isWirelab, arrivingBack } = options;
      return await runChecks(protocol, target, { guard, budget, resolver, signal, isWirelab, arrivingBack, tap });
    } finally {
      running.delete(guard.studentAddress);
    }
  };
}
