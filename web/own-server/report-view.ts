// What the page shows of a check report, in the reader's language: pure, so the rules (a
// not-offered check is never shown as passed, the Russian plurals, a problem's own words) are
// tested without a browser.
import type { Bilingual } from '../../shared/bilingual.ts';
import {
  countOutcomes,
  summaryLine,
  summaryLineRu,
  type CapturedConnectionRef,
  type CheckedProtocol,
  type CheckOutcome,
  type CheckReport,
  type CheckResult,
} from '../../contracts/own-server/check-result.ts';
import { localizeTranscript } from '../../contracts/own-server/transcript-notes.ts';
import { requestLineOf } from '../../contracts/own-server/request-line.ts';
import type { OwnServerExerciseVerdict } from '../../contracts/exercise-checks/own-server-fixed.ts';
import type { Lang } from '../kit/lang-context.ts';
import type { Selection } from '../inspector/exchange-sections.ts';
import { countRu } from '../text/russian-plural.ts';
import { ownServerStrings } from './strings.ts';

export const CHECKS_PATH = '/_wirelab/own-server/checks';

export interface CheckRow {
  id: string;
  outcome: CheckOutcome;
  outcomeLabel: string;
  name: string;
  expected: string;
  clause: string;
  reason: string;
  /** For a failure or a not-offered check: what differed; null for a pass. */
  difference: string | null;
  sent: string;
  got: string;
  /**
   * For a failure: the request that failed, on a line of its own (`GET /api/v1/users/7 HTTP/1.1 → 404`):
   * the one the difference is about (`failedRequest`), else the check's first; null when nothing was sent.
   */
  failingRequest: string | null;
  /** That request's bytes, when it is not the check's first (the transcript shows them apart); else null. */
  failingRequestBytes: string | null;
  /** The connections the check opened, as the byte tap recorded them for this session (none when nothing recorded them), by the capture store's ids. */
  connections: readonly CapturedConnectionRef[];
}

/**
 * `connectionKey`: the id the page's capture store gives a connection the report names as the
 * server does (the same until the page heard a server restart: web/inspector/connection-keys.ts).
 */
export function checkRows(results: readonly CheckResult[], lang: Lang, connectionKey: (serverId: string) => string = (id) => id): CheckRow[] {
  const t = ownServerStrings[lang];
  return results.map((result) => ({
    id: result.id,
    outcome: result.outcome,
    outcomeLabel: t.outcomes[result.outcome],
    name: result.name[lang],
    expected: result.expected[lang],
    clause: result.why.clause,
    reason: result.why.text[lang],
    difference: result.outcome === 'pass' ? null : (result.difference?.[lang] ?? null),
    sent: localizeTranscript(result.sent, lang) || t.nothingSent,
    got: localizeTranscript(result.got, lang) || t.nothingCame,
    failingRequest: failingRequestLine(result),
    failingRequestBytes: result.outcome === 'fail' && result.failedRequest ? localizeTranscript(result.failedRequest, lang) : null,
    connections: (result.connections ?? []).map((connection) => ({ ...connection, id: connectionKey(connection.id) })),
  }));
}

/** `PUT /api/v1/users/7 HTTP/1.1 → 412`: the failed request's line and, for HTTP, the status it got. */
function failingRequestLine(result: CheckResult): string | null {
  if (result.outcome !== 'fail') return null;
  const line = requestLineOf(result.failedRequest ?? result.sent);
  if (!line) return null;
  return result.failedStatus === undefined ? line : `${line} → ${result.failedStatus}`;
}

/**
 * Where the inspector opens a check's connection: its first exchange (an HTTP/1.1 request, a
 * WebSocket upgrade, an h2c stream), or for MQTT, which has no exchanges, its first packet.
 */
export function inspectorSelection(connection: CapturedConnectionRef): Selection {
  // the client's CONNECT: the MQTT packet at the first byte the client sent
  return connection.transport === 'mqtt' ? { conn: connection.id, message: { layer: 'mqtt-packet', dir: 'in', start: 0 } } : { conn: connection.id, index: 0 };
}

/**
 * `19 checks: 16 passed, 0 failed, 3 not offered` / `19 проверок — пройдено: 16, не пройдено: 0, не
 * предлагается: 3`: the count, then the very line the command line prints (one wording for both).
 */
export function summary(results: readonly CheckResult[], lang: Lang): string {
  const counts = countOutcomes(results);
  const total = results.length;
  if (lang === 'ru') return `${countRu(total, 'проверка', 'проверки', 'проверок')} — ${summaryLineRu(counts)}`;
  return `${total} ${total === 1 ? 'check' : 'checks'}: ${summaryLine(counts)}`;
}

/**
 * What the route answered, as the page shows it. `exercise`: the server's verdict on the run for
 * lesson 15's exercise, present only for the page's own session's runs (never decided here).
 */
export type RunOutcome =
  | { kind: 'report'; report: CheckReport; exercise: OwnServerExerciseVerdict | null }
  | { kind: 'refused'; message: string; status: number };

function isLocalized(value: unknown): value is Bilingual {
  const candidate = value as Bilingual | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.en === 'string' && typeof candidate.ru === 'string';
}

function isReport(value: unknown): value is CheckReport {
  const candidate = value as CheckReport | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.reachable === 'boolean' && Array.isArray(candidate.results);
}

function isVerdict(value: unknown): value is OwnServerExerciseVerdict {
  const candidate = value as OwnServerExerciseVerdict | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.passed === 'boolean' &&
    Array.isArray(candidate.fixed) &&
    candidate.fixed.every((id) => typeof id === 'string') &&
    isLocalized(candidate.note)
  );
}

/** The route's answer (status and parsed JSON, or null when it was not JSON) in the reader's language. */
export function readAnswer(status: number, body: unknown, lang: Lang): RunOutcome {
  if (status === 200 && isReport(body)) {
    // an `exercise` the page cannot read is shown as none: the card still hears the run from its capture
    const exercise = (body as { exercise?: unknown }).exercise;
    return { kind: 'report', report: body, exercise: isVerdict(exercise) ? exercise : null };
  }
  const problem = body as { localized?: unknown; detail?: unknown } | null;
  if (problem && isLocalized(problem.localized)) return { kind: 'refused', status, message: problem.localized[lang] };
  return { kind: 'refused', status, message: ownServerStrings[lang].unreadableAnswer(status) };
}

/** The server's verdict on a run for the lesson's exercise, as the report shows it under its rows. */
export interface ExerciseVerdictView {
  passed: boolean;
  /** what the note is about, before it */
  label: string;
  /** the server's own words: what the run fixed, or why it does not count */
  note: string;
  /** the checks this run fixed, named as the report's rows name them (the id alone when the report has no such row) */
  fixed: { id: string; name: string }[];
  /** before the list of what this run fixed */
  fixedLabel: string;
}

export function exerciseVerdictView(verdict: OwnServerExerciseVerdict, results: readonly CheckResult[], lang: Lang): ExerciseVerdictView {
  const t = ownServerStrings[lang];
  const names = new Map(results.map((result) => [result.id, result.name[lang]]));
  return {
    passed: verdict.passed,
    label: t.exerciseVerdict,
    note: verdict.note[lang],
    fixed: verdict.fixed.map((id) => ({ id, name: names.get(id) ?? id })),
    fixedLabel: t.fixedByRun,
  };
}

/** The port of `host:port` (IPv6 in brackets), or null. */
export function portOf(target: string): number | null {
  const match = /^(?:\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(target.trim());
  const port = match ? Number(match[1]) : NaN;
  return port >= 1 && port <= 65_535 ? port : null;
}

const STARTER_FILES: Record<Exclude<CheckedProtocol, 'mqtt'>, string> = {
  rest: 'rest_server.py',
  websocket: 'websocket_server.py',
  sse: 'sse_server.py',
  grpc: 'grpc_server.py',
  graphql: 'graphql_server.py',
  gateway: 'gateway_server.py',
  'long-polling': 'long_polling_server.py',
  'socket-io': 'socket_io_server.py',
  'grpc-websocket': 'grpc_websocket_server.py',
};

/**
 * The Python starter for `protocol`, run from the repository's folder on the field's port: one
 * command a line, each the same in PowerShell and zsh (`python` is the venv's on every system; no
 * `&&`, which Windows PowerShell 5.1 lacks, no `&` to background, no comments, which zsh does not
 * take at its prompt by default).
 */
export function starterCommand(protocol: CheckedProtocol, target: string): string {
  const port = portOf(target) ?? 8000;
  // No MQTT starter: Debian's mosquitto 2 passes every check; with only -p it listens on loopback.
  if (protocol === 'mqtt') return `mosquitto -p ${port}`;
  const run = `python starters/python/${STARTER_FILES[protocol]} --port ${port}`;
  const stubs = 'python starters/python/generate_grpc_stubs.py';
  if (protocol === 'grpc' || protocol === 'grpc-websocket') return `${stubs}\n${run}`;
  // the gateway is in front of the student's gRPC server: that one runs too, in a terminal of its own
  if (protocol === 'gateway') return `${stubs}\npython starters/python/grpc_server.py --port 50051\n${run} --grpc 127.0.0.1:50051`;
  return run;
}

/** The protocols with a Go starter: its folder in starters/go (one module). */
const GO_STARTER_FOLDERS: Partial<Record<CheckedProtocol, string>> = {
  rest: 'rest',
  websocket: 'websocket',
  sse: 'sse',
  grpc: 'grpc',
  gateway: 'gateway',
  'long-polling': 'long-polling',
  'grpc-websocket': 'grpc-websocket',
  graphql: 'graphql',
};

/**
 * The Go starter for `protocol`, from the repository's folder, or null when there is none: `go run`,
 * so no binary is named per system; one command a line, the same in PowerShell and zsh. The gRPC
 * ones generate their stubs first (starters/go/README.md: protoc and its Go plugins).
 */
export function goStarterCommand(protocol: CheckedProtocol, target: string): string | null {
  const folder = GO_STARTER_FOLDERS[protocol];
  if (folder === undefined) return null;
  const port = portOf(target) ?? 8000;
  const stubs = protocol === 'grpc' || protocol === 'gateway' || protocol === 'grpc-websocket' ? ['go generate ./stubs'] : [];
  const grpcServer = protocol === 'gateway' ? ['go run ./grpc -port 50051'] : [];
  const run = `go run ./${folder} -port ${port}${protocol === 'gateway' ? ' -grpc 127.0.0.1:50051' : ''}`;
  return ['cd starters/go', ...stubs, 'go mod tidy', ...grpcServer, run].join('\n');
}

/** The command line that runs the same suite (server/own-server/cli.ts). */
export function checkCommand(protocol: CheckedProtocol, target: string): string {
  return `npm run check-server -- ${protocol} ${target.trim() || '127.0.0.1:8000'}`;
}

/**
 * Wirelab's own address as a target, when the page is opened on the machine Wirelab runs on (a
 * loopback host): the student's own machine, so the guard lets it through, and every check
 * passes there — what passing looks like. null elsewhere: from a LAN, Wirelab is not the student's machine.
 */
export function wirelabItself(location: { hostname: string; port: string; protocol: string }): string | null {
  const host = location.hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (!loopback) return null;
  const port = location.port || (location.protocol === 'https:' ? '443' : '80');
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * What the result's one status region says of a run: it is on the page before any run, so every
 * screen reader announces its text as it changes (a region that appears with its text already in
 * it is not announced by all of them). Refusals and errors say it themselves, as alerts: nothing.
 */
export function runAnnouncement(
  run: { kind: 'idle' | 'running' | 'cancelled' | 'network-error' } | { kind: 'answered'; status: number; body: unknown },
  lang: Lang,
): string {
  const t = ownServerStrings[lang];
  if (run.kind === 'running') return t.running;
  if (run.kind === 'cancelled') return t.cancelled;
  if (run.kind !== 'answered') return '';
  const answer = readAnswer(run.status, run.body, lang);
  if (answer.kind !== 'report' || !answer.report.reachable) return '';
  const { report, exercise } = answer;
  const reportLine = `${t.protocolNames[report.protocol]} · ${report.target}: ${summary(report.results, lang)}`;
  return exercise ? `${reportLine}. ${t.exerciseVerdict} ${exercise.note[lang]}` : reportLine;
}
