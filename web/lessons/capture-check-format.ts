// The format check of a question about a capture file (lesson.json `check.type: "capture"`,
// contracts/exercise-checks/capture-question.ts): the file lies in the lesson's captures/ folder
// and reads as a packet capture, and the question has exactly one right answer in it: a pick
// whose match names one message or exchange of the file, a value the file holds. Checked here,
// at build time, because the student and the server judge the answer from these very bytes.
import { trafficOfCaptureFile } from '../../contracts/exercise-checks/capture-file-traffic.ts';
import { type CaptureAsk, type CaptureTraffic, evaluateCaptureAsk } from '../../contracts/exercise-checks/capture-question.ts';
import { matchesExchange, matchesMessage } from '../../contracts/exercise-checks/evaluate-check.ts';
import type { ExchangeMatch, MessageMatch } from '../../contracts/exercise-checks/check-types.ts';

const ASK_TYPES = ['answer', 'message-answer', 'pick-message', 'pick-exchange'];

/** What the checker reads of a capture exercise, before it knows the check is well formed (Check gains CaptureQuestion elsewhere). */
export interface CaptureExerciseJson {
  cell?: unknown;
  runOnly?: unknown;
  check: { type: 'capture'; file?: unknown; ask?: { type?: unknown; match?: unknown; field?: unknown } };
}

/** An answer no capture holds: evaluating it tells "the file has a value, and this is not it" from "the file has no value". */
const PROBE_ANSWER = '\u0000 not an answer';

/**
 * Everything wrong with one capture exercise, as sentences. `captures` are the lesson's capture
 * files by path (captures/…); `read` decodes one (memoised by the caller: one decode per file).
 */
export function captureExerciseProblems(
  where: string,
  id: string,
  exercise: CaptureExerciseJson,
  read: (file: string) => CaptureTraffic | null | undefined,
): string[] {
  const problems: string[] = [];
  const say = (problem: string) => problems.push(`${where}/lesson.json: exercise "${id}": ${problem}`);
  if (exercise.cell !== undefined) say('a question about a capture has no cell (the capture is the starting point)');
  if (exercise.runOnly !== undefined) say('a question about a capture takes an answer, so it is more than running a cell: drop runOnly');
  const { file, ask } = exercise.check;
  if (typeof file !== 'string' || !/^captures\/[\w.-]+$/.test(file)) {
    say('check.file must name a file in the lesson\u2019s captures/ folder, e.g. "captures/grpc-not-found.pcapng"');
    return problems;
  }
  if (typeof ask?.type !== 'string' || !ASK_TYPES.includes(ask.type)) {
    say(`check.ask.type must be one of ${ASK_TYPES.join(', ')}`);
    return problems;
  }
  const traffic = read(file);
  if (traffic === undefined) say(`check.file ${file} does not exist`);
  else if (traffic === null) say(`check.file ${file} is not a packet capture (pcapng or pcap) that reads`);
  else for (const problem of answerProblems(ask as CaptureAsk, traffic, file)) say(problem);
  return problems;
}

/** Does the question have exactly one right answer in the file's traffic? */
function answerProblems(ask: CaptureAsk, traffic: CaptureTraffic, file: string): string[] {
  if (ask.type === 'pick-message') {
    if (!isMatch(ask.match)) return ['check.ask.match must be a message match with a layer'];
    const matching = traffic.messages.filter((message) => matchesMessage(ask.match as MessageMatch, message)).length;
    return matching === 1 ? [] : [`check.ask.match matches ${matching} messages of ${file}, not exactly one`];
  }
  if (ask.type === 'pick-exchange') {
    if (typeof ask.match !== 'object' || ask.match === null) return ['check.ask.match must be an exchange match'];
    const matching = traffic.exchanges.filter((exchange) => matchesExchange(ask.match as ExchangeMatch, exchange)).length;
    return matching === 1 ? [] : [`check.ask.match matches ${matching} exchanges of ${file}, not exactly one`];
  }
  if (ask.type === 'message-answer') {
    if (!isMatch(ask.match) || typeof ask.field !== 'string') return ['check.ask needs a message match and a field'];
    const values = new Set(traffic.messages.filter((message) => matchesMessage(ask.match, message)).map((message) => message.fields?.[ask.field]));
    values.delete(undefined);
    if (values.size > 1)
      return [`check.ask: the messages it matches in ${file} hold different values of ${ask.field}, so the question has more than one answer`];
  }
  const probed = evaluateCaptureAsk(ask, traffic, PROBE_ANSWER);
  const hasValue = !probed.passed && (probed.miss.kind === 'wrong-answer' || probed.miss.kind === 'wrong-message-answer');
  return hasValue ? [] : [`check.ask finds no value to compare in ${file} (${probed.passed ? 'passed' : probed.miss.kind})`];
}

function isMatch(match: unknown): match is MessageMatch {
  return typeof match === 'object' && match !== null && typeof (match as { layer?: unknown }).layer === 'string';
}

/** Reads each capture file of a lesson once: its traffic, null when it is no readable capture, undefined when absent. */
export function captureReader(files: Readonly<Record<string, Uint8Array>> | undefined): (file: string) => CaptureTraffic | null | undefined {
  const decoded = new Map<string, CaptureTraffic | null>();
  return (file) => {
    const bytes = files?.[file];
    if (bytes === undefined) return undefined;
    if (!decoded.has(file)) decoded.set(file, trafficOfCaptureFile(bytes));
    return decoded.get(file);
  };
}
