import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChunkFrame } from '../../contracts/capture-channel/messages.ts';
import { createUserAs, newSessionCookie, openChannel, post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// One process, no Redis (`npm start`): a student passes `rest/create-201`, the server restarts
// before the page's report of it arrives, and the report reaches the new process. The verdict
// comes from the capture, not from the report's arrival: the class's students' captures are
// kept in the domain's SQLite file (server/classroom/README.md, "A report in flight"), so the new
// process counts the pass the last one captured, and the board shows it (issue 53, item 4).

const KEY = 'test-teacher-key-of-sixteen+';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
/** The one secret both processes sign sessions with, as a deployment's SESSION_SECRET_FILE does. */
const SESSION_SECRET = randomBytes(32);

/** Whether the kept captures in `file` hold an answer's bytes (the server's side of an exchange). */
function keptAnAnswer(file: string): boolean {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT frame FROM classroom_capture_mirror').all() as Array<{ frame: Buffer }>;
    return rows.some((row) => row.frame.length > 0 && decodeChunkFrame(new Uint8Array(row.frame)).some((chunk) => chunk.dir === 'out'));
  } finally {
    db.close();
  }
}

describe('a pass whose report is in flight across a restart of the one process', () => {
  let dir: string;
  let server: RunningServer;
  const start = () => startServer({ dataFile: join(dir, 'wirelab.sqlite'), classroom: { teacherKey: KEY }, sessionSecret: SESSION_SECRET });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wirelab-report-restart-'));
    server = await start();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lands on the board, judged from what the process before the restart captured', async () => {
    const created = await post(server.origin, '/_wirelab/class/classes', { title: 'Restart' }, teacher);
    expect(created.status).toBe(201);
    const { code } = (await created.json()) as { code: string };
    const joined = await post(server.origin, '/_wirelab/class/join', { code, name: 'Vera' });
    const { memberToken } = (await joined.json()) as { memberToken: string };
    const cookie = await newSessionCookie(server.origin);
    // the student is online (their page's class channel), so their captures are kept beyond the process
    const channel = await openChannel(server.origin, { cookie });
    channel.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: memberToken }));
    await channel.next('joined');
    await createUserAs(server.origin, cookie);
    // the restart comes once what the tap recorded is kept (the mirror follows a student from their channel's hello)
    await expect.poll(() => keptAnAnswer(join(dir, 'wirelab.sqlite')), { timeout: 15_000 }).toBe(true);
    channel.socket.close();

    await server.close();
    server = await start();
    const report = await post(
      server.origin,
      '/_wirelab/class/progress',
      { lesson: 'rest', exercise: 'create-201', passed: true },
      { 'content-type': 'application/json', 'x-wirelab-member': memberToken, cookie },
    );
    expect(report.status).toBe(200);
    expect(await report.json()).toMatchObject({ verdict: { passed: true } });
    const board = (await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json()) as {
      members: Array<{ name: string; results: Array<{ exercise: string; passedMs: number | null }> }>;
    };
    expect(board.members.find((member) => member.name === 'Vera')?.results).toEqual([
      expect.objectContaining({ exercise: 'create-201', passedMs: expect.any(Number) }),
    ]);
  });
});
