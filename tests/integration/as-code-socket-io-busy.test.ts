import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specOfCellFile } from '../../web/editors/as-code/cell-spec.ts';
import { asCode } from '../../web/editors/as-code/generate.ts';
import { isGenerated } from '../../web/editors/as-code/generated.ts';
import type { SocketIoSpec } from '../../web/editors/as-code/spec.ts';
import type { LessonJson } from '../../web/lessons/lesson-types.ts';
import { studentSession } from './as-code-capture.ts';
import { REPO_ROOT, runTerminalGroup, type Outcome } from './as-code-runners.ts';
import { capturedMessages, socketIoDifferences, socketIoSent } from './as-code-stream-capture.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The terminal's Socket.IO program (curl over Engine.IO polling) on a busy server: the sandbox's
// events are broadcast to every socket in it, so a poll may bring them beside the packet the
// program waits for (the server's 40 after CONNECT, the 43 of an ack). Here another client posts
// right after each packet the program sends (a wrapper around curl), so each such event waits in
// the session and comes in the same poll as the answer: deterministically, not by chance of timing.
// The post's title holds "44" (a CONNECT_ERROR's type) and "431[" (the ack of id 1), and its
// timestamps and ids hold digits of every kind: the program must read each packet by its type at
// its start, not find those digits anywhere in what the poll brought.

/** A title with the bytes of a refusal and of an ack inside an event's JSON. */
const BUSY_TITLE = 'room 44, seat 431[';

function socketIoCells(): Array<{ name: string; spec: SocketIoSpec }> {
  const lessons = join(REPO_ROOT, 'lessons');
  return readdirSync(lessons)
    .filter((name) => /^\d{2}-/.test(name))
    .sort()
    .flatMap((dir) => {
      const lesson = JSON.parse(readFileSync(join(lessons, dir, 'lesson.json'), 'utf8')) as LessonJson;
      return Object.entries(lesson.cells).flatMap(([id, cell]) => {
        const spec = specOfCellFile(cell.kind, readFileSync(join(lessons, dir, cell.file), 'utf8'));
        return spec?.kind === 'socket-io' ? [{ name: `${dir}/${id}`, spec }] : [];
      });
    });
}

/** curl as the programs call it, and then, after each packet they POST, a post by someone else in the same sandbox. */
function busyCurl(origin: string, token: string): string {
  const post = JSON.stringify({ author_id: 1, title: BUSY_TITLE, content: 'posted while a program talks Socket.IO' });
  return [
    'curl() {',
    '  command curl "$@"',
    '  local status=$?',
    '  if [[ " $* " == *" --data-binary "* ]]; then',
    `    command curl -s -o /dev/null '${origin}/api/v1/posts' -H 'x-wirelab-sandbox: ${token}' -H 'content-type: application/json' --data-binary '${post}'`,
    '  fi',
    '  return $status',
    '}',
  ].join('\n');
}

/** The lines a program printed: what it sent (`-> `) and what it received (`<- `), in order. */
function orderDifferences(output: string, spec: SocketIoSpec): string[] {
  const ns = spec.namespace === '/' ? '' : `${spec.namespace},`;
  const lines = output.split('\n');
  const differences: string[] = [];
  const connected = lines.findIndex((line) => line.startsWith(`<- 40${ns}{`));
  const firstEmit = lines.findIndex((line) => line.startsWith(`-> 42${ns}`));
  // the test makes the situation it is about: an event in the same poll as the 40, before the first emit
  if (!lines.slice(connected, firstEmit).some((line) => line.startsWith(`<- 42${ns}["post:created"`)))
    differences.push('no broadcast between the 40 and the first emit: the test did not make the server busy');
  let ackId = 0;
  spec.emits.forEach((emit) => {
    if (!emit.ack) return;
    ackId += 1;
    const sent = lines.findIndex((line) => line.startsWith(`-> 42${ns}${ackId}[`));
    const acked = lines.findIndex((line, index) => index > sent && line.startsWith(`<- 43${ns}${ackId}[`));
    const next = lines.findIndex((line, index) => index > sent && line.startsWith('-> ') && line !== '-> 3');
    if (sent < 0 || acked < 0 || (next >= 0 && next < acked)) differences.push(`${emit.event}: went on without its ACK ${ackId}`);
  });
  return differences;
}

const cells = socketIoCells();
let server: RunningServer;
let outcome: Outcome;
const differences: Array<{ cell: string; differences: string[]; output: string }> = [];

beforeAll(async () => {
  server = await startServer({ rateLimit: false });
  const student = await studentSession(server.origin);
  try {
    const programs = cells.map((cell) => {
      const result = asCode(cell.spec, 'terminal', { origin: server.origin, token: student.token });
      if (!isGenerated(result)) throw new Error(`no terminal program for ${cell.name}`);
      return result;
    });
    // the wrapper is defined before each program (each one is a subshell of its own)
    const wrapper = busyCurl(server.origin, student.token);
    const group = await runTerminalGroup(programs.map((program) => ({ ...program, code: `${wrapper}\n${program.code}` })));
    outcome = group.outcome;
    const pieces = () => {
      const sio: Array<ReturnType<typeof capturedMessages>> = [];
      for (const message of capturedMessages(student.capture).filter((each) => each.layer === 'socket-io-packet')) {
        if (message.dir === 'in' && message.fields?.type === 'CONNECT') sio.push([]);
        sio.at(-1)?.push(message);
      }
      return cells.map((cell, index) => {
        const piece = sio[index] ?? [];
        // a console the server refuses (the anonymous one: no name) sends nothing after its CONNECT
        const refused = piece.some((message) => message.dir === 'out' && message.fields?.type === 'CONNECT_ERROR');
        const sent = socketIoDifferences(socketIoSent(piece), refused, cell.spec, true);
        return refused ? sent : sent.concat(orderDifferences(group.outputs[index], cell.spec));
      });
    };
    await student.capture.waitFor(() => pieces().every((each) => each.length === 0), 15_000).catch(() => {});
    pieces().forEach((each, index) => {
      if (each.length > 0) differences.push({ cell: cells[index].name, differences: each, output: group.outputs[index] });
    });
  } finally {
    await student.capture.close();
  }
}, 180_000);
afterAll(() => server?.close());

describe('"As code", terminal: a Socket.IO program on a server that broadcasts events beside its answers', () => {
  it('finds the Socket.IO cells, one with auth and an ack at least', () => {
    expect(cells.some((cell) => Object.keys(cell.spec.auth).length > 0 && cell.spec.emits.some((emit) => emit.ack))).toBe(true);
  });

  it('connects, awaits each ack and sends every emit and DISCONNECT, whatever events come in the same poll', () => {
    expect(differences, `stderr: ${outcome.stderr.slice(0, 2000)}`).toEqual([]);
  });
});
