// "Check my server" on the teacher's board: a class member's run is recorded by the server from
// the suite it ran — against Wirelab itself (targetIsWirelab) and against a Python starter with a
// fault — and reaches the teacher's board, its details and the CSV; nobody else's run does, and
// nothing a browser says about a run is counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board, MemberServerChecks } from '../../contracts/class-channel/messages.ts';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import { openChannel, post } from './classroom-client.ts';
import { startPythonStarter, type RunningStarter } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';

const KEY = 'own-server-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };

describe("a student's own server on the class board", () => {
  let server: RunningServer;
  let starter: RunningStarter;
  let code = '';
  let studentCookie = '';
  let studentSession = '';
  let memberToken = '';
  let watcher: Awaited<ReturnType<typeof openChannel>>;

  const newSession = async (): Promise<string> => (await fetch(`${server.origin}/_wirelab/session`)).headers.getSetCookie()[0].split(';')[0];
  const runSuite = async (cookie: string, protocol: string, port: number): Promise<CheckReport> => {
    const response = await fetch(`${server.origin}/_wirelab/own-server/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ protocol, target: `127.0.0.1:${port}` }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as CheckReport;
  };
  const board = async (): Promise<Board> =>
    (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json() as Promise<Board>;
  /** The next board pushed to the watching teacher that satisfies `ready`. */
  const boardWhere = async (ready: (board: Board) => boolean): Promise<Board> => {
    for (;;) {
      const last = [...watcher.messages].reverse().find((message) => message.type === 'board') as { board: Board } | undefined;
      if (last && ready(last.board)) return last.board;
      await watcher.next('board');
    }
  };
  const details = async (memberId: number, protocol: string): Promise<MemberServerChecks> => {
    const answer = watcher.next('member-server-checks');
    watcher.socket.send(JSON.stringify({ type: 'member-server-checks', code, memberId, protocol }));
    return (await answer) as unknown as MemberServerChecks;
  };

  beforeAll(async () => {
    server = await startServer({ classroom: { teacherKey: KEY } });
    starter = await startPythonStarter('rest_server.py', 'no-etag');
    code = ((await (await post(server.origin, '/_wirelab/class/classes', { title: 'Свой сервер' }, teacher)).json()) as { code: string }).code;
    studentCookie = await newSession();
    studentSession = studentCookie.split('=')[1];
    const joined = await post(server.origin, '/_wirelab/class/join', { code, name: 'Анна' }, { 'content-type': 'application/json', cookie: studentCookie });
    expect(joined.status).toBe(200);
    memberToken = ((await joined.json()) as { memberToken: string }).memberToken;
    watcher = await openChannel(server.origin);
    watcher.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await watcher.next('teacher-ready');
    watcher.socket.send(JSON.stringify({ type: 'watch', code }));
    await watcher.next('board');
  });
  afterAll(async () => {
    watcher?.socket.close();
    await starter?.stop();
    await server?.close();
  });

  it('records nothing for a session outside the class', async () => {
    const outsider = await newSession();
    const report = await runSuite(outsider, 'sse', server.port);
    expect(report.reachable).toBe(true);
    expect(await server.app.classroom.serverChecked(outsider.split('=')[1], report)).toBe(false);
    expect((await board()).members.flatMap((member) => member.servers)).toEqual([]);
  });

  it('counts nothing a browser claims: no progress field, no channel message records a run', async () => {
    const forged = await post(
      server.origin,
      '/_wirelab/class/progress',
      { lesson: '15-own-server', exercise: 'rest-all-pass', passed: true, report: { protocol: 'rest', counts: { passed: 16, failed: 0, notOffered: 0 } } },
      { 'content-type': 'application/json', 'x-wirelab-member': memberToken, cookie: studentCookie },
    );
    expect(forged.status).toBe(400);
    const student = await openChannel(server.origin, { cookie: studentCookie });
    student.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: memberToken }));
    await student.next('joined');
    student.socket.send(JSON.stringify({ type: 'member-server-checks', code, memberId: 1, protocol: 'rest' }));
    student.socket.send(
      JSON.stringify({
        type: 'server-checked',
        report: { protocol: 'rest', reachable: true, targetIsWirelab: false, counts: { passed: 16, failed: 0, notOffered: 0 }, results: [] },
      }),
    );
    student.socket.send(JSON.stringify({ type: 'active' }));
    // `active` is handled after the two before it (in order): its board shows whatever they did
    await boardWhere((pushed) => pushed.members.length === 1);
    student.socket.close();
    expect((await board()).members[0].servers).toEqual([]);
    expect(student.messages.map((message) => message.type)).not.toContain('member-server-checks');
  });

  it("shows a member's run against Wirelab itself as targetIsWirelab, live on the board", async () => {
    const report = await runSuite(studentCookie, 'rest', server.port);
    expect(report.targetIsWirelab).toBe(true);
    const pushed = await boardWhere((candidate) => candidate.members[0]?.servers.length === 1);
    expect(pushed.members[0].servers).toEqual([
      { protocol: 'rest', ms: expect.any(Number), passed: 39, failed: 0, notOffered: 0, failedIds: [], targetIsWirelab: true, port: server.port },
    ]);
    const opened = await details(pushed.members[0].id, 'rest');
    expect(opened).toMatchObject({ code, name: 'Анна', protocol: 'rest', cell: { passed: 39, targetIsWirelab: true } });
    expect(opened.checks).toHaveLength(39);
    expect(opened.checks.every((check) => check.outcome === 'pass' && check.difference === null)).toBe(true);
  });

  it('keeps the latest run per protocol: a Python starter with a fault replaces it, with what differed and no secret', async () => {
    const report = await runSuite(studentCookie, 'rest', starter.port);
    expect(report.targetIsWirelab).toBe(false);
    const failed = report.results.filter((result) => result.outcome === 'fail').map((result) => result.id);
    expect(failed).toEqual([
      'etag-on-get',
      'if-none-match-304',
      'if-match-stale-412',
      'if-match-current-200',
      'if-none-match-weak-304',
      'if-none-match-list-304',
      'not-modified-etag',
      'etag-changes-on-write',
      'if-none-match-star-304',
      'if-match-list-put',
      'if-match-stale-delete-412',
    ]);
    const pushed = await boardWhere((candidate) => candidate.members[0]?.servers[0]?.targetIsWirelab === false);
    expect(pushed.members[0].servers).toEqual([
      { protocol: 'rest', ms: expect.any(Number), passed: 28, failed: 11, notOffered: 0, failedIds: failed, targetIsWirelab: false, port: starter.port },
    ]);
    const opened = await details(pushed.members[0].id, 'rest');
    const etag = opened.checks.find((check) => check.id === 'etag-on-get')!;
    expect(etag.outcome).toBe('fail');
    expect(etag.difference?.en).toContain('ETag');
    expect(etag.difference?.ru).toMatch(/[а-яё]/i);
    // the transcripts (headers, bodies) never travel, nor the student's session or the host
    const everything = JSON.stringify([pushed, opened]);
    expect(everything).not.toContain(studentSession);
    expect(everything).not.toMatch(/HTTP\/1\.1|127\.0\.0\.1|"sent"|"got"/);

    // a teacher's script reads the same over HTTP; without the key nothing
    const overHttp = await fetch(`${server.origin}/_wirelab/class/classes/${code}/members/${pushed.members[0].id}/server-checks/rest`, { headers: teacher });
    expect(await overHttp.json()).toEqual({ ...opened, type: undefined });
    expect((await fetch(`${server.origin}/_wirelab/class/classes/${code}/members/${pushed.members[0].id}/server-checks/rest`)).status).toBe(403);
    expect(
      (await fetch(`${server.origin}/_wirelab/class/classes/${code}/members/${pushed.members[0].id}/server-checks/smtp`, { headers: teacher })).status,
    ).toBe(404);

    const csv = await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/export.csv`, { headers: teacher })).text();
    expect(csv).toContain(
      'REST 28/39 (failed: etag-on-get if-none-match-304 if-match-stale-412 if-match-current-200 if-none-match-weak-304 if-none-match-list-304 not-modified-etag etag-changes-on-write if-none-match-star-304 if-match-list-put if-match-stale-delete-412)',
    );
  });

  it('refuses the details of a member of another class or an unknown protocol', async () => {
    watcher.socket.send(JSON.stringify({ type: 'member-server-checks', code, memberId: 9999, protocol: 'rest' }));
    expect(await watcher.next('error')).toEqual({ type: 'error', error: 'NO_SUCH_MEMBER' });
    watcher.socket.send(JSON.stringify({ type: 'member-server-checks', code, memberId: 1, protocol: 'smtp' }));
    expect(await watcher.next('error')).toEqual({ type: 'error', error: 'NO_SUCH_MEMBER' });
  });
});
