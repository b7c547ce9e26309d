// Runs one protocol's suite against the student's server: first a TCP probe (refused by the
// guard, or nothing listening: the report says so and no check runs), then every check in order,
// each within its time limit, a thrown error counted as that check's failure.
import type { CheckedProtocol, CheckReport, CheckResult, Localized } from '../../contracts/own-server/check-result.ts';
import { createAddressGuard, OwnServerRefusal, type AddressGuard, type Resolver } from './address-guard.ts';
import type { CheckDefinition, CheckSuite, Observation, SuiteContext } from './check-kit.ts';
import { ConnectionBudget, openGuardedSocket, parseTarget, type Target } from './connection.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { restSuite } from './checks/rest.ts';
import { websocketSuite } from './checks/websocket.ts';
import { sseSuite } from './checks/sse.ts';
import { grpcSuite } from './checks/grpc.ts';

/** Every protocol's suite, its shared state hidden behind the one function that runs it. */
const SUITES: { [P in CheckedProtocol]: (context: SuiteContext) => Promise<CheckResult[]> } = {
  rest: (context) => runSuite(restSuite, context),
  websocket: (context) => runSuite(websocketSuite, context),
  sse: (context) => runSuite(sseSuite, context),
  grpc: (context) => runSuite(grpcSuite, context),
};


export interface RunOptions {
  guard: AddressGuard;
  budget?: ConnectionBudget;
  resolver?: Resolver;
}

function probe(target: Target, context: Omit<SuiteContext, 'signal'>): Promise<Localized | null> {
  return new Promise((resolve) => {
    const socket = openGuardedSocket(target, context);
    socket.once('connect', () => {
      // The guard's own check of the peer runs on 'connect' too; let it speak first.
      setImmediate(() => {
        if (!socket.destroyed) socket.destroy();
        resolve(null);
      });
    });
    socket.once('error', (error: Error) => {
      if (error instanceof OwnServerRefusal) return resolve(error.localized);
      resolve({
        en: `Nothing answered at ${target.host}:${target.port} (${error.message}). Is your server running on that port?`,
        ru: `По адресу ${target.host}:${target.port} никто не ответил (${error.message}). Ваш сервер запущен на этом порту?`,
      });
    });
  });
}

async function runCheck<State>(check: CheckDefinition<State>, context: SuiteContext, state: State): Promise<CheckResult> {
  let observation: Observation;
  try {
    observation = await check.run(context, state);
  } catch (error) {
    const message = error instanceof OwnServerRefusal ? error.localized : null;
    const text = error instanceof Error ? error.message : String(error);
    observation = {
      outcome: 'fail',
      sent: '',
      got: text,
      difference: message ?? { en: `The check could not finish: ${text}`, ru: `Проверка не смогла завершиться: ${text}` },
    };
  }
  return { id: check.id, name: check.name, expected: check.expected, why: check.why, ...observation };
}

export async function runChecks(protocol: CheckedProtocol, targetText: string, options: RunOptions): Promise<CheckReport> {
  const target = parseTarget(targetText);
  if (!target) {
    return {
      protocol,
      target: targetText,
      reachable: false,
      refusal: { en: `"${targetText}" is not host:port, e.g. 127.0.0.1:8000.`, ru: `«${targetText}» — не host:port, например 127.0.0.1:8000.` },
      results: [],
    };
  }
  const connection = { guard: options.guard, budget: options.budget ?? new ConnectionBudget(), resolver: options.resolver, target };
  const refusal = await probe(target, connection);
  if (refusal) return { protocol, target: targetText, reachable: false, refusal, results: [] };
  const signal = AbortSignal.timeout(OWN_SERVER_LIMITS.suiteTimeoutMs);
  const results = await SUITES[protocol]({ ...connection, signal });
  return { protocol, target: targetText, reachable: true, results };
}

async function runSuite<State>(suite: CheckSuite<State>, context: SuiteContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const state = await suite.prepare(context);
  try {
    for (const check of suite.checks) results.push(await runCheck(check, context, state));
  } finally {
    await suite.cleanUp?.(context, state).catch(() => undefined);
  }
  return results;
}

export type OwnServerChecker = (protocol: CheckedProtocol, target: string, studentAddress: string) => Promise<CheckReport>;

/**
 * What a route for the web page will call with the request's address (`request.ip`): one guard per
 * student built from that address, one connection budget for the whole process, and one suite at
 * a time per student (a second one is refused, in both languages, rather than sharing the budget).
 */
export function createOwnServerChecker(options: { enabled?: boolean; budget?: ConnectionBudget; resolver?: Resolver } = {}): OwnServerChecker {
  const budget = options.budget ?? new ConnectionBudget();
  const running = new Set<string>();
  return async (protocol, target, studentAddress) => {
    const guard = createAddressGuard({ studentAddress, enabled: options.enabled });
    if (running.has(guard.studentAddress)) {
      return {
        protocol,
        target,
        reachable: false,
        refusal: {
          en: 'A check of your server is already running; wait for it to finish.',
          ru: 'Проверка вашего сервера уже идёт; дождитесь её окончания.',
        },
        results: [],
      };
    }
    running.add(guard.studentAddress);
    try {
      return await runChecks(protocol, target, { guard, budget, resolver: options.resolver });
    } finally {
      running.delete(guard.studentAddress);
    }
  };
}
