import type { Bilingual } from '../../shared/bilingual.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specOfCellFile } from '../../web/editors/as-code/cell-spec.ts';
import { asCode } from '../../web/editors/as-code/generate.ts';
import { isGenerated, type GeneratedCode } from '../../web/editors/as-code/generated.ts';
import { AS_CODE_LANGUAGES, type AsCodeLanguage } from '../../web/editors/as-code/languages.ts';
import type { GraphqlWsSpec, MqttSpec, SocketIoSpec, SseSpec } from '../../web/editors/as-code/spec.ts';
import type { LessonJson } from '../../web/lessons/lesson-types.ts';
import { capturedExchanges, capturedWebSockets, studentSession } from './as-code-capture.ts';
import { REPO_ROOT, runGoGroup, runJavaScriptGroup, runPythonGroup, runTerminalGroup, type Outcome } from './as-code-runners.ts';
import { capturedMessages, graphqlWsDifferences, mqttDifferences, socketIoDifferences, socketIoSent, sseDifferences } from './as-code-stream-capture.ts';
import type { CaptureClient } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// "As code" for the consoles, proven to run: every SSE, MQTT, Socket.IO and GraphQL subscription
// cell of every lesson, in every language that offers a program, run as one group per language
// (one shell, one Python, one Node process, one Go binary) against a real server. While a group
// runs, posts appear in its sandbox (as a student would make them) so that streams have events to
// read. Then the capture of the token's session must hold what the console sends: the SSE GET
// with its Accept and the token; each MQTT CONNECT (client id, clean session, keep-alive, will,
// the token as user name), SUBSCRIBE (filter, QoS), PUBLISH (topic, payload bytes, QoS, retain)
// and DISCONNECT; the graphql-transport-ws subscribe (document, variables, operation name) and its
// complete after the events; the Socket.IO CONNECT (namespace, auth) and each emit (arguments, ack).

type ConsoleSpec = SseSpec | MqttSpec | GraphqlWsSpec | SocketIoSpec;
interface Cell {
  name: string;
  spec: ConsoleSpec;
}

function consoleCells(): Cell[] {
  const dirs = readdirSync(join(REPO_ROOT, 'lessons'))
    .filter((name) => /^\d{2}-/.test(name))
    .sort();
  const cells = dirs.flatMap((dir) => {
    const lesson = JSON.parse(readFileSync(join(REPO_ROOT, 'lessons', dir, 'lesson.json'), 'utf8')) as LessonJson;
    return Object.entries(lesson.cells).flatMap(([id, cell]): Cell[] => {
      const spec = specOfCellFile(cell.kind, readFileSync(join(REPO_ROOT, 'lessons', dir, cell.file), 'utf8'));
      return spec && ['sse', 'mqtt', 'graphql-ws', 'socket-io'].includes(spec.kind) ? [{ name: `${dir}/${id}`, spec: spec as ConsoleSpec }] : [];
    });
  });
  // No lesson publishes bytes given in hex, nor a retained will: the console can, so one cell more does.
  const dashboard = cells.find((cell) => cell.spec.kind === 'mqtt');
  if (dashboard?.spec.kind === 'mqtt') {
    const spec: MqttSpec = {
      ...dashboard.spec,
      clientId: 'hex-sender',
      will: { topic: 'status/hex-sender', payload: 'gone', qos: 2, retain: true },
      publish: { topic: 'bytes/raw', payload: 'ff00a17f', hex: true, qos: 1, retain: false },
    };
    cells.push({ name: 'extra/mqtt-hex-payload', spec });
  }
  return cells;
}

const RUNNERS: Record<AsCodeLanguage, (programs: GeneratedCode[]) => Promise<{ outputs: string[]; outcome: Outcome }>> = {
  terminal: runTerminalGroup,
  python: runPythonGroup,
  go: runGoGroup,
  javascript: runJavaScriptGroup,
};

interface GroupResult {
  token: string;
  ran: Array<{ cell: Cell; output: string }>;
  notOffered: Array<{ cell: Cell; why: Bilingual }>;
  outcome: Outcome;
  differences: Array<{ cell: string; differences: string[]; output: string }>;
}

/** Posts by user 1 in the token's sandbox, one every 300 ms until stopped: the events the streams read. */
function postTicker(origin: string, token: string): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    for (let count = 1; running; count++) {
      await fetch(`${origin}/api/v1/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-wirelab-sandbox': token },
        body: JSON.stringify({ author_id: 1, title: `tick ${count}`, content: 'an event for the streams' }),
      })
        .then((response) => response.body?.cancel())
        // a post that failed only means fewer events: the program that waited for them says so
        .catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

/** Pairs each program with what the capture holds for it, in the order the programs ran. */
function compare(capture: CaptureClient, ran: GroupResult['ran'], token: string, language: AsCodeLanguage): GroupResult['differences'] {
  const sse = capturedExchanges(capture).filter((exchange) => exchange.request.path === '/api/v1/events');
  const subscriptions = capturedWebSockets(capture).filter((socket) => socket.exchange.request.path === '/graphql');
  const messages = capturedMessages(capture);
  const mqttConnections = [...new Set(messages.filter((message) => message.layer === 'mqtt-packet').map((message) => message.conn))];
  // Socket.IO: one piece per program, from each CONNECT the client sent
  const sioPieces: Array<typeof messages> = [];
  for (const message of messages.filter((each) => each.layer === 'socket-io-packet')) {
    if (message.dir === 'in' && message.fields?.type === 'CONNECT') sioPieces.push([]);
    sioPieces.at(-1)?.push(message);
  }
  return ran.map(({ cell, output }) => {
    const { spec } = cell;
    let differences: string[];
    switch (spec.kind) {
      case 'sse': {
        const exchange = sse.shift();
        differences = exchange ? sseDifferences(exchange, spec, token) : ['nothing captured'];
        if ((output.match(/post\.created/g) ?? []).length < spec.events) differences.push(`printed fewer than ${spec.events} events`);
        break;
      }
      case 'graphql-ws': {
        const socket = subscriptions.shift();
        differences = socket ? graphqlWsDifferences(socket, spec, token) : ['nothing captured'];
        break;
      }
      case 'mqtt': {
        // mosquitto_sub and mosquitto_pub: two connections; every other program: one
        const count = cell.name.startsWith('@terminal') ? 2 : 1;
        const mine = mqttConnections.splice(0, count);
        differences = mqttDifferences(
          messages.filter((message) => mine.includes(message.conn) && message.layer === 'mqtt-packet'),
          spec,
          token,
        );
        break;
      }
      case 'socket-io': {
        const piece = sioPieces.shift() ?? [];
        differences = socketIoDifferences(
          socketIoSent(piece),
          piece.some((message) => message.dir === 'out' && message.fields?.type === 'CONNECT_ERROR'),
          spec,
          language !== 'python',
        );
        break;
      }
    }
    return { cell: cell.name, differences, output: output.slice(0, 300) };
  });
}

async function runLanguage(origin: string, language: AsCodeLanguage, cells: Cell[]): Promise<GroupResult> {
  const student = await studentSession(origin);
  try {
    const offered: Array<{ cell: Cell; program: GeneratedCode }> = [];
    const notOffered: GroupResult['notOffered'] = [];
    for (const cell of cells) {
      const result = asCode(cell.spec, language, { origin, token: student.token });
      if (isGenerated(result)) offered.push({ cell, program: result });
      else notOffered.push({ cell, why: result.unsupported });
    }
    const stopTicker = postTicker(origin, student.token);
    const { outputs, outcome } = await RUNNERS[language](offered.map((entry) => entry.program)).finally(stopTicker);
    // the terminal's MQTT programs open two connections each
    const ran = offered.map((entry, index) => ({
      cell: language === 'terminal' && entry.cell.spec.kind === 'mqtt' ? { ...entry.cell, name: `@terminal ${entry.cell.name}` } : entry.cell,
      output: outputs[index],
    }));
    const expectedMqtt = ran.reduce((sum, entry) => sum + (entry.cell.spec.kind !== 'mqtt' ? 0 : entry.cell.name.startsWith('@terminal') ? 2 : 1), 0);
    const settled = () => {
      const messages = capturedMessages(student.capture);
      const disconnects = messages.filter((message) => message.layer === 'mqtt-packet' && message.dir === 'in' && message.fields?.type === 'DISCONNECT').length;
      return disconnects >= expectedMqtt && compare(student.capture, ran, student.token, language).every((entry) => entry.differences.length === 0);
    };
    await student.capture.waitFor(settled, 15_000).catch(() => {});
    return {
      token: student.token,
      ran,
      notOffered,
      outcome,
      differences: compare(student.capture, ran, student.token, language).filter((entry) => entry.differences.length > 0),
    };
  } finally {
    await student.capture.close();
  }
}

let server: RunningServer;
const cells = consoleCells();
const results = new Map<AsCodeLanguage, GroupResult>();

beforeAll(async () => {
  server = await startServer({ rateLimit: false });
  await Promise.all(AS_CODE_LANGUAGES.map(async (language) => results.set(language, await runLanguage(server.origin, language, cells))));
}, 300_000);
afterAll(() => server?.close());

describe('"As code" for the SSE, MQTT, GraphQL subscription and Socket.IO consoles of every lesson', () => {
  it('finds them', () => {
    const kinds = cells.map((cell) => cell.spec.kind);
    expect(kinds.filter((kind) => kind === 'sse').length).toBeGreaterThanOrEqual(2);
    expect(kinds.filter((kind) => kind === 'mqtt').length).toBeGreaterThanOrEqual(5);
    expect(kinds.filter((kind) => kind === 'socket-io').length).toBeGreaterThanOrEqual(3);
    expect(kinds).toContain('graphql-ws');
  });

  it('offers every console in every language', () => {
    const missing = [...results.values()].flatMap((result) => result.notOffered.map((entry) => `${entry.cell.name}: ${entry.why.en}`));
    expect(missing).toEqual([]);
  });

  for (const language of AS_CODE_LANGUAGES) {
    it(`${language}: every program sends what its console sends, and it lands in the student's inspector`, () => {
      const result = results.get(language);
      if (!result) throw new Error('the group did not run');
      expect(result.differences, `stdout: ${result.outcome.stdout.slice(-2000)}\nstderr: ${result.outcome.stderr.slice(0, 2000)}`).toEqual([]);
      console.log(
        `as-code consoles ${language}: ${result.ran.length} programs run (${result.ran.map((entry) => entry.cell.spec.kind).join(', ')}); not offered: ${result.notOffered.length}`,
      );
    });
  }
});
