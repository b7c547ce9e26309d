import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { openChannel, post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The teacher's controls against a real server: over HTTP (a script) and over the class channel
// (the page), each change reaching the store, the student's own channel and the board.

const KEY = 'controls-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
const json = { 'content-type': 'application/json' };

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ classroom: { teacherKey: KEY }, clientLimits: { rates: { classJoins: { perAddress: 100 } } } });
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
  const closed = new Promise<{ code: number; reason: string }>((resolve) => channel.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const joined = channel.next('joined');
  channel.socket.send(JSON.stringify({ type: 'hello', role: 'student', token }));
  await joined;
  return { ...channel, closed };
}

async function problemOf(response: Response): Promise<{ status: number; error: string; localized: { en: string; ru: string } }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { status: number; error: string; localized: { en: string; ru: string } };
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
    await post(server.origin, '/_wirelab/class/progress', { lesson: 'rest', exercise: 'create-201', passed: true }, { ...json, 'x-wirelab-member': anna.memberToken });
    const id = await memberId(code, 'Anna');
    const page = await studentChannel(anna.memberToken);

    const renamed = page.next('renamed');
    const answer = await call('PATCH', `/classes/${code}/members/${id}`, { name: '  Анна   К. ' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ id, name: 'Анна К.' });
    expect(await renamed).toEqual({ type: 'renamed', name: 'Анна К.' });
    const me = (await (await fetch(`${server.origin}/_wirelab/class/me`, { headers: { 'x-wirelab-member': anna.memberToken } })).json()) as { name: string; results: unknown[] };
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
    expect(await problemOf(again)).toMatchObject({ error: 'NO_SUCH_MEMBER', localized: { en: 'There is no such student in this class', ru: 'В этом классе нет такого студента' } });
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
    await expect.poll(async () => desk.messages.filter((message) => message.type === 'board').at(-1)).toMatchObject({ board: { members: [{ name: 'Boris' }] } });
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
