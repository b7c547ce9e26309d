import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../contracts/class-channel/messages.ts';
import { openChannel, post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// Issue 53, item 2: the desk shows where each student's page is and why a follower waits. The
// page says so on its class channel (`place`); the board carries it as the member's `place` and
// `waits`; what is no lesson or no reason is kept as none.

const KEY = 'places-teacher-key';
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ classroom: { teacherKey: KEY } });
});
afterAll(() => server?.close());

const teacher = { 'content-type': 'application/json', 'x-wirelab-teacher-key': KEY };

async function member(code: string, name: string): Promise<Board['members'][number] | undefined> {
  const board = (await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json()) as Board;
  return board.members.find((entry) => entry.name === name);
}

describe('where a student is, on the board', () => {
  it('takes the place and the wait a page says, and keeps none for what is no lesson or no reason', async () => {
    const { code } = (await (await post(server.origin, '/_wirelab/class/classes', { title: 'Places' }, teacher)).json()) as { code: string };
    const joined = (await (await post(server.origin, '/_wirelab/class/join', { code, name: 'Ada' })).json()) as { memberToken: string };
    const channel = await openChannel(server.origin);
    const ready = channel.next('joined');
    channel.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: joined.memberToken, following: true }));
    await ready;
    expect(await member(code, 'Ada')).toMatchObject({ online: true, place: null, waits: null });

    const said = (message: object) => channel.socket.send(JSON.stringify({ type: 'place', ...message }));
    said({ lesson: 'grpc', section: 'streams', waits: 'assignment' });
    await expect.poll(() => member(code, 'Ada')).toMatchObject({ place: { lesson: 'grpc', section: 'streams' }, waits: 'assignment' });
    said({ lesson: null, section: '', waits: null });
    await expect.poll(() => member(code, 'Ada')).toMatchObject({ place: { lesson: null, section: '' }, waits: null });
    // the course page (no lesson) and a reason nobody defined
    said({ lesson: 'course', section: '', waits: 'bored' });
    await expect.poll(() => member(code, 'Ada')).toMatchObject({ place: null, waits: null });
    // a student who does not follow waits for nothing
    said({ lesson: 'rest', section: '', waits: 'own-page' });
    channel.socket.send(JSON.stringify({ type: 'follow', on: false }));
    await expect.poll(() => member(code, 'Ada')).toMatchObject({ following: false, place: { lesson: 'rest', section: '' }, waits: null });

    channel.socket.close();
    await expect.poll(() => member(code, 'Ada')).toMatchObject({ online: false, place: null, waits: null });
  });
});
