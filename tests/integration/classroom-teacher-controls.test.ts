import type { Bilingual } from '../../shared/bilingual.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createUserAs, failCreateUserAs, newSessionCookie, openChannel, post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The teacher's controls against a real server: over HTTP (a script) and over the class channel
// (the page), each change reaching the store, the student's own channel and the board.

const KEY = 'controls-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
const json = { 'content-type': 'application/json' };

let server: RunningServer;
/** A browser session whose captures hold the cell's POST /api/v1/users: the server's verdict passes rest/create-201 for it. */
let creatorCookie = '';
beforeAll(async () => {
  server = await startServer({ classroom: { teacherKey: KEY }, clientLimits: { rates: { classJoins: { perAddress: 100 } } } });
  creatorCookie = await newSessionCookie(server.origin);
  await createUserAs(server.origin, creatorCookie);
});
afterAll(() => server?.close());

/** A JSON body when there is one; a DELETE carries none, and so no Content-Type. */
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = teacher) =>
  fetch(`${server.origin}/_wirelab/class${path}`, {
    method,
    headers: body === undefined ? Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'content-type')) : headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function newClass(title: string): Promise<string> {
  const created = await post(server.origin, '/_wirelab/class/classes', { title }, teacher);
  return ((await created.json()) as { code: string }).code;
}

async function join(code: string, name: string): Promise<{ memberToken: string; rejoinCode: string }> {
  const joined = await post(server.origin, '/_wirelab/class/join', { code, name });
  expect(joined.status).toBe(200);
  return (await joined.json()) as { memberToken: string; rejoinCode: string };
}

async function memberId(code: string, name: string): Promise<number> {
  const board = (await (await call('GET', `/classes/${code}/board`)).json()) as { members: Array<{ id: number; name: string }> };
  return board.members.find((member) => member.name === name)!.id;
}

/** A student's open class channel, and how it closed. */
async function studentChannel(token: string) {
  const channel = await openChannel(server.origin);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    channel.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const joined = channel.next('joined');
  channel.socket.send(JSON.stringify({ type: 'hello', role: 'student', token }));
  await joined;
  return { ...channel, closed };
}

async function problemOf(response: Response): Promise<{ status: number; error: string; localized: Bilingual }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { status: number; error: string; localized: Bilingual };
}

describe('the teacher’s controls over HTTP', () => {
  it('need the teacher key', async () => {
    const code = await newClass('Locked');
    await join(code, 'Anna');
    const id = await memberId(code, 'Anna');
    for (const [method, path, body] of [
      ['PATCH', `/classes/${code}/members/${id}`, { name: 'Mallory' }],
      ['DELETE', `/classes/${code}/members/${id}`, undefined],
      ['DELETE', `/classes/${code}`, undefined],
    ] as const) {
      const refused = await call(method, path, body, { ...json, 'x-wirelab-teacher-key': 'guess' });
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect((await problemOf(refused)).error).toBe('TEACHER_KEY_REQUIRED');
    }
    expect(await memberId(code, 'Anna')).toBe(id);
  });

  it('rename a student: the student’s page hears the new name, the results stay, a taken name is 409', async () => {
    const code = await newClass('Seminar 4');
    const anna = await join(code, 'Anna');
    await join(code, 'Boris');
    await post(
      server.origin,
      '/_wirelab/class/progress',
      { lesson: 'rest', exercise: 'create-201', passed: true },
      { ...json, 'x-wirelab-member': anna.memberToken, cookie: creatorCookie },
    );
    const id = await memberId(code, 'Anna');
    const page = await studentChannel(anna.memberToken);

    const renamed = page.next('renamed');
    const answer = await call('PATCH', `/classes/${code}/members/${id}`, { name: '  Анна   К. ' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ id, name: 'Анна К.' });
    expect(await renamed).toEqual({ type: 'renamed', name: 'Анна К.' });
    const me = (await (await fetch(`${server.origin}/_wirelab/class/me`, { headers: { 'x-wirelab-member': anna.memberToken } })).json()) as {
      name: string;
      results: unknown[];
    };
    expect(me.name).toBe('Анна К.');
    expect(me.results).toHaveLength(1);

    const taken = await call('PATCH', `/classes/${code}/members/${id}`, { name: 'BORIS' });
    expect(taken.status).toBe(409);
    expect(await problemOf(taken)).toMatchObject({ error: 'NAME_TAKEN', localized: { ru: expect.stringContaining('уже занято') } });
    const empty = await call('PATCH', `/classes/${code}/members/${id}`, { name: '   ' });
    expect(empty.status).toBe(400);
    expect((await problemOf(empty)).error).toBe('BAD_NAME');
    expect((await call('PATCH', `/classes/${code}/members/${id}`, { title: 'no name' })).status).toBe(400);
    page.socket.close();
  });

  it('remove a student: the page leaves at once (4410), the token opens nothing, the board forgets them', async () => {
    const code = await newClass('Seminar 5');
    const anna = await join(code, 'Anna');
    const id = await memberId(code, 'Anna');
    const page = await studentChannel(anna.memberToken);

    expect((await call('DELETE', `/classes/${code}/members/${id}`)).status).toBe(204);
    expect(await page.closed).toEqual({ code: 4410, reason: 'removed from the class by the teacher' });
    expect((await fetch(`${server.origin}/_wirelab/class/me`, { headers: { 'x-wirelab-member': anna.memberToken } })).status).toBe(401);
    const board = (await (await call('GET', `/classes/${code}/board`)).json()) as { members: unknown[] };
    expect(board.members).toEqual([]);
    const again = await call('DELETE', `/classes/${code}/members/${id}`);
    expect(again.status).toBe(404);
    expect(await problemOf(again)).toMatchObject({
      error: 'NO_SUCH_MEMBER',
      localized: { en: 'There is no such student in this class', ru: 'В этом классе нет такого студента' },
    });
    // the name is free: somebody may join with it as a new student
    expect((await join(code, 'Anna')).rejoinCode).not.toBe(anna.rejoinCode);
  });

  it('act only on a student of the class named in the address', async () => {
    const code = await newClass('Mine');
    const other = await newClass('Theirs');
    await join(other, 'Zoe');
    const zoe = await memberId(other, 'Zoe');
    expect((await call('DELETE', `/classes/${code}/members/${zoe}`)).status).toBe(404);
    expect((await call('PATCH', `/classes/${code}/members/${zoe}`, { name: 'Z' })).status).toBe(404);
    expect((await call('DELETE', `/classes/${code}/members/not-a-number`)).status).toBe(404);
    expect((await call('DELETE', `/classes/AAAAAA/members/${zoe}`)).status).toBe(404);
    expect(await memberId(other, 'Zoe')).toBe(zoe);
  });

  it('delete a class: its students’ pages leave (4411), its codes and tokens open nothing, the list shrinks', async () => {
    const code = await newClass('Last term');
    const [anna, boris] = [await join(code, 'Anna'), await join(code, 'Boris')];
    const pages = [await studentChannel(anna.memberToken), await studentChannel(boris.memberToken)];

    expect((await call('DELETE', `/classes/${code.toLowerCase()}`)).status).toBe(204);
    for (const page of pages) expect((await page.closed).code).toBe(4411);
    expect((await call('GET', `/classes/${code}/board`)).status).toBe(404);
    const list = (await (await call('GET', '/classes')).json()) as { classes: Array<{ code: string }> };
    expect(list.classes.map((entry) => entry.code)).not.toContain(code);
    expect((await post(server.origin, '/_wirelab/class/join', { code, name: 'Late' })).status).toBe(404);
    expect((await fetch(`${server.origin}/_wirelab/class/me`, { headers: { 'x-wirelab-member': boris.memberToken } })).status).toBe(401);
    const again = await call('DELETE', `/classes/${code}`);
    expect(again.status).toBe(404);
    expect((await problemOf(again)).error).toBe('NO_SUCH_CLASS');
  });
});

describe('the teacher’s controls over the class channel (the board page)', () => {
  async function teacherChannel() {
    const channel = await openChannel(server.origin);
    const ready = channel.next('teacher-ready');
    channel.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await ready;
    return channel;
  }
  const send = (socket: WebSocket, message: unknown) => socket.send(JSON.stringify(message));

  it('renames and removes from the board, which shows each change; a refusal comes back as an error', async () => {
    const code = await newClass('Board work');
    const anna = await join(code, 'Anna');
    await join(code, 'Boris');
    const id = await memberId(code, 'Anna');
    const desk = await teacherChannel();
    const first = desk.next('board');
    send(desk.socket, { type: 'watch', code });
    await first;

    let board = desk.next('board');
    send(desk.socket, { type: 'rename-member', code, memberId: id, name: 'Anna K.' });
    expect(((await board) as { board: { members: Array<{ name: string }> } }).board.members.map((member) => member.name)).toEqual(['Anna K.', 'Boris']);

    const error = desk.next('error');
    send(desk.socket, { type: 'rename-member', code, memberId: id, name: 'boris' });
    expect(await error).toEqual({ type: 'error', error: 'NAME_TAKEN' });

    const page = await studentChannel(anna.memberToken);
    board = desk.next('board');
    send(desk.socket, { type: 'remove-member', code, memberId: id });
    expect((await page.closed).code).toBe(4410);
    // the board may first show Anna's page going offline; it ends without her
    await expect
      .poll(async () => desk.messages.filter((message) => message.type === 'board').at(-1))
      .toMatchObject({ board: { members: [{ name: 'Boris' }] } });
    await board;
    desk.socket.close();
  });

  it('deletes the class it watches: the board is told, the class list no longer has it', async () => {
    const code = await newClass('Short course');
    await join(code, 'Anna');
    const desk = await teacherChannel();
    const first = desk.next('board');
    send(desk.socket, { type: 'watch', code });
    await first;
    const deleted = desk.next('class-deleted');
    const classes = desk.next('classes');
    send(desk.socket, { type: 'delete-class', code });
    expect(await deleted).toEqual({ type: 'class-deleted', code });
    expect(((await classes) as { classes: Array<{ code: string }> }).classes.map((entry) => entry.code)).not.toContain(code);
    const error = desk.next('error');
    send(desk.socket, { type: 'delete-class', code });
    expect(await error).toEqual({ type: 'error', error: 'NO_SUCH_CLASS' });
    desk.socket.close();
  });
});

const progress = (token: string, body: unknown) =>
  post(server.origin, '/_wirelab/class/progress', body, { ...json, 'x-wirelab-member': token, cookie: creatorCookie });

describe('one student’s attempts', () => {
  it('lists each counted attempt newest first, with what a miss was about; the teacher key and the class’s own student only', async () => {
    const code = await newClass('Attempts');
    const anna = await join(code, 'Anna');
    const id = await memberId(code, 'Anna');
    // a real miss this session's browser made (the server counts only those, issue 51), then the pass
    const cookie = await newSessionCookie(server.origin);
    const miss = await failCreateUserAs(server.origin, cookie);
    const asAnna = (body: unknown) => post(server.origin, '/_wirelab/class/progress', body, { ...json, 'x-wirelab-member': anna.memberToken, cookie });
    expect(await (await asAnna({ lesson: 'rest', exercise: 'create-201', passed: false, miss })).json()).toMatchObject({ counted: true, miss });
    await createUserAs(server.origin, cookie);
    expect((await asAnna({ lesson: 'rest', exercise: 'create-201', passed: true })).status).toBe(200);
    // after the first pass nothing more is counted, nor kept as an attempt
    expect((await progress(anna.memberToken, { lesson: 'rest', exercise: 'create-201', passed: false, miss })).status).toBe(200);

    // a miss naming a query (where a token could be) or an unknown verdict is refused, not kept
    for (const bad of [{ ...miss, request: 'GET /api/v1/users?token=abc' }, { kind: 'guess' }, 'no-request', { kind: 'no-request', status: 42 }]) {
      const refused = await progress(anna.memberToken, { lesson: 'rest', exercise: 'create-201', passed: false, miss: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect((await problemOf(refused)).error).toBe('BAD_RESULT');
    }

    const answer = await call('GET', `/classes/${code}/members/${id}/attempts`);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { code: string; memberId: number; name: string; attempts: Array<{ passed: boolean; miss: unknown; ms: number }> };
    expect(body).toMatchObject({ code, memberId: id, name: 'Anna' });
    expect(body.attempts.map((attempt) => [attempt.passed, attempt.miss])).toEqual([
      [true, null],
      [false, miss],
    ]);
    expect(body.attempts[0].ms).toBeGreaterThanOrEqual(body.attempts[1].ms);

    const locked = await call('GET', `/classes/${code}/members/${id}/attempts`, undefined, { 'x-wirelab-teacher-key': 'guess' });
    expect(locked.status).toBe(403);
    expect((await problemOf(locked)).error).toBe('TEACHER_KEY_REQUIRED');
    const other = await newClass('Other');
    const notHere = await call('GET', `/classes/${other}/members/${id}/attempts`);
    expect(notHere.status).toBe(404);
    expect(await problemOf(notHere)).toMatchObject({ error: 'NO_SUCH_MEMBER', localized: { ru: 'В этом классе нет такого студента' } });
    expect((await call('GET', `/classes/${code}/members/nobody/attempts`)).status).toBe(404);
  });
});

describe('ending a class, the teacher’s message and the timer over HTTP', () => {
  it('ends a class: joins and results refused in both languages, the student’s page told, the board and CSV kept; reopening lets them in', async () => {
    const code = await newClass('Last lesson');
    const anna = await join(code, 'Anna');
    const cookie = await newSessionCookie(server.origin);
    const miss = await failCreateUserAs(server.origin, cookie);
    await post(
      server.origin,
      '/_wirelab/class/progress',
      { lesson: 'rest', exercise: 'create-201', passed: false, miss },
      { ...json, 'x-wirelab-member': anna.memberToken, cookie },
    );
    const page = await studentChannel(anna.memberToken);
    const told = page.next('class-status');

    const ended = await call('POST', `/classes/${code}/end`, {});
    expect(ended.status).toBe(200);
    const state = (await ended.json()) as { endedMs: number };
    expect(state).toEqual({ endedMs: expect.any(Number), notice: null, assignment: null, frozenMs: null, timer: null });
    expect(await told).toMatchObject({ type: 'class-status', status: { endedMs: state.endedMs }, now: expect.any(Number) });
    // ending again keeps the first time
    expect(((await (await call('POST', `/classes/${code}/end`, {})).json()) as { endedMs: number }).endedMs).toBe(state.endedMs);

    const refused = await post(server.origin, '/_wirelab/class/join', { code, name: 'Boris' });
    expect(refused.status).toBe(403);
    expect(await problemOf(refused)).toMatchObject({
      error: 'CLASS_ENDED',
      localized: { en: expect.stringContaining('ended'), ru: expect.stringContaining('завершил') },
    });
    expect((await post(server.origin, '/_wirelab/class/join', { code, name: 'Anna', rejoinCode: anna.rejoinCode })).status).toBe(403);
    const late = await progress(anna.memberToken, { lesson: 'rest', exercise: 'create-201', passed: true });
    expect(late.status).toBe(403);
    expect((await problemOf(late)).error).toBe('CLASS_ENDED');

    const board = (await (await call('GET', `/classes/${code}/board`)).json()) as {
      status: { endedMs: number };
      members: Array<{ results: Array<{ attempts: number; passedMs: null }> }>;
    };
    expect(board.status.endedMs).toBe(state.endedMs);
    expect(board.members[0].results).toEqual([expect.objectContaining({ attempts: 1, passedMs: null })]);
    const csv = await call('GET', `/classes/${code}/export.csv`);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('Anna,rest,create-201,no,1');
    const list = (await (await call('GET', '/classes')).json()) as { classes: Array<{ code: string; endedMs: number | null }> };
    expect(list.classes.find((entry) => entry.code === code)?.endedMs).toBe(state.endedMs);

    const reopened = page.next('class-status');
    expect((await call('POST', `/classes/${code}/reopen`, {})).status).toBe(200);
    expect(await reopened).toMatchObject({ status: { endedMs: null } });
    expect((await progress(anna.memberToken, { lesson: 'rest', exercise: 'create-201', passed: true })).status).toBe(200);
    expect((await post(server.origin, '/_wirelab/class/join', { code, name: 'Boris' })).status).toBe(200);
    expect((await call('POST', '/classes/AAAAAA/end', {})).status).toBe(404);
    page.socket.close();
  });

  it('sends a message and a timer to every student, kept for a page that comes later; bad ones are refused', async () => {
    const code = await newClass('Break');
    const anna = await join(code, 'Anna');
    const page = await studentChannel(anna.memberToken);

    let told = page.next('class-status');
    const text = '<img src=x onerror=alert(1)> Перерыв 10 минут';
    expect((await call('PUT', `/classes/${code}/notice`, { text })).status).toBe(200);
    expect(await told).toMatchObject({ status: { notice: { text, sentMs: expect.any(Number) } } });
    told = page.next('class-status');
    const timed = await call('PUT', `/classes/${code}/timer`, { minutes: 10 });
    expect(timed.status).toBe(200);
    const timer = ((await timed.json()) as { timer: { startedMs: number; endsMs: number } }).timer;
    expect(timer.endsMs - timer.startedMs).toBe(10 * 60_000);
    expect(await told).toMatchObject({ status: { notice: { text }, timer } });

    // a page that connects now gets both, after its `joined`
    const later = await openChannel(server.origin);
    const status = later.next('class-status');
    later.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: anna.memberToken }));
    expect(await status).toMatchObject({ status: { notice: { text }, timer, endedMs: null } });
    expect(later.messages.map((message) => message.type).indexOf('joined')).toBe(0);

    for (const [path, body, error] of [
      ['notice', { text: 'x'.repeat(281) }, 'BAD_NOTICE'],
      ['notice', { text: '  \n ' }, 'BAD_NOTICE'],
      ['notice', {}, 'BAD_NOTICE'],
      ['timer', { minutes: 0 }, 'BAD_TIMER'],
      ['timer', { minutes: 181 }, 'BAD_TIMER'],
      ['timer', { minutes: 2.5 }, 'BAD_TIMER'],
      ['timer', { minutes: '5' }, 'BAD_TIMER'],
    ] as const) {
      const refused = await call('PUT', `/classes/${code}/${path}`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect((await problemOf(refused)).error).toBe(error);
    }
    const locked = await call('PUT', `/classes/${code}/notice`, { text: 'hi' }, { ...json, 'x-wirelab-teacher-key': 'guess' });
    expect(locked.status).toBe(403);

    told = page.next('class-status');
    expect((await call('DELETE', `/classes/${code}/timer`)).status).toBe(200);
    expect(await told).toMatchObject({ status: { notice: { text }, timer: null } });
    told = page.next('class-status');
    expect((await call('DELETE', `/classes/${code}/notice`)).status).toBe(200);
    expect(await told).toMatchObject({ status: { notice: null, timer: null } });
    page.socket.close();
    later.socket.close();
  });
});

describe('the class’s state and attempts over the class channel (the board page)', () => {
  it('ends, sends a message and a timer from the board, which shows each; opens one student’s attempts', async () => {
    const code = await newClass('Desk');
    const anna = await join(code, 'Anna');
    const cookie = await newSessionCookie(server.origin);
    const miss = await failCreateUserAs(server.origin, cookie);
    await post(
      server.origin,
      '/_wirelab/class/progress',
      { lesson: 'rest', exercise: 'create-201', passed: false, miss },
      { ...json, 'x-wirelab-member': anna.memberToken, cookie },
    );
    const id = await memberId(code, 'Anna');
    const desk = await openChannel(server.origin);
    const ready = desk.next('teacher-ready');
    desk.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await ready;
    const first = desk.next('board');
    desk.socket.send(JSON.stringify({ type: 'watch', code }));
    await first;
    const lastStatus = () => (desk.messages.filter((message) => message.type === 'board').at(-1) as { board: { status: unknown } } | undefined)?.board.status;

    desk.socket.send(JSON.stringify({ type: 'notice', code, text: 'Exercise 3 now' }));
    await expect.poll(lastStatus).toMatchObject({ notice: { text: 'Exercise 3 now' } });
    desk.socket.send(JSON.stringify({ type: 'timer', code, minutes: 3 }));
    await expect.poll(lastStatus).toMatchObject({ timer: { endsMs: expect.any(Number) } });
    desk.socket.send(JSON.stringify({ type: 'end-class', code }));
    await expect.poll(lastStatus).toMatchObject({ endedMs: expect.any(Number) });
    const refused = desk.next('error');
    desk.socket.send(JSON.stringify({ type: 'timer', code, minutes: -1 }));
    expect(await refused).toEqual({ type: 'error', error: 'BAD_TIMER' });

    const attempts = desk.next('member-attempts');
    desk.socket.send(JSON.stringify({ type: 'member-attempts', code, memberId: id }));
    expect(await attempts).toMatchObject({
      code,
      memberId: id,
      name: 'Anna',
      attempts: [{ lesson: 'rest', exercise: 'create-201', passed: false, miss }],
    });
    const missing = desk.next('error');
    desk.socket.send(JSON.stringify({ type: 'member-attempts', code, memberId: 999999 }));
    expect(await missing).toEqual({ type: 'error', error: 'NO_SUCH_MEMBER' });
    desk.socket.close();
  });
});

describe('resetting the students’ data', () => {
  async function session(): Promise<string> {
    const response = await fetch(`${server.origin}/_wirelab/session`);
    return `wirelab_session=${/wirelab_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]}`;
  }
  const users = async (cookie: string): Promise<unknown> => (await fetch(`${server.origin}/api/v1/users?limit=100`, { headers: { cookie } })).json();
  const createUser = (cookie: string, name: string) =>
    fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, ...json },
      body: JSON.stringify({ name, email: `${name.toLowerCase()}-${Date.now()}@example.com` }),
    });

  it('gives each student online the starting data back, as their own “Reset my data” does, and tells their page; nobody else’s', async () => {
    const code = await newClass('Demo');
    const anna = await join(code, 'Anna');
    const [annaCookie, bystanderCookie] = [await session(), await session()];
    const start = JSON.stringify(await users(annaCookie));
    expect((await createUser(annaCookie, 'Mallory')).status).toBe(201);
    expect((await createUser(bystanderCookie, 'Trent')).status).toBe(201);
    const bystanderBefore = JSON.stringify(await users(bystanderCookie));
    expect(JSON.stringify(await users(annaCookie))).not.toBe(start);

    // Anna's page: its channel carries her browser's cookie
    const page = await openChannel(server.origin, { cookie: annaCookie });
    const joined = page.next('joined');
    page.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: anna.memberToken }));
    await joined;
    const told = page.next('data-reset');

    const locked = await call('POST', `/classes/${code}/reset-data`, undefined, { 'x-wirelab-teacher-key': 'guess' });
    expect(locked.status).toBe(403);
    expect(JSON.stringify(await users(annaCookie))).not.toBe(start);

    expect((await call('POST', `/classes/${code}/reset-data`)).status).toBe(204);
    expect(await told).toEqual({ type: 'data-reset' });
    expect(JSON.stringify(await users(annaCookie))).toBe(start);
    expect(JSON.stringify(await users(bystanderCookie))).toBe(bystanderBefore);
    expect((await call('POST', '/classes/AAAAAA/reset-data')).status).toBe(404);
    page.socket.close();
  });
});

describe('assigning an exercise, the teacher’s cell and the board’s history', () => {
  async function teacherDesk(code: string, headers: Record<string, string> = {}) {
    const desk = await openChannel(server.origin, headers);
    const ready = desk.next('teacher-ready');
    desk.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await ready;
    const first = desk.next('board');
    desk.socket.send(JSON.stringify({ type: 'watch', code }));
    await first;
    return desk;
  }
  type Action = { kind: string; ms: number; text?: string; from?: string; minutes?: number; lesson?: string; exercise?: string; cell?: string };
  const lastBoard = (desk: Awaited<ReturnType<typeof openChannel>>) =>
    (desk.messages.filter((message) => message.type === 'board').at(-1) as { board: { status: { assignment: unknown }; history: Action[] } } | undefined)
      ?.board;

  it('assigns an exercise of the course to every student (over HTTP and the channel), kept for a page that comes later; clears it; refuses one that does not exist', async () => {
    const code = await newClass('Assign');
    const anna = await join(code, 'Anna');
    const page = await studentChannel(anna.memberToken);
    let told = page.next('class-status');
    const assigned = await call('PUT', `/classes/${code}/assignment`, { lesson: 'rest', exercise: 'create-201' });
    expect(assigned.status).toBe(200);
    expect(await assigned.json()).toMatchObject({ assignment: { lesson: 'rest', exercise: 'create-201', sentMs: expect.any(Number) } });
    expect(await told).toMatchObject({ status: { assignment: { lesson: 'rest', exercise: 'create-201' } } });

    for (const body of [{ lesson: 'rest', exercise: 'nope' }, { lesson: 'nope', exercise: 'create-201' }, { lesson: 'rest' }, {}]) {
      const refused = await call('PUT', `/classes/${code}/assignment`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      const problem = await problemOf(refused);
      expect(problem.error).toBe('NO_SUCH_EXERCISE');
      expect(problem.localized.ru).toContain('упражнения');
    }
    expect(
      (await call('PUT', `/classes/${code}/assignment`, { lesson: 'rest', exercise: 'create-201' }, { ...json, 'x-wirelab-teacher-key': 'guess' })).status,
    ).toBe(403);
    expect((await call('PUT', '/classes/AAAAAA/assignment', { lesson: 'rest', exercise: 'create-201' })).status).toBe(404);

    // a page that connects later gets it with the class's state
    const later = await openChannel(server.origin);
    const status = later.next('class-status');
    later.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: anna.memberToken }));
    expect(await status).toMatchObject({ status: { assignment: { lesson: 'rest', exercise: 'create-201' } } });

    // from the board: another exercise, then cleared
    const desk = await teacherDesk(code);
    told = page.next('class-status');
    desk.socket.send(JSON.stringify({ type: 'assign', code, lesson: 'graphql', exercise: 'create-post' }));
    expect(await told).toMatchObject({ status: { assignment: { lesson: 'graphql', exercise: 'create-post' } } });
    await expect.poll(() => lastBoard(desk)?.status.assignment).toMatchObject({ lesson: 'graphql', exercise: 'create-post' });
    const refused = desk.next('error');
    desk.socket.send(JSON.stringify({ type: 'assign', code, lesson: 'graphql', exercise: 'create-201' }));
    expect(await refused).toEqual({ type: 'error', error: 'NO_SUCH_EXERCISE' });
    told = page.next('class-status');
    expect((await call('DELETE', `/classes/${code}/assignment`)).status).toBe(200);
    expect(await told).toMatchObject({ status: { assignment: null } });
    for (const channel of [page, later, desk]) channel.socket.close();
  });

  it('sends the leading tab’s cell to the students who follow, with every secret of the teacher’s session blanked; a bad cell is refused', async () => {
    const code = await newClass('Cells');
    const [anna, boris] = [await join(code, 'Anna'), await join(code, 'Boris')];
    const follower = await studentChannel(anna.memberToken);
    const notFollowing = await studentChannel(boris.memberToken);
    notFollowing.socket.send(JSON.stringify({ type: 'follow', on: false }));
    // the teacher's browser session, and its curl token, as the teacher's page has them
    const issued = await fetch(`${server.origin}/_wirelab/session`);
    const session = {
      ...((await issued.json()) as { curlToken: string }),
      session: /wirelab_session=([^;]+)/.exec(issued.headers.get('set-cookie') ?? '')![1],
    };
    const lead = await openChannel(server.origin, { cookie: `wirelab_session=${session.session}` });
    lead.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    // before `lead` this tab leads no class: refused
    const notLeading = lead.next('error');
    lead.socket.send(JSON.stringify({ type: 'push-cell', lesson: 'rest', cell: 'create-user', value: 'GET /' }));
    expect(await notLeading).toEqual({ type: 'error', error: 'BAD_CELL' });
    const leading = lead.next('leading');
    lead.socket.send(JSON.stringify({ type: 'lead', code }));
    await leading;

    const text = `POST /api/v1/users\nx-wirelab-sandbox: ${session.curlToken}\nCookie: wirelab_session=${session.session}\nContent-Type: application/json\n\n{"name":"${KEY}","email":"a@example.com","note":"${session.session}"}\n`;
    const draft = follower.next('cell-draft');
    const sent = lead.next('cell-sent');
    lead.socket.send(JSON.stringify({ type: 'push-cell', lesson: 'rest', cell: 'create-user', value: text }));
    expect(await sent).toEqual({ type: 'cell-sent', lesson: 'rest', cell: 'create-user' });
    const got = (await draft) as { lesson: string; cell: string; value: string; sentMs: number };
    expect(got).toMatchObject({ lesson: 'rest', cell: 'create-user', sentMs: expect.any(Number) });
    for (const secret of [session.session, session.curlToken.slice('curl.'.length), KEY]) expect(got.value).not.toContain(secret);
    expect(got.value).toHaveLength(text.length);
    expect(got.value.startsWith('POST /api/v1/users\nx-wirelab-sandbox: ')).toBe(true);
    expect(got.value).toContain('"email":"a@example.com"');
    // a student who does not follow gets nothing
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(notFollowing.messages.some((message) => message.type === 'cell-draft')).toBe(false);

    for (const bad of [
      { lesson: 'rest', cell: 'no-such-cell', value: 'x' },
      { lesson: 'rest', cell: 'create-user', value: 'x'.repeat(20_000) },
    ]) {
      const refused = lead.next('error');
      lead.socket.send(JSON.stringify({ type: 'push-cell', ...bad }));
      expect(await refused).toEqual({ type: 'error', error: 'BAD_CELL' });
    }
    for (const channel of [follower, notFollowing, lead]) channel.socket.close();
  });

  it('lists every teacher’s action with its time on the board, newest first', async () => {
    const code = await newClass('History');
    await join(code, 'Anna');
    await join(code, 'Boris');
    const desk = await teacherDesk(code);
    const anna = await memberId(code, 'Anna');
    const boris = await memberId(code, 'Boris');
    const before = Date.now();
    const steps: Array<[Record<string, unknown>, Partial<Action>]> = [
      [
        { type: 'notice', code, text: 'Exercise 3 now' },
        { kind: 'notice', text: 'Exercise 3 now' },
      ],
      [{ type: 'notice', code, text: null }, { kind: 'notice-down' }],
      [
        { type: 'timer', code, minutes: 5 },
        { kind: 'timer', minutes: 5 },
      ],
      [{ type: 'timer', code, minutes: null }, { kind: 'timer-stopped' }],
      [
        { type: 'assign', code, lesson: 'rest', exercise: 'create-201' },
        { kind: 'assigned', lesson: 'rest', exercise: 'create-201' },
      ],
      [{ type: 'assign', code, lesson: null }, { kind: 'assignment-cleared' }],
      [{ type: 'end-class', code }, { kind: 'ended' }],
      [{ type: 'reopen-class', code }, { kind: 'reopened' }],
      [{ type: 'reset-data', code }, { kind: 'data-reset' }],
      [
        { type: 'rename-member', code, memberId: anna, name: 'Anna K.' },
        { kind: 'renamed', from: 'Anna', text: 'Anna K.' },
      ],
      [
        { type: 'remove-member', code, memberId: boris },
        { kind: 'removed', text: 'Boris' },
      ],
    ];
    for (const [message, expected] of steps) {
      desk.socket.send(JSON.stringify(message));
      await expect.poll(() => lastBoard(desk)?.history[0]).toMatchObject(expected);
    }
    const history = lastBoard(desk)!.history;
    expect(history.map((action) => action.kind)).toEqual(steps.map(([, expected]) => expected.kind).reverse());
    for (const action of history) expect(action.ms).toBeGreaterThanOrEqual(before);
    // a script reads the same history with the board
    const board = (await (await call('GET', `/classes/${code}/board`)).json()) as { history: Action[] };
    expect(board.history).toEqual(history);
    desk.socket.close();
  });
});

describe('freezing the students’ writes', () => {
  async function session(): Promise<string> {
    const response = await fetch(`${server.origin}/_wirelab/session`);
    return `wirelab_session=${/wirelab_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]}`;
  }
  const email = () => `f-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const send = (path: string, cookie: string, body: unknown) =>
    fetch(`${server.origin}${path}`, { method: 'POST', headers: { cookie, ...json }, body: JSON.stringify(body) });
  const restWrite = (cookie: string) => send('/api/v1/users', cookie, { name: 'Frozen', email: email() });
  const graphqlWrite = (cookie: string) => send('/graphql', cookie, { query: `mutation { createUser(input: { name: "G", email: "${email()}" }) { id } }` });
  const grpcWrite = (cookie: string) => send('/wirelab.users.v1.UserService/CreateUser', cookie, { name: 'C', email: email() });

  it('refuses every write of a student online to their own data, with each protocol’s error in both languages; reads and other sandboxes go on; unfreezing lets them write', async () => {
    const code = await newClass('Freeze');
    const anna = await join(code, 'Anna');
    const [annaCookie, bystanderCookie] = [await session(), await session()];
    const page = await openChannel(server.origin, { cookie: annaCookie });
    const joined = page.next('joined');
    page.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: anna.memberToken }));
    await joined;
    expect((await restWrite(annaCookie)).status).toBe(201);

    const told = page.next('class-status');
    const frozen = await call('PUT', `/classes/${code}/freeze`);
    expect(frozen.status).toBe(200);
    expect(await frozen.json()).toMatchObject({ frozenMs: expect.any(Number) });
    expect(await told).toMatchObject({ status: { frozenMs: expect.any(Number) } });

    const rest = await restWrite(annaCookie);
    expect(rest.status).toBe(423);
    expect(rest.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await rest.json()) as { status: number; title: string; detail: string; localized: Bilingual };
    expect(problem).toMatchObject({ status: 423, title: 'Locked' });
    expect(problem.detail).toContain('frozen');
    expect(problem.localized.ru).toContain('заморозил');
    const patch = await fetch(`${server.origin}/api/v1/users/1`, {
      method: 'PATCH',
      headers: { cookie: annaCookie, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: 'inactive' }),
    });
    expect(patch.status).toBe(423);
    const graphql = (await (await graphqlWrite(annaCookie)).json()) as {
      errors: Array<{ message: string; extensions: { code: string; localized: { ru: string } } }>;
    };
    expect(graphql.errors[0].extensions.code).toBe('WRITES_FROZEN');
    expect(graphql.errors[0].extensions.localized.ru).toContain('заморозил');
    const grpc = await grpcWrite(annaCookie);
    const grpcBody = (await grpc.json()) as { code: string; message: string };
    expect(grpcBody.code).toBe('failed_precondition');
    expect(grpcBody.message).toContain('frozen');
    // reading works; a browser not in the class writes as before
    expect((await fetch(`${server.origin}/api/v1/users/1`, { headers: { cookie: annaCookie } })).status).toBe(200);
    expect((await restWrite(bystanderCookie)).status).toBe(201);

    // from the board: off again, and the history has both
    const desk = await openChannel(server.origin);
    desk.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await desk.next('teacher-ready');
    const thawed = page.next('class-status');
    desk.socket.send(JSON.stringify({ type: 'freeze', code, on: false }));
    expect(await thawed).toMatchObject({ status: { frozenMs: null } });
    expect((await restWrite(annaCookie)).status).toBe(201);
    const refused = desk.next('error');
    desk.socket.send(JSON.stringify({ type: 'freeze', code, on: 'yes' }));
    expect(await refused).toEqual({ type: 'error', error: 'BAD_FREEZE' });
    const board = (await (await call('GET', `/classes/${code}/board`)).json()) as { history: Array<{ kind: string }> };
    expect(board.history.map((action) => action.kind)).toEqual(['unfrozen', 'frozen']);
    page.socket.close();
    desk.socket.close();
  });
});
