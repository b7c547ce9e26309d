// Lesson 15's MQTT section, followed to the letter with Debian's mosquitto (issue 55, item 3): the
// broker.conf its steps write, the command they start it with, the line step 3 adds. Debian's
// mosquitto passes every check as it comes, and a first-run pass does not count, so the steps must
// make the first run fail: this test runs them as a student would and asks the server's verdict on
// the exercise (what the page shows) after each run. The only liberty taken: the listener's port
// is a free one, not the cell's 1884, as a student whose 1884 is taken would change both.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnServerExerciseVerdict } from '../../contracts/exercise-checks/own-server-fixed.ts';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import { mqttSuite } from '../../server/own-server/checks/mqtt.ts';
import { accepting, freePort, MOSQUITTO } from './mosquitto.ts';
import { failingIds, idsWith, requestOnFreshConnection } from './own-server-starters.ts';
import { type RunningServer, startServer } from './start-server.ts';

const LESSON = join(import.meta.dirname, '..', '..', 'lessons', '15-build-your-own-server');
const CELL_PORT = 1884;

interface Steps {
  /** step 1: the one line of broker.conf */
  listener: string;
  /** step 1: the command that starts the broker */
  command: string;
  /** step 3: the line added to broker.conf */
  added: string;
}

/** The MQTT section's numbered steps, read from the lesson's text. */
function stepsOf(lang: 'en' | 'ru'): Steps {
  const text = readFileSync(join(LESSON, `${lang}.md`), 'utf8');
  const section = text.slice(text.indexOf('{#mqtt}'), text.indexOf('{#more-suites}'));
  const step = (n: number) => new RegExp(`^${n}\\. (.*)$`, 'm').exec(section)?.[1] ?? '';
  const spans = (line: string) => [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
  return {
    listener: spans(step(1)).find((span) => span.startsWith('listener ')) ?? '',
    command: spans(step(1)).find((span) => span.startsWith('mosquitto ')) ?? '',
    added: spans(step(3)).find((span) => span.startsWith('allow_anonymous')) ?? '',
  };
}

const steps = stepsOf('en');

/** `mosquitto -c broker.conf -v` from the lesson, in the student's folder; its log into a file (a full pipe would stall it). */
async function startBroker(folder: string, port: number): Promise<ChildProcess> {
  const [program, ...args] = steps.command.split(' ');
  expect(program).toBe('mosquitto');
  const log = openSync(join(folder, 'mosquitto.log'), 'a');
  const child = spawn(MOSQUITTO, args, { cwd: folder, stdio: ['ignore', log, log] });
  closeSync(log);
  for (let attempt = 0; !(await accepting(port)); attempt += 1) {
    if (child.exitCode !== null || attempt > 100) throw new Error(`mosquitto did not start: ${readFileSync(join(folder, 'mosquitto.log'), 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

/** Ctrl+C: mosquitto stops on SIGINT. */
async function stopBroker(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGINT');
  await once(child, 'exit');
}

let server: RunningServer;
let folder = '';
let broker: ChildProcess | undefined;

beforeAll(async () => {
  server = await startServer();
  folder = mkdtempSync(join(tmpdir(), 'wirelab-lesson-15-mqtt-'));
});
afterAll(async () => {
  await stopBroker(broker);
  await server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** "Check my server" from the lesson's cell: the page's own session, so the answer carries the exercise's verdict. */
async function runChecks(cookie: string, port: number): Promise<CheckReport & { exercise?: OwnServerExerciseVerdict }> {
  const answer = await requestOnFreshConnection(`${server.origin}/_wirelab/own-server/checks`, {
    method: 'POST',
    body: JSON.stringify({ protocol: 'mqtt', target: `127.0.0.1:${port}` }),
    headers: { 'content-type': 'application/json', cookie },
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as CheckReport & { exercise?: OwnServerExerciseVerdict };
}

describe("lesson 15's MQTT section, followed with Debian's mosquitto", () => {
  it('names the same configuration lines and command in both languages, on the cell’s port', () => {
    expect(steps).toEqual({ listener: `listener ${CELL_PORT} 127.0.0.1`, command: 'mosquitto -c broker.conf -v', added: 'allow_anonymous true' });
    expect(stepsOf('ru')).toEqual(steps);
  });

  it('fails the first run with CONNACK 5, passes every check after step 3, and the exercise counts', async () => {
    const session = await requestOnFreshConnection(`${server.origin}/_wirelab/session`, {});
    const cookie = session.headers.getSetCookie()[0]!.split(';')[0]!;
    const port = await freePort();

    // step 1: broker.conf with one line, the broker started with it
    writeFileSync(join(folder, 'broker.conf'), `${steps.listener.replace(String(CELL_PORT), String(port))}\n`);
    broker = await startBroker(folder, port);

    // step 2: almost every check fails, the transcripts show CONNACK 5; no exercise yet
    const first = await runChecks(cookie, port);
    expect(first.reachable).toBe(true);
    expect(failingIds(first).length).toBeGreaterThan(mqttSuite.checks.length / 2);
    expect(JSON.stringify(first.results)).toContain('return code 5');
    expect(first.exercise).toMatchObject({ passed: false });

    // step 3: the line added, the broker stopped (Ctrl+C) and started with the same command, the checks again
    appendFileSync(join(folder, 'broker.conf'), `${steps.added}\n`);
    await stopBroker(broker);
    broker = await startBroker(folder, port);
    const second = await runChecks(cookie, port);
    expect(failingIds(second)).toEqual([]);
    expect(idsWith(second, 'pass')).toHaveLength(mqttSuite.checks.length);
    expect(second.exercise).toMatchObject({ passed: true, fixed: expect.arrayContaining(failingIds(first)) });
  }, 180_000);
});
