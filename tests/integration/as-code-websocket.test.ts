import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specOfCellFile } from '../../web/editors/as-code/cell-spec.ts';
import { asCode } from '../../web/editors/as-code/generate.ts';
import { isGenerated, type GeneratedCode } from '../../web/editors/as-code/generated.ts';
import type { AsCodeLanguage } from '../../web/editors/as-code/languages.ts';
import type { WebSocketSpec } from '../../web/editors/as-code/spec.ts';
import type { LessonJson } from '../../web/lessons/lesson-types.ts';
import { capturedWebSockets, studentSession, webSocketDifferences, type CapturedWebSocket } from './as-code-capture.ts';
import { REPO_ROOT, runGoGroup, runJavaScriptGroup, runPythonGroup, runTerminalGroup, type Outcome } from './as-code-runners.ts';
import { startServer, type RunningServer } from './start-server.ts';

// "As code" for the WebSocket consoles, proven to run: each lesson's WebSocket cell, in the
// terminal (bash's /dev/tcp, the frames masked by hand: Debian bookworm packages no WebSocket
// client), Python (websockets), Go (gorilla/websocket) and JavaScript (ws), run as one group per
// language against a real server; the capture of the token's session must hold the handshake
// (path, subprotocols, token) and the client's messages, in order, as the cell sends them.

const LESSONS = join(REPO_ROOT, 'lessons');

/** Cells whose programs are written but not run here, and why (README.md, "As code"): none today. */
const NOT_RUN: Record<string, string> = {};

function webSocketCells(): Array<{ name: string; spec: WebSocketSpec }> {
  return readdirSync(LESSONS)
    .filter((name) => /^\d{2}-/.test(name))
    .sort()
    .flatMap((dir) => {
      const lesson = JSON.parse(readFileSync(join(LESSONS, dir, 'lesson.json'), 'utf8')) as LessonJson;
      return Object.entries(lesson.cells).flatMap(([id, cell]) => {
        const spec = specOfCellFile(cell.kind, readFileSync(join(LESSONS, dir, cell.file), 'utf8'));
        return spec?.kind === 'websocket' && !NOT_RUN[`${dir}/${id}`] ? [{ name: `${dir}/${id}`, spec }] : [];
      });
    });
}

const RUNNERS = { terminal: runTerminalGroup, python: runPythonGroup, go: runGoGroup, javascript: runJavaScriptGroup } as const;
type Language = keyof typeof RUNNERS;

const cells = webSocketCells();
let server: RunningServer;
const results = new Map<Language, { token: string; programs: GeneratedCode[]; sockets: CapturedWebSocket[]; outcome: Outcome }>();

beforeAll(async () => {
  server = await startServer({ rateLimit: false });
  await Promise.all(
    (Object.keys(RUNNERS) as Language[]).map(async (language) => {
      const student = await studentSession(server.origin);
      try {
        const programs = cells.map((cell) => {
          const result = asCode(cell.spec, language as AsCodeLanguage, { origin: server.origin, token: student.token });
          if (!isGenerated(result)) throw new Error(`${language}: no program for ${cell.name}`);
          return result;
        });
        const { outcome } = await RUNNERS[language](programs);
        // each program closed its socket before the next opened; wait until every message is there (else report what is)
        const complete = () => {
          const sockets = capturedWebSockets(student.capture);
          return sockets.length >= cells.length && cells.every((cell, index) => sockets[index].sent.length >= cell.spec.messages.length);
        };
        await student.capture.waitFor(complete, 15_000).catch(() => {});
        results.set(language, { token: student.token, programs, sockets: capturedWebSockets(student.capture), outcome });
      } finally {
        await student.capture.close();
      }
    }),
  );
}, 300_000);
afterAll(() => server?.close());

describe('"As code" for the WebSocket cells of every lesson', () => {
  it('finds them', () => {
    expect(cells.length).toBeGreaterThanOrEqual(3);
  });

  it('offers none in the terminal for a page served over HTTPS (no TLS in /dev/tcp), and says why in both languages', () => {
    const result = asCode(cells[0].spec, 'terminal', { origin: 'https://wirelab.example', token: 't' });
    expect(isGenerated(result)).toBe(false);
    if (!isGenerated(result)) expect([result.unsupported.en, result.unsupported.ru].every((text) => text.includes('/dev/tcp'))).toBe(true);
  });

  it('the terminal program is bash that masks each frame with a fresh key', () => {
    const result = asCode(cells[0].spec, 'terminal', { origin: 'http://127.0.0.1:8080', token: 't' });
    if (!isGenerated(result)) throw new Error('no terminal program');
    expect(result.code).toContain('exec 3<>/dev/tcp/127.0.0.1/8080');
    expect(result.code).toContain('/dev/urandom');
  });

  for (const language of Object.keys(RUNNERS) as Language[]) {
    it(`${language}: each program opens the cell's socket and sends its messages, in the student's inspector`, () => {
      const result = results.get(language);
      if (!result) throw new Error('the group did not run');
      const failures = cells
        .map((cell, index) => {
          const socket = result.sockets[index];
          return { cell: cell.name, differences: socket ? webSocketDifferences(socket, cell.spec, result.token) : ['nothing captured'] };
        })
        .filter((failure) => failure.differences.length > 0);
      expect(failures, `stdout: ${result.outcome.stdout.slice(0, 1500)}\nstderr: ${result.outcome.stderr.slice(0, 1500)}`).toEqual([]);
    });
  }
});
