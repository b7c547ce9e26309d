import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { createUserAs, failCreateUserAs, newSessionCookie, openChannel, post } from './classroom-client.ts';
import { startRedisServer, type RunningRedis } from './redis-server.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { sseSuite } from '../../server/own-server/checks/sse.ts';

// One class split across two instances on one Redis behaves as one class (README, "Scaling out";
// server/classroom/README.md, "Several instances").

// Two apps, a Redis and the test on two shared cores: give pushes time (a wait, not a speed check).
vi.setConfig({ expect: { poll: { timeout: 5000 } } });

const KEY = 'scale-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
const json = { 'content-type': 'application/json' };

type Channel = Awaited<ReturnType<typeof openChannel>>;
interface BoardMessage {
  members: Array<{ name: string; online: boolean; following: boolean; results: Array<{ exercise: string; attempts: number; passedMs: number | null }> }>;
}

/** The last board pushed on a teacher's channel. */
const lastBoard = (channel: Channel): BoardMessage | undefined =>
  channel.messages.filter((message) => message.type === 'board').at(-1)?.board as BoardMessage | undefined;
const memberOn = (channel: Channel, name: string) => lastBoard(channel)?.members.find((member) => member.name === name);

describe('a class split across two instances', () => {
  let redis: RunningRedis;
  let a: RunningServer;
  let b: RunningServer;
  const channels: Channel[] = [];
  const open = async (origin: string, headers: Record<string, string> = {}) => {
    const channel = await openChannel(origin, headers);
    channels.push(channel);
    return channel;
  };
  const join = async (origin: string, code: string, name: string) => {
    const response = await post(origin, '/_wirelab/class/join', { code, name });
    expect(response.status).toBe(200);
    return (await response.json()) as { memberToken: string; rejoinCode: string };
  };
  const student = async (origin: string, token: string, following = true) => {
    const channel = await open(origin);
    channel.socket.send(JSON.stringify({ type: 'hello', role: 'student', token, following }));
    await channel.next('joined');
    return channel;
  };
  const teacherChannel = async (origin: string, headers: Record<string, string> = {}) => {
    const channel = await open(origin, headers);
    channel.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await channel.next('teacher-ready');
    return channel;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    const scale = (instanceId: string) => ({ redisUrl: redis.url, keyPrefix: 'classroom-scale-test:', instanceId });
    a = await startServer({ scale: scale('a'), classroom: { teacherKey: KEY } });
    b = await startServer({ scale: scale('b'), classroom: { teacherKey: KEY } });
  });
  afterAll(async () => {
    for (const channel of channels) channel.socket.terminate();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  let code = '';
  let anna = { memberToken: '', rejoinCode: '' };
  let boris = { memberToken: '', rejoinCode: '' };

  it('lets a class made on A be joined on B, with one set of names', async () => {
    const created = await post(a.origin, '/_wirelab/class/classes', { title: 'Поток 2' }, teacher);
    expect(created.status).toBe(201);
    ({ code } = (await created.json()) as { code: string });
    const listedOnB = (await (await fetch(`${b.origin}/_wirelab/class/classes`, { headers: teacher })).json()) as {
      classes: Array<{ code: string; title: string }>;
    };
    expect(listedOnB.classes).toEqual([expect.objectContaining({ code, title: 'Поток 2', members: 0 })]);

    anna = await join(b.origin, code, 'Анна');
    // the name is taken on A too; the member token from B works on A
    expect((await post(a.origin, '/_wirelab/class/join', { code, name: 'анна' })).status).toBe(409);
    const me = await fetch(`${a.origin}/_wirelab/class/me`, { headers: { 'x-wirelab-member': anna.memberToken } });
    expect(await me.json()).toMatchObject({ code, name: 'Анна', title: 'Поток 2' });
    boris = await join(a.origin, code, 'Борис');
  });

  it("shows progress reported on B on A's live board, and both instances' students in the CSV", async () => {
    const lead = await teacherChannel(a.origin);
    lead.socket.send(JSON.stringify({ type: 'watch', code }));
    await lead.next('board');

    // a pass counts where that instance captured it (the board keeps the server's verdicts): each
    // student's browser makes the cell's request on the instance it reports to
    const cookies = { [b.origin]: await newSessionCookie(b.origin), [a.origin]: await newSessionCookie(a.origin) };
    const miss = await failCreateUserAs(b.origin, cookies[b.origin]);
    const wrongMethod = await fetch(`${a.origin}/api/v1/users`, { method: 'DELETE', headers: { cookie: cookies[a.origin] } });
    expect(wrongMethod.status).toBe(405);
    const report = (origin: string, token: string, exercise: string, passed: boolean, body: object = {}) =>
      post(origin, '/_wirelab/class/progress', { lesson: 'rest', exercise, passed, ...body }, { ...json, 'x-wirelab-member': token, cookie: cookies[origin] });
    // a miss B captured (a POST without an email), then the pass
    expect((await report(b.origin, anna.memberToken, 'create-201', false, { miss })).status).toBe(200);
    await createUserAs(b.origin, cookies[b.origin]);
    expect((await report(b.origin, anna.memberToken, 'create-201', true)).status).toBe(200);
    // pushed to the teacher on A, not fetched: the report on B reached A through Redis
    await expect
      .poll(() => memberOn(lead, 'Анна')?.results)
      .toEqual([expect.objectContaining({ exercise: 'create-201', attempts: 2, passedMs: expect.any(Number) })]);
    expect((await report(a.origin, boris.memberToken, 'get-405', true)).status).toBe(200);
    await expect.poll(() => memberOn(lead, 'Борис')?.results).toEqual([expect.objectContaining({ exercise: 'get-405', attempts: 1 })]);

    const csvOf = async (origin: string) =>
      (await (await fetch(`${origin}/_wirelab/class/classes/${code}/export.csv`, { headers: teacher })).text()).trim().split('\r\n');
    const lines = await csvOf(a.origin);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^Анна,rest,create-201,yes,2,/);
    expect(lines[2]).toMatch(/^Борис,rest,get-405,yes,1,/);
    expect(await csvOf(b.origin)).toEqual(lines);
  });

  it('counts students online on either instance, following or not, and forgets those who leave', async () => {
    const lead = await teacherChannel(a.origin);
    lead.socket.send(JSON.stringify({ type: 'watch', code }));
    await lead.next('board');
    const annaOnB = await student(b.origin, anna.memberToken, true);
    const borisOnA = await student(a.origin, boris.memberToken, false);
    await expect.poll(() => memberOn(lead, 'Анна')).toMatchObject({ online: true, following: true });
    await expect.poll(() => memberOn(lead, 'Борис')).toMatchObject({ online: true, following: false });

    // the same presence on B's board
    const watcherOnB = await teacherChannel(b.origin);
    watcherOnB.socket.send(JSON.stringify({ type: 'watch', code }));
    const boardOnB = (await watcherOnB.next('board')).board as BoardMessage;
    expect(boardOnB.members.map(({ name, online, following }) => ({ name, online, following }))).toEqual([
      { name: 'Анна', online: true, following: true },
      { name: 'Борис', online: true, following: false },
    ]);

    annaOnB.socket.send(JSON.stringify({ type: 'follow', on: false }));
    await expect.poll(() => memberOn(lead, 'Анна')).toMatchObject({ online: true, following: false });
    annaOnB.socket.close();
    await expect.poll(() => memberOn(lead, 'Анна')?.online).toBe(false);
    borisOnA.socket.close();
    await expect.poll(() => memberOn(watcherOnB, 'Борис')?.online).toBe(false);
  });

  it("drops an instance's students from the board when it closes, and an instance's presence once its deadline has passed", async () => {
    const lead = await teacherChannel(a.origin);
    lead.socket.send(JSON.stringify({ type: 'watch', code }));
    const annaId = ((await lead.next('board')).board as { members: Array<{ id: number; name: string }> }).members.find((member) => member.name === 'Анна')!.id;

    const c = await startServer({ scale: { redisUrl: redis.url, keyPrefix: 'classroom-scale-test:', instanceId: 'c' }, classroom: { teacherKey: KEY } });
    try {
      await student(c.origin, anna.memberToken, true);
      await expect.poll(() => memberOn(lead, 'Анна')).toMatchObject({ online: true, following: true });
    } finally {
      await c.close();
    }
    // C said goodbye on closing: A's board is pushed without Anna
    await expect.poll(() => memberOn(lead, 'Анна')?.online).toBe(false);

    // An instance that died cannot say goodbye: its entry counts until its deadline only.
    const observer = new Redis(redis.url);
    try {
      const presenceKey = `classroom-scale-test:classroom:presence:${code}`;
      const boardOnA = async () => (await (await fetch(`${a.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json()) as BoardMessage;
      await observer.hset(presenceKey, 'dead', JSON.stringify({ until: Date.now() + 60_000, members: [[annaId, false]] }));
      expect((await boardOnA()).members.find((member) => member.name === 'Анна')).toMatchObject({ online: true, following: false });
      await observer.hset(presenceKey, 'dead', JSON.stringify({ until: Date.now() - 1, members: [[annaId, false]] }));
      expect((await boardOnA()).members.find((member) => member.name === 'Анна')).toMatchObject({ online: false });
      // and the late entry is removed
      await expect.poll(() => observer.hexists(presenceKey, 'dead')).toBe(0);
    } finally {
      await observer.quit();
    }
  });

  it("gives a follower on B the teacher's navigation and relayed traffic from A, blanked, and the replay to one who comes later", async () => {
    const cookie = (await fetch(`${a.origin}/_wirelab/session`)).headers.get('set-cookie')!.split(';')[0];
    const teacherSession = cookie.split('=')[1];
    const lead = await teacherChannel(a.origin, { cookie });
    const followerOnB = await student(b.origin, anna.memberToken, true);
    const notFollowingOnB = await student(b.origin, boris.memberToken, false);

    lead.socket.send(JSON.stringify({ type: 'lead', code }));
    expect(await lead.next('leading')).toMatchObject({ relaying: true });
    lead.socket.send(JSON.stringify({ type: 'navigate', lesson: 'rest', section: 'status-codes' }));
    expect(await followerOnB.next('navigate')).toMatchObject({ lesson: 'rest', section: 'status-codes' });

    const announced = followerOnB.next('teacher-wire');
    const sent = await (await fetch(`${a.origin}/api/v1/users/2`, { headers: { cookie } })).text();
    expect(await announced).toMatchObject({ message: { type: 'connection', conn: { transport: 'http/1.1' } } });
    await expect.poll(() => Buffer.concat(followerOnB.binary).toString('latin1')).toContain(sent);
    const relayed = Buffer.concat(followerOnB.binary).toString('latin1');
    expect(relayed).toContain('GET /api/v1/users/2 HTTP/1.1');
    expect(relayed).not.toContain(teacherSession);
    expect(relayed).toMatch(new RegExp(`cookie: \\*{${cookie.length}}\r\n`, 'i'));
    expect(notFollowingOnB.binary).toHaveLength(0);

    // a follower who opens a channel on B now gets the teacher's place and the traffic so far
    const late = await open(b.origin);
    late.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: anna.memberToken, following: true }));
    expect(await late.next('navigate')).toMatchObject({ lesson: 'rest', section: 'status-codes' });
    await expect.poll(() => Buffer.concat(late.binary).toString('latin1')).toContain(sent);
    // its reset names A's process, as A's capture channel does: the page keys A's connections apart
    expect(a.app.captures?.instance).toMatch(/^a-[0-9a-f]{12}$/);
    expect(late.messages.find((message) => message.type === 'teacher-wire')).toMatchObject({ message: { type: 'reset', instance: a.app.captures?.instance } });

    // an instance started after the teacher navigated reads the teacher's place from Redis
    const c = await startServer({ scale: { redisUrl: redis.url, keyPrefix: 'classroom-scale-test:', instanceId: 'c' }, classroom: { teacherKey: KEY } });
    try {
      const onC = await open(c.origin);
      onC.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: anna.memberToken, following: true }));
      expect(await onC.next('navigate')).toMatchObject({ lesson: 'rest', section: 'status-codes' });
      onC.socket.close();
    } finally {
      await c.close();
    }
  });

  it('closes the old browser’s channel on B at once when the name rejoins on A', async () => {
    const dana = await join(b.origin, code, 'Дана');
    const oldBrowser = await student(b.origin, dana.memberToken);
    const closed = new Promise<number>((resolve) => oldBrowser.socket.on('close', (closeCode) => resolve(closeCode)));
    const again = await post(a.origin, '/_wirelab/class/join', { code, name: 'дана', rejoinCode: dana.rejoinCode });
    expect(again.status).toBe(200);
    expect(await closed).toBe(4409);
  });

  it('gives the teacher’s message, timer and the end of the class from A to students on B, and to one who connects to B later', async () => {
    const ella = await join(b.origin, code, 'Элла');
    const page = await student(b.origin, ella.memberToken, false);
    let status = page.next('class-status');
    expect(
      (await fetch(`${a.origin}/_wirelab/class/classes/${code}/notice`, { method: 'PUT', headers: teacher, body: JSON.stringify({ text: 'Упражнение 3' }) }))
        .status,
    ).toBe(200);
    expect(await status).toMatchObject({ status: { notice: { text: 'Упражнение 3' }, timer: null, endedMs: null } });
    status = page.next('class-status');
    expect(
      (await fetch(`${a.origin}/_wirelab/class/classes/${code}/timer`, { method: 'PUT', headers: teacher, body: JSON.stringify({ minutes: 5 }) })).status,
    ).toBe(200);
    const timed = (await status) as { status: { timer: { startedMs: number; endsMs: number } } };
    expect(timed.status.timer.endsMs - timed.status.timer.startedMs).toBe(5 * 60_000);

    // a page that connects to B afterwards gets what the teacher set on A
    const later = await open(b.origin);
    const laterStatus = later.next('class-status');
    later.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: ella.memberToken, following: false }));
    expect(await laterStatus).toMatchObject({ status: { notice: { text: 'Упражнение 3' }, timer: timed.status.timer } });

    status = page.next('class-status');
    expect((await post(a.origin, `/_wirelab/class/classes/${code}/end`, {}, teacher)).status).toBe(200);
    expect(((await status) as { status: { endedMs: number | null } }).status.endedMs).toEqual(expect.any(Number));
    const refused = await post(b.origin, '/_wirelab/class/join', { code, name: 'Фёдор' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe('CLASS_ENDED');
    expect(
      (
        await post(
          b.origin,
          '/_wirelab/class/progress',
          { lesson: 'rest', exercise: 'create-201', passed: true },
          { ...json, 'x-wirelab-member': ella.memberToken },
        )
      ).status,
    ).toBe(403);
    status = page.next('class-status');
    expect((await post(a.origin, `/_wirelab/class/classes/${code}/reopen`, {}, teacher)).status).toBe(200);
    expect(await status).toMatchObject({ status: { endedMs: null } });
    expect((await post(b.origin, '/_wirelab/class/join', { code, name: 'Фёдор' })).status).toBe(200);
  });

  it('resets, on B, the data of a student whose page is on B when the teacher resets from A', async () => {
    const cookie = (await fetch(`${b.origin}/_wirelab/session`)).headers.get('set-cookie')!.split(';')[0];
    const users = async () => JSON.stringify(await (await fetch(`${b.origin}/api/v1/users?limit=100`, { headers: { cookie } })).json());
    const start = await users();
    const created = await fetch(`${b.origin}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, ...json },
      body: JSON.stringify({ name: 'Mallory', email: `mallory-${Date.now()}@example.com` }),
    });
    expect(created.status).toBe(201);
    expect(await users()).not.toBe(start);
    const gleb = await join(b.origin, code, 'Глеб');
    const page = await open(b.origin, { cookie });
    page.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: gleb.memberToken, following: false }));
    await page.next('joined');
    const told = page.next('data-reset');
    expect((await fetch(`${a.origin}/_wirelab/class/classes/${code}/reset-data`, { method: 'POST', headers: { 'x-wirelab-teacher-key': KEY } })).status).toBe(
      204,
    );
    expect(await told).toEqual({ type: 'data-reset' });
    expect(await users()).toBe(start);
  });

  it('gives students on B the exercise assigned on A and the cell the teacher sent from A (blanked); both boards list the same history', async () => {
    const cookie = (await fetch(`${a.origin}/_wirelab/session`)).headers.get('set-cookie')!.split(';')[0];
    const teacherSession = cookie.split('=')[1];
    const zoya = await join(b.origin, code, 'Зоя');
    const page = await student(b.origin, zoya.memberToken, true);
    const status = page.next('class-status');
    expect(
      (
        await fetch(`${a.origin}/_wirelab/class/classes/${code}/assignment`, {
          method: 'PUT',
          headers: teacher,
          body: JSON.stringify({ lesson: 'rest', exercise: 'get-304' }),
        })
      ).status,
    ).toBe(200);
    expect(await status).toMatchObject({ status: { assignment: { lesson: 'rest', exercise: 'get-304' } } });

    const lead = await teacherChannel(a.origin, { cookie });
    lead.socket.send(JSON.stringify({ type: 'lead', code }));
    await lead.next('leading');
    const draft = page.next('cell-draft');
    lead.socket.send(
      JSON.stringify({ type: 'push-cell', lesson: 'rest', cell: 'get-user', value: `GET /api/v1/users/1\nCookie: ${cookie}\nx-note: ${teacherSession}\n` }),
    );
    const got = (await draft) as { lesson: string; cell: string; value: string };
    expect(got).toMatchObject({ lesson: 'rest', cell: 'get-user' });
    expect(got.value).toMatch(/^GET \/api\/v1\/users\/1\nCookie: \*+\nx-note: \*+\n$/);
    expect(got.value).not.toContain(teacherSession);

    const watchOn = async (origin: string) => {
      const desk = await teacherChannel(origin);
      desk.socket.send(JSON.stringify({ type: 'watch', code }));
      await desk.next('board');
      return desk;
    };
    const historyOf = (desk: Channel) =>
      (desk.messages.filter((message) => message.type === 'board').at(-1)?.board as { history: Array<{ kind: string }> } | undefined)?.history
        .slice(0, 2)
        .map((action) => action.kind);
    const [onA, onB] = [await watchOn(a.origin), await watchOn(b.origin)];
    expect(historyOf(onA)).toEqual(['cell-sent', 'assigned']);
    expect(historyOf(onB)).toEqual(['cell-sent', 'assigned']);
    // an action on B reaches A's live board
    expect((await fetch(`${b.origin}/_wirelab/class/classes/${code}/assignment`, { method: 'DELETE', headers: { 'x-wirelab-teacher-key': KEY } })).status).toBe(
      200,
    );
    await expect.poll(() => historyOf(onA)).toEqual(['assignment-cleared', 'cell-sent']);
  });

  it('refuses, on B, the writes of a student whose page is on B while the teacher has frozen them from A', async () => {
    const cookie = (await fetch(`${b.origin}/_wirelab/session`)).headers.get('set-cookie')!.split(';')[0];
    const write = () =>
      fetch(`${b.origin}/api/v1/users`, {
        method: 'POST',
        headers: { cookie, ...json },
        body: JSON.stringify({ name: 'Ice', email: `ice-${Date.now()}@example.com` }),
      });
    const ivan = await join(b.origin, code, 'Иван');
    // his page's channel carries his browser's cookie: that is how the class knows his sandbox
    const page = await open(b.origin, { cookie });
    let status = page.next('class-status');
    page.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: ivan.memberToken, following: false }));
    await status;
    status = page.next('class-status');
    expect((await fetch(`${a.origin}/_wirelab/class/classes/${code}/freeze`, { method: 'PUT', headers: { 'x-wirelab-teacher-key': KEY } })).status).toBe(200);
    expect(await status).toMatchObject({ status: { frozenMs: expect.any(Number) } });
    const refused = await write();
    expect(refused.status).toBe(423);
    expect(((await refused.json()) as { localized: { ru: string } }).localized.ru).toContain('заморозил');
    status = page.next('class-status');
    expect((await fetch(`${a.origin}/_wirelab/class/classes/${code}/freeze`, { method: 'DELETE', headers: { 'x-wirelab-teacher-key': KEY } })).status).toBe(
      200,
    );
    await status;
    expect((await write()).status).toBe(201);
  });

  it('shares one teacher key made on first start when TEACHER_KEY is not set', async () => {
    const scale = (instanceId: string) => ({ redisUrl: redis.url, keyPrefix: 'classroom-scale-key-test:', instanceId });
    const c = await startServer({ scale: scale('c') });
    const d = await startServer({ scale: scale('d') });
    try {
      expect(c.app.classroom.teacherKey).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(d.app.classroom.teacherKey).toBe(c.app.classroom.teacherKey);
    } finally {
      await c.close();
      await d.close();
    }
  });
  it('shows on A\'s board a member\'s "check my server" run on B, and its details', async () => {
    const watcher = await teacherChannel(a.origin);
    watcher.socket.send(JSON.stringify({ type: 'watch', code }));
    await watcher.next('board');
    const cookie = (await fetch(`${b.origin}/_wirelab/session`)).headers.getSetCookie()[0].split(';')[0];
    expect((await post(b.origin, '/_wirelab/class/join', { code, name: 'Вера' }, { ...json, cookie })).status).toBe(200);
    const run = await fetch(`${b.origin}/_wirelab/own-server/checks`, {
      method: 'POST',
      headers: { ...json, cookie },
      body: JSON.stringify({ protocol: 'sse', target: `127.0.0.1:${b.port}` }),
    });
    expect(((await run.json()) as { targetIsWirelab: boolean }).targetIsWirelab).toBe(true);
    const vera = () =>
      lastBoard(watcher)?.members.find((member) => member.name === 'Вера') as { id: number; servers?: Array<Record<string, unknown>> } | undefined;
    await expect
      .poll(() => vera()?.servers)
      .toEqual([expect.objectContaining({ protocol: 'sse', passed: sseSuite.checks.length, failed: 0, targetIsWirelab: true, port: b.port })]);
    const details = watcher.next('member-server-checks');
    watcher.socket.send(JSON.stringify({ type: 'member-server-checks', code, memberId: vera()!.id, protocol: 'sse' }));
    expect(await details).toMatchObject({
      name: 'Вера',
      protocol: 'sse',
      cell: { passed: sseSuite.checks.length },
      checks: expect.arrayContaining([expect.objectContaining({ id: 'retry-field', outcome: 'pass' })]),
    });
  });
});
