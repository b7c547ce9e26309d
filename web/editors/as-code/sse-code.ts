import type { Bilingual } from '../../../shared/bilingual.ts';
import type { AsCodeResult, GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import type { AsCodeLanguage } from './languages.ts';
import { literal, shellQuote } from './quote.ts';
import type { AsCodeTarget, SseSpec } from './spec.ts';

// One Server-Sent Events stream: the console's GET (Accept: text/event-stream, the token), read
// line by line as the event-stream format says (field: value, a blank line ends an event, a
// line starting with ":" is a comment), until `events` events came or a minute went by. None of
// the four needs an EventSource: a plain reader shows every line, and Node 20 has none anyway.

const SANDBOX_HEADER = 'x-wirelab-sandbox';
/** The longest a program reads, in seconds, when the sandbox stays quiet. */
export const SSE_READ_SECONDS = 60;

const quietNote = (events: number): Bilingual => ({
  en: `The program stops after ${events} events or ${SSE_READ_SECONDS} s: the stream carries your sandbox's changes, so make one (the lesson's create-user cell, say) to see an event.`,
  ru: `Программа останавливается после ${events} событий или через ${SSE_READ_SECONDS} с: в потоке — изменения вашей песочницы, так что измените что-нибудь (например, ячейкой создания пользователя), чтобы увидеть событие.`,
});

export function sseAsCode(spec: SseSpec, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  const url = new URL(spec.target, target.origin).href;
  switch (language) {
    case 'terminal':
      return sseAsCurl(spec, url, target);
    case 'python':
      return sseAsPython(spec, url, target);
    case 'go':
      return sseAsGo(spec, url, target);
    case 'javascript':
      return sseAsNode(spec, url, target);
  }
}

function sseAsCurl(spec: SseSpec, url: string, target: AsCodeTarget): GeneratedCode {
  // a shell loop, not awk: Debian's awk (mawk) reads a pipe in blocks and would hold the events back
  const ru = target.lang === 'ru';
  const code = [
    ru
      ? `# -N: каждое событие сразу; цикл выходит после ${spec.events} событий (curl завершится при следующей записи), --max-time — через ${SSE_READ_SECONDS} с`
      : `# -N: each event as it comes; the loop stops after ${spec.events} events (curl ends at its next write), --max-time after ${SSE_READ_SECONDS} s`,
    `curl -sN --max-time ${SSE_READ_SECONDS} ${shellQuote(url)} \\`,
    `  -H ${shellQuote('Accept: text/event-stream')} \\`,
    `  -H ${shellQuote(`${SANDBOX_HEADER}: ${target.token}`)} \\`,
    '  | { events=0; data=; while IFS= read -r line; do',
    `      printf '%s\\n' "$line"`,
    '      case $line in',
    '        data:*) data=1 ;;',
    `        '') [ -n "$data" ] && events=$((events + 1)); data=; [ "$events" -ge ${spec.events} ] && break ;;`,
    '      esac',
    '    done; }',
  ].join('\n');
  return { language: 'terminal', tool: 'curl', code, fileName: null, install: 'sudo apt install curl', run: null, notes: [quietNote(spec.events)] };
}

function sseAsPython(spec: SseSpec, url: string, target: AsCodeTarget): GeneratedCode {
  const code = [
    'import time',
    '',
    'import requests',
    '',
    `TOKEN = ${literal(target.token)}  # ${tokenComment(target.lang)}`,
    `EVENTS = ${spec.events}  # events to read before stopping`,
    `DEADLINE = time.monotonic() + ${SSE_READ_SECONDS}`,
    '',
    'with requests.get(',
    `    ${literal(url)},`,
    `    headers={"Accept": "text/event-stream", ${literal(SANDBOX_HEADER)}: TOKEN},`,
    '    stream=True,',
    `    timeout=(5, ${SSE_READ_SECONDS}),`,
    ') as response:',
    '    print(response.status_code, response.headers.get("content-type"))',
    '    event, seen = {}, 0',
    '    for line in response.iter_lines(decode_unicode=True):',
    '        if line == "":  # a blank line ends an event',
    '            if "data" in event:',
    "                print(f\"id {event.get('id')} · {event.get('event', 'message')}: {event['data']}\", flush=True)",
    '                seen += 1',
    '            event = {}',
    '            if seen == EVENTS or time.monotonic() > DEADLINE:',
    '                break',
    '        elif not line.startswith(":"):  # ":" starts a comment (the keep-alive)',
    '            field, _, value = line.partition(":")',
    '            value = value[1:] if value.startswith(" ") else value',
    '            event[field] = event[field] + "\\n" + value if field == "data" and "data" in event else value',
    '',
  ].join('\n');
  return {
    language: 'python',
    tool: 'requests (stream=True)',
    code,
    fileName: 'events.py',
    install: 'sudo apt install python3-requests   # or: pip install requests',
    run: 'python3 events.py',
    notes: [quietNote(spec.events)],
  };
}

function sseAsGo(spec: SseSpec, url: string, target: AsCodeTarget): GeneratedCode {
  const code = [
    'package main',
    '',
    'import (',
    '\t"bufio"',
    '\t"fmt"',
    '\t"net/http"',
    '\t"strings"',
    '\t"time"',
    ')',
    '',
    'func main() {',
    `\ttoken := ${literal(target.token)} // ${tokenComment(target.lang)}`,
    `\tevents := ${spec.events} // events to read before stopping`,
    `\trequest, err := http.NewRequest("GET", ${literal(url)}, nil)`,
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\trequest.Header.Set("Accept", "text/event-stream")',
    `\trequest.Header.Set(${literal(SANDBOX_HEADER)}, token)`,
    `\tclient := http.Client{Timeout: ${SSE_READ_SECONDS} * time.Second} // the whole stream, body included`,
    '\tresponse, err := client.Do(request)',
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tdefer response.Body.Close()',
    '\tfmt.Println(response.Status, response.Header.Get("Content-Type"))',
    '\tevent := map[string]string{}',
    '\tseen := 0',
    '\tlines := bufio.NewScanner(response.Body)',
    '\tfor seen < events && lines.Scan() {',
    '\t\tline := lines.Text()',
    '\t\tswitch {',
    '\t\tcase line == "": // a blank line ends an event',
    '\t\t\tif data, ok := event["data"]; ok {',
    '\t\t\t\tname := event["event"]',
    '\t\t\t\tif name == "" {',
    '\t\t\t\t\tname = "message"',
    '\t\t\t\t}',
    '\t\t\t\tfmt.Printf("id %s · %s: %s\\n", event["id"], name, data)',
    '\t\t\t\tseen++',
    '\t\t\t}',
    '\t\t\tevent = map[string]string{}',
    '\t\tcase strings.HasPrefix(line, ":"): // a comment (the keep-alive)',
    '\t\tdefault:',
    '\t\t\tfield, value, _ := strings.Cut(line, ":")',
    '\t\t\tvalue = strings.TrimPrefix(value, " ")',
    '\t\t\tif previous, ok := event["data"]; ok && field == "data" {',
    '\t\t\t\tvalue = previous + "\\n" + value',
    '\t\t\t}',
    '\t\t\tevent[field] = value',
    '\t\t}',
    '\t}',
    '}',
    '',
  ].join('\n');
  return {
    language: 'go',
    tool: 'net/http + bufio',
    code,
    fileName: 'events.go',
    install: 'sudo apt install golang',
    run: 'go run events.go',
    notes: [quietNote(spec.events)],
  };
}

function sseAsNode(spec: SseSpec, url: string, target: AsCodeTarget): GeneratedCode {
  const code = [
    `const TOKEN = ${literal(target.token)}; // ${tokenComment(target.lang)}`,
    `const EVENTS = ${spec.events}; // events to read before stopping`,
    '',
    `const response = await fetch(${literal(url)}, {`,
    `  headers: { Accept: "text/event-stream", ${literal(SANDBOX_HEADER)}: TOKEN },`,
    `  signal: AbortSignal.timeout(${SSE_READ_SECONDS * 1000}),`,
    '});',
    'console.log(response.status, response.headers.get("content-type"));',
    'const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();',
    'let buffered = "";',
    'let event = {};',
    'let seen = 0;',
    'try {',
    '  while (seen < EVENTS) {',
    '    const { value, done } = await reader.read();',
    '    if (done) break;',
    '    buffered += value;',
    '    const lines = buffered.split(/\\r?\\n/);',
    '    buffered = lines.pop(); // the line not ended yet',
    '    for (const line of lines) {',
    '      if (line === "") {',
    '        // a blank line ends an event',
    '        if ("data" in event) {',
    '          console.log(`id ${event.id} · ${event.event ?? "message"}: ${event.data}`);',
    '          seen += 1;',
    '        }',
    '        event = {};',
    '        if (seen === EVENTS) break;',
    '      } else if (!line.startsWith(":")) {',
    '        // ":" starts a comment (the keep-alive)',
    '        const colon = line.indexOf(":");',
    '        const field = colon < 0 ? line : line.slice(0, colon);',
    '        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");',
    '        event[field] = field === "data" && "data" in event ? `${event.data}\\n${text}` : text;',
    '      }',
    '    }',
    '  }',
    '} catch (error) {',
    '  if (error.name !== "TimeoutError") throw error;',
    '}',
    'await reader.cancel();',
    '',
  ].join('\n');
  return {
    language: 'javascript',
    tool: 'fetch + a stream reader',
    code,
    fileName: 'events.mjs',
    install: 'Node 18 or newer (fetch is built in): nothing to install',
    run: 'node events.mjs',
    notes: [
      quietNote(spec.events),
      {
        en: 'Node has no EventSource (Node 20; experimental from 22), so fetch reads the stream: the same GET a browser’s EventSource sends, but it neither reconnects by itself nor sends Last-Event-ID.',
        ru: 'В Node нет EventSource (Node 20; экспериментально — с 22), поэтому поток читает fetch: это тот же GET, что шлёт EventSource в браузере, но сам он не переподключается и Last-Event-ID не отправляет.',
      },
    ],
  };
}
