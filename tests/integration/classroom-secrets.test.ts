import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChannel, post } from './classroom-client.ts';
import { secretsInRelay } from './relayed-secrets.ts';
import { startServer, type RunningServer } from './start-server.ts';

const KEY = 'teacher-key-for-the-secrets-test';
const json = { 'content-type': 'application/json' };

/**
 * Issue 22's repro: while the teacher leads, the page's `GET /_wirelab/session` reached every
 * follower with the curl token in clear, and a student used it as `x-wirelab-sandbox` to read,
 * create and delete data in the teacher's sandbox. The teacher here does what the page does
 * (session, REST, a WebSocket, joining a class), and every secret of that session is then looked
 * for in everything the follower received, in every spelling the inspector could show.
 */
describe("the teacher's relayed traffic", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ classroom: { teacherKey: KEY } });
  });
  afterAll(() => server.close());

  it("carries no secret of the teacher, and no token taken from it opens the teacher's sandbox", async () => {
    const created = await post(server.origin, '/_wirelab/class/classes', { title: 'Secrets' }, { ...json, 'x-wirelab-teacher-key': KEY });
    const { code } = (await created.json()) as { code: string };
    const student = (await (await post(server.origin, '/_wirelab/class/join', { code, name: 'Student' })).json()) as { memberToken: string };

    const first = await fetch(`${server.origin}/_wirelab/session`);
    const cookie = first.headers.get('set-cookie')!.split(';')[0];
    const session = cookie.split('=')[1];
    const teacher = await openChannel(server.origin, { cookie });
    teacher.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await teacher.next('teacher-ready');
    const follower = await openChannel(server.origin);
    follower.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: student.memberToken }));
    await follower.next('joined');
    teacher.socket.send(JSON.stringify({ type: 'lead', code }));
    expect(await teacher.next('leading')).toMatchObject({ relaying: true });

    // what the teacher's page does while leading
    const { curlToken } = (await (await fetch(`${server.origin}/_wirelab/session`, { headers: { cookie } })).json()) as { curlToken: string };
    const user = await post(server.origin, '/api/v1/users', { name: 'Teacher Only', email: 'teacher-only@example.com' }, { ...json, cookie });
    expect(user.status).toBe(201);
    const userUrl = `${server.origin}/api/v1/users/${((await user.json()) as { id: number }).id}`;
    const joined = (await (await post(server.origin, '/_wirelab/class/join', { code, name: 'Teacher' }, { ...json, cookie })).json()) as {
      memberToken: string;
      rejoinCode: string;
    };
    await post(
      server.origin,
      '/_wirelab/class/progress',
      { lesson: 'rest', exercise: 'create-201', passed: true },
      { ...json, cookie, 'x-wirelab-member': joined.memberToken },
    );
    const echo = new WebSocket(`${server.origin.replace('http', 'ws')}/ws/echo`, { headers: { cookie, origin: server.origin } });
    await new Promise((resolve, reject) => echo.once('open', resolve).once('error', reject));
    const said = `token ${curlToken} session ${session} member ${joined.memberToken}`;
    echo.send(said);
    await new Promise((resolve) => echo.once('message', resolve));
    echo.close();
    await new Promise((resolve) => echo.once('close', resolve));

    // the follower has the echo's close frame: everything before it has been relayed
    await expect
      .poll(() => follower.messages.filter((message) => message.type === 'teacher-wire' && (message.message as { type: string }).type === 'closed').length, {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    await expect.poll(() => Buffer.concat(follower.binary).length).toBeGreaterThan(said.length * 2);

    const secrets = {
      session,
      curlToken,
      curlTokenBody: curlToken.slice('curl.'.length),
      teacherKey: KEY,
      memberToken: joined.memberToken,
      rejoinCode: joined.rejoinCode,
    };
    expect(await secretsInRelay(follower.binary, secrets)).toEqual([]);

    // the repro: whatever stands where the token was opens nothing of the teacher's
    const relayed = Buffer.concat(follower.binary).toString('latin1');
    const standIns = [...new Set([...relayed.matchAll(/"curlToken":"([^"]*)"/g)].map((match) => match[1]))];
    expect(standIns.length).toBeGreaterThan(0);
    for (const token of standIns) {
      const forged = await fetch(userUrl, { headers: { 'x-wirelab-sandbox': token } });
      expect(await forged.text()).not.toContain('teacher-only@example.com');
    }
    // and the teacher's own token still does
    expect((await fetch(userUrl, { headers: { 'x-wirelab-sandbox': curlToken } })).status).toBe(200);
    teacher.socket.close();
    follower.socket.close();
  });
});
