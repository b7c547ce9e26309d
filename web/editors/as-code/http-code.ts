import type { Bilingual } from '../../../shared/bilingual.ts';
import type { GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import { literal, shellQuote } from './quote.ts';
import type { AsCodeTarget, HttpSpec } from './spec.ts';

// One HTTP request in four languages. Every typed header goes along, then x-wirelab-sandbox.

const SANDBOX_HEADER = 'x-wirelab-sandbox';

/** Headers Node's fetch (undici) refuses to set: the program leaves them out and says so. */
export const FETCH_UNSENDABLE: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
  'te',
  'trailer',
]);

function url(spec: HttpSpec, target: AsCodeTarget): string {
  return new URL(spec.target, target.origin).href;
}

export function httpAsCurl(spec: HttpSpec, target: AsCodeTarget): GeneratedCode {
  // curl -X HEAD waits for a body that never comes; -I sends HEAD and expects none
  const method = spec.method.toUpperCase() === 'HEAD' ? ['-I'] : ['-i', '-X', spec.method];
  const lines = [`curl ${method.join(' ')} ${shellQuote(url(spec, target))}`];
  for (const [name, value] of spec.headers) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`-H ${shellQuote(`${SANDBOX_HEADER}: ${target.token}`)}`);
  if (spec.body !== null) lines.push(`--data-raw ${shellQuote(spec.body)}`);
  return {
    language: 'terminal',
    tool: 'curl',
    code: lines.join(' \\\n  '),
    fileName: null,
    install: 'sudo apt install curl',
    run: null,
    notes: [],
  };
}

export function httpAsPython(spec: HttpSpec, target: AsCodeTarget): GeneratedCode {
  const headers = [...spec.headers.map(([name, value]) => `    ${literal(name)}: ${literal(value)},`), `    ${literal(SANDBOX_HEADER)}: TOKEN,`];
  const code = [
    'import requests',
    '',
    `TOKEN = ${literal(target.token)}  # ${tokenComment(target.lang)}`,
    '',
    'response = requests.request(',
    `    ${literal(spec.method)},`,
    `    ${literal(url(spec, target))},`,
    '    headers={',
    ...headers.map((line) => `    ${line}`),
    '    },',
    ...(spec.body !== null ? [`    data=${literal(spec.body)}.encode("utf-8"),`] : []),
    ')',
    'print(response.status_code, response.reason)',
    'for name, value in response.headers.items():',
    '    print(f"{name}: {value}")',
    'print()',
    'print(response.text)',
    '',
  ].join('\n');
  return {
    language: 'python',
    tool: 'requests',
    code,
    fileName: 'request.py',
    install: 'sudo apt install python3-requests   # or: pip install requests',
    run: 'python3 request.py',
    notes: [],
  };
}

export function httpAsJavaScript(spec: HttpSpec, target: AsCodeTarget): GeneratedCode {
  const notes: Bilingual[] = [];
  const sendable = spec.headers.filter(([name]) => !FETCH_UNSENDABLE.has(name.toLowerCase()));
  const dropped = spec.headers.filter(([name]) => FETCH_UNSENDABLE.has(name.toLowerCase())).map(([name]) => name);
  if (dropped.length > 0) {
    notes.push({
      en: `fetch does not let a program set ${dropped.join(', ')}: the program leaves ${dropped.length > 1 ? 'them' : 'it'} out (curl sends ${dropped.length > 1 ? 'them' : 'it'}).`,
      ru: `fetch не даёт программе задать ${dropped.join(', ')}: программа их не отправляет (curl отправляет).`,
    });
  }
  const bodyless = /^(GET|HEAD)$/i.test(spec.method);
  if (bodyless && spec.body !== null) {
    notes.push({
      en: `fetch sends no body with ${spec.method}: the program leaves it out.`,
      ru: `fetch не отправляет тело с ${spec.method}: программа его опускает.`,
    });
  }
  const headers = [...sendable.map(([name, value]) => `    ${literal(name)}: ${literal(value)},`), `    ${literal(SANDBOX_HEADER)}: TOKEN,`];
  const code = [
    `const TOKEN = ${literal(target.token)}; // ${tokenComment(target.lang)}`,
    '',
    `const response = await fetch(${literal(url(spec, target))}, {`,
    `  method: ${literal(spec.method)},`,
    '  headers: {',
    ...headers,
    '  },',
    ...(spec.body !== null && !bodyless ? [`  body: ${literal(spec.body)},`] : []),
    '});',
    'console.log(response.status, response.statusText);',
    'for (const [name, value] of response.headers) console.log(`${name}: ${value}`);',
    'console.log();',
    'console.log(await response.text());',
    '',
  ].join('\n');
  return {
    language: 'javascript',
    tool: 'fetch',
    code,
    fileName: 'request.mjs',
    install: 'sudo apt install nodejs   # Node.js 18+: fetch is built in',
    run: 'node request.mjs',
    notes,
  };
}

export function httpAsGo(spec: HttpSpec, target: AsCodeTarget): GeneratedCode {
  const hasBody = spec.body !== null;
  const code = [
    'package main',
    '',
    'import (',
    '\t"fmt"',
    '\t"io"',
    '\t"net/http"',
    '\t"os"',
    ...(hasBody ? ['\t"strings"'] : []),
    ')',
    '',
    'func main() {',
    `\ttoken := ${literal(target.token)} // ${tokenComment(target.lang)}`,
    `\trequest, err := http.NewRequest(${literal(spec.method)}, ${literal(url(spec, target))}, ${hasBody ? `strings.NewReader(${literal(spec.body ?? '')})` : 'nil'})`,
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    ...spec.headers.map(([name, value]) => `\trequest.Header.Add(${literal(name)}, ${literal(value)})`),
    `\trequest.Header.Set(${literal(SANDBOX_HEADER)}, token)`,
    '\tresponse, err := http.DefaultClient.Do(request)',
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tdefer response.Body.Close()',
    '\tfmt.Println(response.Proto, response.Status)',
    '\tfor name, values := range response.Header {',
    '\t\tfor _, value := range values {',
    '\t\t\tfmt.Printf("%s: %s\\n", name, value)',
    '\t\t}',
    '\t}',
    '\tfmt.Println()',
    '\tio.Copy(os.Stdout, response.Body)',
    '\tfmt.Println()',
    '}',
    '',
  ].join('\n');
  return {
    language: 'go',
    tool: 'net/http',
    code,
    fileName: 'request.go',
    install: 'sudo apt install golang   # Go 1.19+, standard library only',
    run: 'go run request.go',
    notes: [],
  };
}
