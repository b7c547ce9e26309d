// What one "check my server" run reports, the same for the command line, the server's runner and
// the web page that will show it. Pure TypeScript: no Node, no DOM, so both sides import it.

import type { Bilingual } from '../../shared/bilingual.ts';

/**
 * `pass` and `fail` are verdicts on something the server offers; `not-offered` is for what the
 * server does not offer at all (a 404 on gRPC-Web, no reflection service): never counted as a pass.
 */
export type CheckOutcome = 'pass' | 'fail' | 'not-offered';

export const CHECK_OUTCOMES: readonly CheckOutcome[] = ['pass', 'fail', 'not-offered'];

/** The reason a check expects what it expects: the clause of the spec, and its meaning in plain words. */
export interface SpecReason {
  /** The clause, as people cite it: `RFC 9110 §15.3.2`, `RFC 6455 §5.5.2`, `HTML §9.2.6`. */
  clause: string;
  text: Bilingual;
}

export interface CheckResult {
  /** Stable id within the protocol, e.g. `create-201-location`; a page may key on it. */
  id: string;
  name: Bilingual;
  outcome: CheckOutcome;
  /** What the check sent, as it went out (a request line and headers, frames in hex…). */
  sent: string;
  /** What the check expected back, in both languages. */
  expected: Bilingual;
  why: SpecReason;
  /** What came back, as received (status line, headers, frames), or what went wrong. */
  got: string;
  /** For `fail` and `not-offered`: what differed from the expectation, in both languages. */
  difference?: Bilingual;
  /**
   * For a failure of a check that sent several requests, when the difference is about a later one:
   * that request's bytes (a part of `sent`). The report's request and its replay are this one;
   * absent, they are the first of `sent`.
   */
  failedRequest?: string;
  /** For a failure whose difference is about one HTTP answer: that answer's status (the page's "failed request: GET /… → 404"). */
  failedStatus?: number;
  /**
   * The connections this check opened, as the byte tap recorded them for the session that asked
   * (their ids are the capture channel's, contracts/capture-channel/): the page links each to its
   * bytes in the inspector. Absent when nothing recorded them (the command line, a request with no
   * session's tap); empty when the check connected nowhere.
   */
  connections?: CapturedConnectionRef[];
}

/** One captured connection of a check: its id in the capture channel and what it carries. */
export interface CapturedConnectionRef {
  id: string;
  transport: 'http/1.1' | 'h2c' | 'mqtt';
}

export type CheckedProtocol = 'rest' | 'websocket' | 'sse' | 'grpc' | 'graphql' | 'mqtt' | 'gateway' | 'long-polling' | 'socket-io' | 'grpc-websocket';

export const CHECKED_PROTOCOLS: readonly CheckedProtocol[] = [
  'rest',
  'websocket',
  'sse',
  'grpc',
  'graphql',
  'mqtt',
  'gateway',
  'long-polling',
  'socket-io',
  'grpc-websocket',
];

/**
 * Why no check ran: `bad-target` (not host:port), `refused` (Wirelab will not connect there: not
 * the student's own machine, the feature off, too many connections), `no-answer` (nothing
 * listening, or no TCP connection in time), `busy` (a suite of this student's is still running),
 * `stopped` (whoever asked went away before the first check).
 */
export type UnreachableReason = 'bad-target' | 'refused' | 'no-answer' | 'busy' | 'stopped';

export interface CheckReport {
  protocol: CheckedProtocol;
  /** `host:port` as the student gave it. */
  target: string;
  /**
   * `reachable: false` when no check could run: the address was refused by the guard or
   * nothing answered there (`refusal` says which, in both languages).
   */
  reachable: boolean;
  refusal?: Bilingual;
  /** With `reachable: false`: which kind of reason `refusal` tells. */
  reason?: UnreachableReason;
  /**
   * true when the address the checks connected to is Wirelab's own listening port on this very
   * machine: every check passes there, so it shows what passing looks like and proves nothing
   * about the student's server (a lesson's exercise refuses it). Filled by the server from the
   * probe connection's real peer, never from the text of `target`; false when nothing connected.
   */
  targetIsWirelab: boolean;
  /**
   * How the server knew the target was Wirelab (set only then): `peer`, the probe reached its
   * listening port; `answers-as-wirelab`, the target answered the nonce question as this process
   * (a forwarder in front); `requests-arrived-back`, the suite's own requests reached this
   * process's listener (a forwarder that hides the question, issue 51).
   */
  wirelabSeen?: 'peer' | 'answers-as-wirelab' | 'requests-arrived-back';
  /**
   * Set when the suite stopped at a connection the server accepted and never answered (not one
   * byte within a check's wait): what that connection waited for. The checks after it are failed
   * as not run, rather than each waiting as long.
   */
  neverAnswered?: Bilingual;
  /** `countOutcomes(results)`: in the report itself, so a check reading the JSON needs no arithmetic. */
  counts: CheckCounts;
  /**
   * The server process whose capture channel names `results[].connections` (its `hello`'s
   * `instance`, contracts/capture-channel/PROTOCOL.md): a page that has not yet heard a restarted
   * server's hello still keys them as that process's. Absent when nothing recorded them.
   */
  captureInstance?: string;
  results: CheckResult[];
}

export interface CheckCounts {
  passed: number;
  failed: number;
  notOffered: number;
}

export function countOutcomes(results: readonly CheckResult[]): CheckCounts {
  const counts: CheckCounts = { passed: 0, failed: 0, notOffered: 0 };
  for (const result of results) {
    if (result.outcome === 'pass') counts.passed += 1;
    else if (result.outcome === 'fail') counts.failed += 1;
    else counts.notOffered += 1;
  }
  return counts;
}

/**
 * `3 passed, 1 failed` — always in that form first (scripts read it), then `, 2 not offered`
 * only when some check found nothing to check.
 */
export function summaryLine(counts: CheckCounts): string {
  const base = `${counts.passed} passed, ${counts.failed} failed`;
  return counts.notOffered > 0 ? `${base}, ${counts.notOffered} not offered` : base;
}

export function summaryLineRu(counts: CheckCounts): string {
  const base = `пройдено: ${counts.passed}, не пройдено: ${counts.failed}`;
  return counts.notOffered > 0 ? `${base}, не предлагается: ${counts.notOffered}` : base;
}

/** `GET`: the starter servers (starters/ and the .proto files) as one zip, `wirelab-starters.zip`. */
export const STARTERS_ZIP_PATH = '/_wirelab/own-server/starters.zip';
/** The same zip with the complete versions (starters/<language>/complete/), for the teacher key only. */
export const COMPLETE_STARTERS_ZIP_PATH = '/_wirelab/class/starters-complete.zip';
