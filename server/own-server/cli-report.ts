// What `npm run check-server` prints: the text report in the terminal's language (every word of
// it, labels included), a JUnit XML report for a student's CI, and a command that replays each
// failure (curl, for what went over HTTP: REST, SSE, GraphQL, a WebSocket's handshake, gRPC).
import { countOutcomes, summaryLine, summaryLineRu, type CheckReport, type CheckResult } from '../../contracts/own-server/check-result.ts';
import { localizeTranscript } from '../../contracts/own-server/transcript-notes.ts';
import { requestLineOf } from '../../contracts/own-server/request-line.ts';

export type Language = 'en' | 'ru';

const LABELS = {
  en: {
    pass: 'PASS',
    fail: 'FAIL',
    'not-offered': 'NOT OFFERED',
    replay: 'replay',
    stopped: 'stopped: the server never answered the connection waiting for',
    handshakeOnly: 'curl sends the handshake only; the frames after it need a WebSocket client (the check sent them: --json shows them)',
  },
  ru: {
    pass: 'пройдено',
    fail: 'не пройдено',
    'not-offered': 'не предлагается',
    replay: 'повторить',
    stopped: 'остановлено: сервер так и не ответил на соединении, которое ждало',
    handshakeOnly: 'curl повторяет только рукопожатие; кадры после него отправит лишь WebSocket-клиент (проверка их отправляла: они видны в --json)',
  },
} as const;

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** Headers curl writes itself, or that would break a replay (a fixed Content-Length, Connection: close). */
const CURL_WRITES = new Set(['host', 'content-length']);
const curlKeeps = ([name, value]: string[]) => name && !CURL_WRITES.has(name.toLowerCase()) && !(name.toLowerCase() === 'connection' && value === 'close');

/** A curl command that sends the first HTTP/1.1 request of `sent` again, or null when there is none. */
function curlForHttp1(sent: string, base: string): string | null {
  const [head, ...rest] = sent.split('\n\n');
  const [requestLine, ...headerLines] = head.split('\n');
  const match = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec(requestLine.trim());
  if (!match) return null;
  const headers = headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]).filter(curlKeeps);
  const upgrade = headers.some(([name, value]) => name.toLowerCase() === 'upgrade' && value.toLowerCase() === 'websocket');
  // After a WebSocket handshake come the frames the check sent, not a body: curl sends the handshake
  // alone (a body would make it a POST, answered 400), and stops a few seconds after the 101.
  const body = !upgrade && rest[0] && !/^[A-Z]+ \S+ HTTP\/1\.1/.test(rest[0]) ? rest[0] : '';
  const parts = ['curl -i', match[1] === 'GET' ? '' : `-X ${match[1]}`, upgrade || /event-stream/.test(head) ? '-N' : '', upgrade ? '--max-time 5' : ''];
  for (const [name, value] of headers) parts.push(`-H ${quote(`${name}: ${value}`)}`);
  if (body) parts.push(`--data-raw ${quote(body)}`);
  parts.push(quote(`${base}${match[2]}`));
  return parts.filter(Boolean).join(' ');
}

/** A curl command for a gRPC call (h2c): its headers, and its length-prefixed message as bytes. */
function curlForGrpc(sent: string, base: string): string | null {
  const path = /:path: (\S+)/.exec(sent)?.[1];
  if (!path) return null;
  const timeout = /grpc-timeout: (\S+)/.exec(sent)?.[1];
  const data = /→ DATA ([0-9a-f ]*)/.exec(sent)?.[1]?.trim() ?? '';
  const bytes = data
    ? data
        .split(' ')
        .map((byte) => `\\x${byte}`)
        .join('')
    : '';
  return [
    'curl -i --http2-prior-knowledge -X POST',
    "-H 'content-type: application/grpc+proto' -H 'te: trailers'",
    timeout ? `-H 'grpc-timeout: ${timeout}'` : '',
    `--data-binary @<(printf '${bytes}')`,
    quote(`${base}${path}`),
  ]
    .filter(Boolean)
    .join(' ');
}

/** Inside "…" in a shell: only \\, ", $ and ` keep a meaning there. */
const doubleQuoted = (text: string) => text.replace(/[\\"$`]/g, (char) => `\\${char}`);

/** The REST suite's user nobody has (`not-found-problem`): its replay needs no user made first. */
const NOBODY = '2147483000';

/**
 * A REST request on one of the run's users, replayed alone on a fresh server: the run's user is
 * gone (deleted by its clean-up, or never on this server), so the command first creates one (its
 * Location is where the request then goes), sends the validators the request sent as that user's
 * current ETag (a stale tag the check made up stays as it was), and deletes the user at the end.
 * Needs curl 7.84 or later (`%header{…}`).
 */
function restReplay(sent: string, base: string): string | null {
  const plain = curlForHttp1(sent, base);
  const path = /^[A-Z]+ (\S+) HTTP\/1\.1/.exec(sent.trim())?.[1] ?? '';
  const member = /^\/api\/v1\/users\/([^/?]+)/.exec(path);
  if (!plain || !member || member[1] === NOBODY) return plain;
  const user = JSON.stringify({ name: 'Wirelab check again', email: 'wirelab-check-again-$$@example.com' }).replace('$$', () => `'"$$"'`);
  let request = plain.replace(quote(`${base}${path}`), `"$U"${path.length > member[0].length ? quote(path.slice(member[0].length)) : ''}`);
  let needsEtag = false;
  for (const line of sent.split('\n\n')[0].split('\n').slice(1)) {
    const [name, value] = [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()];
    if (!/^if-(none-)?match$/i.test(name)) continue;
    const tags = value.split(',').map((tag) => tag.trim());
    const current = (tag: string) => tag !== '*' && !tag.includes('wirelab-');
    if (!tags.some(current)) continue;
    needsEtag = true;
    const rewritten = tags.map((tag) => (current(tag) ? `${tag.startsWith('W/') ? 'W/' : ''}$E` : doubleQuoted(tag))).join(', ');
    request = request.replace(`-H ${quote(`${name}: ${value}`)}`, `-H "${name}: ${rewritten}"`);
  }
  return [
    `B=${quote(base)}`,
    `U=$(curl -s -o /dev/null -w '%header{location}' -H 'content-type: application/json' --data-raw '${user}' "$B/api/v1/users")`,
    // a Location given as a path, or as an absolute URL on this server: either way, base + path
    `U="$B\${U#"$B"}"`,
    needsEtag ? `E=$(curl -s -o /dev/null -w '%header{etag}' "$U"); E=\${E#W/}` : '',
    request,
    `curl -s -o /dev/null -X DELETE "$U"`,
  ]
    .filter(Boolean)
    .join('; ');
}

/** Did the check open with a WebSocket handshake (whose frames a curl replay cannot send)? */
function isWebSocketHandshake(sent: string): boolean {
  return /^upgrade:\s*websocket\s*$/im.test(sent.split('\n\n')[0]);
}

/** A shell command that sends a failed check's (first) request again, or null (MQTT packets, no request). */
export function replayCommand(result: CheckResult, target: string, protocol?: string): string | null {
  const base = `http://${target}`;
  const sent = result.failedRequest ?? result.sent;
  if (protocol === 'rest') return restReplay(sent, base);
  return curlForHttp1(sent, base) ?? curlForGrpc(sent, base);
}

/** The report as lines of text, every word in `language`. */
export function formatReport(report: CheckReport, language: Language = 'en'): string[] {
  const labels = LABELS[language];
  if (!report.reachable) return [`${report.protocol} ${report.target}: ${report.refusal?.[language] ?? ''}`];
  const lines: string[] = [];
  for (const result of report.results) {
    lines.push(`${labels[result.outcome]}  ${result.id} — ${result.name[language]}`);
    if (result.outcome === 'pass') continue;
    const request = requestLineOf(result.failedRequest ?? result.sent);
    lines.push(`      ${result.difference?.[language] ?? ''} [${result.why.clause}]${request ? ` ← ${request}` : ''}`);
    const replay = result.outcome === 'fail' ? replayCommand(result, report.target, report.protocol) : null;
    if (replay) lines.push(`      ${labels.replay}: ${replay}`);
    if (replay && isWebSocketHandshake(result.sent)) lines.push(`      ${labels.handshakeOnly}`);
  }
  if (report.neverAnswered) lines.push(`${labels.stopped}${language === 'ru' ? ': ' : ' '}${report.neverAnswered[language]}`);
  const counts = countOutcomes(report.results);
  lines.push(language === 'ru' ? summaryLineRu(counts) : summaryLine(counts));
  return lines;
}

const xml = (text: string) =>
  text
    // XML 1.0 has no place for most control characters, even escaped
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** JUnit XML (the form CI servers read): a failed check is a <failure>, one not offered is <skipped>. */
export function junitReport(report: CheckReport, language: Language = 'en'): string {
  const suite = `wirelab.check-server.${report.protocol}`;
  const head = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!report.reachable) {
    const refusal = xml(report.refusal?.[language] ?? '');
    return `${head}\n<testsuites>\n  <testsuite name="${suite}" tests="1" failures="0" errors="1" skipped="0">\n    <testcase classname="${suite}" name="reachable"><error message="${refusal}">${refusal}</error></testcase>\n  </testsuite>\n</testsuites>\n`;
  }
  const counts = countOutcomes(report.results);
  const cases = report.results.map((result) => {
    const name = xml(`${result.id} — ${result.name[language]}`);
    const open = `    <testcase classname="${suite}" name="${name}">`;
    if (result.outcome === 'pass') return `${open}</testcase>`;
    const message = xml(`${result.difference?.[language] ?? ''} [${result.why.clause}]`);
    if (result.outcome === 'not-offered') return `${open}<skipped message="${message}"/></testcase>`;
    const replay = replayCommand(result, report.target, report.protocol);
    const body = xml(
      [
        `${result.why.clause}: ${result.why.text[language]}`,
        replay ? `replay: ${replay}` : '',
        '--- sent',
        localizeTranscript(result.sent, language),
        '--- got',
        localizeTranscript(result.got, language),
      ].join('\n'),
    );
    return `${open}<failure message="${message}">${body}</failure></testcase>`;
  });
  return [
    head,
    '<testsuites>',
    `  <testsuite name="${suite}" tests="${report.results.length}" failures="${counts.failed}" errors="0" skipped="${counts.notOffered}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
