// What a check is, and the few helpers every protocol's suite writes its checks with.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { CheckOutcome, SpecReason } from '../../contracts/own-server/check-result.ts';
import type { ConnectionContext, Target } from './connection.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';

/** What a check saw: its verdict, the bytes it sent and got, and for a failure what differed. */
export interface Observation {
  outcome: CheckOutcome;
  sent: string;
  got: string;
  difference?: Bilingual;
  /**
   * For a failure of a check that sent several requests: the bytes of the one the difference is
   * about (the report shows it, and replays it, rather than the check's first request).
   */
  failedRequest?: string;
  /** The HTTP status the failed request got, when the difference names an HTTP answer. */
  failedStatus?: number;
}

/**
 * One thing a check expects: met or not, what differed when not, and (when the check sent several
 * requests) the exchange it is about, so a failure names the request that failed.
 */
export type Expectation = [met: boolean, difference: Bilingual, about?: { sent: string; status?: number }];

export interface SuiteContext extends ConnectionContext {
  target: Target;
  /** Aborted when the suite runs out of time; a check's waits end with it. */
  signal: AbortSignal;
  /** Told when a connection got not one byte in its wait: the suite stops there (`signal` aborts). */
  silence?: SilenceWatch;
}

/**
 * A server that accepts connections and never answers would cost every check its whole wait. The
 * first connection that gets not one byte within its wait stops the suite: `signal` aborts (with
 * the suite's), the remaining checks are reported not run, and the report says which wait it was.
 */
export class SilenceWatch {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  /** What the silent connection waited for, once one was. */
  what: Bilingual | null = null;

  heardNothing(what: Bilingual): void {
    if (this.what) return;
    this.what = what;
    this.controller.abort(new Error(`the server never answered: ${what.en}`));
  }
}

/** After a wait failed: when it timed out with nothing received on its connection, the server is silent. */
export function noteIfSilent(context: SuiteContext, error: unknown, bytesReceived: number): void {
  if (error instanceof NoAnswer && bytesReceived === 0) context.silence?.heardNothing(error.what);
}

export interface CheckDefinition<State> {
  id: string;
  name: Bilingual;
  expected: Bilingual;
  why: SpecReason;
  run(context: SuiteContext, state: State): Promise<Observation>;
}

export interface CheckSuite<State> {
  /** Makes what the checks share (e.g. the users a REST suite created), before the first check. */
  prepare(context: SuiteContext): Promise<State>;
  checks: ReadonlyArray<CheckDefinition<State>>;
  /** Leaves the student's server as it was where it can (deletes what the suite created). */
  cleanUp?(context: SuiteContext, state: State): Promise<void>;
}

export function defineSuite<State>(suite: CheckSuite<State>): CheckSuite<State> {
  return suite;
}

export const passed = (sent: string, got: string): Observation => ({ outcome: 'pass', sent, got });

export const failed = (sent: string, got: string, difference: Bilingual): Observation => ({ outcome: 'fail', sent, got, difference });

export const notOffered = (sent: string, got: string, difference: Bilingual): Observation => ({
  outcome: 'not-offered',
  sent,
  got,
  difference,
});

/**
 * One verdict from a list of expectations: the first unmet one is the difference, and the request
 * it is about (when it names one other than the first of `sent`) is the failure's request.
 */
export function verdict(sent: string, got: string, expectations: Expectation[]): Observation {
  const unmet = expectations.find(([met]) => !met);
  if (!unmet) return passed(sent, got);
  const about = unmet[2]?.sent;
  const status = unmet[2]?.status;
  return {
    ...failed(sent, got, unmet[1]),
    ...(about && !sent.startsWith(about) ? { failedRequest: about } : {}),
    ...(typeof status === 'number' ? { failedStatus: status } : {}),
  };
}

/** Bytes as a student reads them: UTF-8 text as text, anything else as \xNN; cut to the report's size. */
export function printable(bytes: Buffer | string, limit: number = OWN_SERVER_LIMITS.transcriptChars): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
  const text = decoded.includes('\uFFFD')
    ? [...buffer].map((byte) => ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a ? String.fromCharCode(byte) : escapeByte(byte))).join('')
    : decoded.replace(/\r\n/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (char) => escapeByte(char.charCodeAt(0)));
  return text.length > limit ? `${text.slice(0, limit)}… (${buffer.length} B)` : text;
}

function escapeByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
}

/** What a check had sent and received when it broke off: kept on the error for the report. */
export interface Seen {
  sent: string;
  got: string;
}

/** Keeps what a check saw on the error it broke off with, so the report shows it (a timeout too). */
export function withSeen(error: unknown, seen: Seen): unknown {
  if (error instanceof Error && !(error as Error & { seen?: Seen }).seen) (error as Error & { seen?: Seen }).seen = seen;
  return error;
}

export function seenOn(error: unknown): Seen | undefined {
  return error instanceof Error ? (error as Error & { seen?: Seen }).seen : undefined;
}

/** Why a suite's wait ended early: its time ran out, or the page that asked is gone. */
function abortError(signal: AbortSignal, what: string): Error {
  const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
  return new Error(`${timedOut ? 'the suite ran out of time' : 'the check was stopped'}: ${what}`);
}

/** What a wait waited for, in both languages (a plain string is the same in both: a path, a method). */
export type Awaited = Bilingual | string;

/** A wait that ended with nothing: `what` in both languages, for the report's "waiting for …". */
export class NoAnswer extends Error {
  readonly what: Bilingual;
  constructor(
    readonly ms: number,
    what: Awaited,
  ) {
    const both = typeof what === 'string' ? { en: what, ru: what } : what;
    super(`no answer within ${ms} ms: ${both.en}`);
    this.what = both;
  }
}

/** Waits for `promise`, failing after `ms` (NoAnswer) or when the suite's signal aborts. */
export function withTimeout<T>(promise: Promise<T>, ms: number, signal: AbortSignal, awaited: Awaited): Promise<T> {
  const what = typeof awaited === 'string' ? awaited : awaited.en;
  return new Promise<T>((resolve, reject) => {
    // A listener added to a signal already aborted never hears it: refuse at once instead.
    if (signal.aborted) {
      promise.catch(() => undefined);
      return reject(abortError(signal, what));
    }
    const timer = setTimeout(() => reject(new NoAnswer(ms, awaited)), ms);
    const onAbort = () => reject(abortError(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
