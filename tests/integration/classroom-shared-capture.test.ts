// Issue 52, item 2: the teacher puts a shared capture on the class's screens. Over the class
// channel of a real server, the tab that leads a class sends `navigate {capture}`; followers get
// it (and one who joins later, with `onJoin`), a student who stopped following does not; an id of
// another shape, one the server never kept, an expired and a deleted capture, and a tab that leads
// no class get NO_SUCH_CAPTURE, and nothing of that reaches a student or stops the class. A
// student's page on a shared capture says so to the desk.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../contracts/class-channel/messages.ts';
import { SHARED_CAPTURES_PATH, type SharedCaptureCreated } from '../../contracts/shared-capture/shared-capture.ts';
import { oneExchangePcapng } from '../../wire/fixtures/one-exchange-pcapng.ts';
import { newSession } from './capture-client.ts';
import { openChannel, post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const KEY = 'shared-capture-teacher-key';
const HOUR = 3600_000;
const clock = { shift: 0 };
let dir = '';
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirelab-class-capture-'));
  server = await startServer({
    dataFile: join(dir, 'wirelab.sqlite'),
    sessionSecret: randomBytes(32),
    classroom: { teacherKey: KEY },
    sharedCaptures: { now: () => Date.now() + clock.shift },
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const teacherHeaders = { 'content-type': 'application/json', 'x-wirelab-teacher-key': KEY };

/** A capture shared by `session` (a real POST: blanked and kept by the server); its id. */
async function shareCapture(session: string, expires = '1h'): Promise<string> {
  const pcapng = oneExchangePcapng('GET /api/v1/users/1 HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.1 204 No Content\r\n\r\n');
  const response = await fetch(`${server.origin}${SHARED_CAPTURES_PATH}?expires=${expires}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-pcapng', cookie: `wirelab_session=${session}` },
    body: pcapng,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as SharedCaptureCreated).id;
}

/** A student of `code` with their class channel open and said hello. */
async function studentOf(code: string, name: string, following = true) {
  const joined = (await (await post(server.origin, '/_wirelab/class/join', { code, name })).json()) as { memberToken: string };
  const channel = await openChannel(server.origin);
  const ready = channel.next('joined');
  channel.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: joined.memberToken, following }));
  await ready;
  return channel;
}

const navigations = (channel: { messages: Array<Record<string, unknown>> }) => channel.messages.filter((message) => message.type === 'navigate');

describe('a shared capture on the class’s screens', () => {
  it('goes to the followers and to those who come later, only when the server keeps it', async () => {
    const session = await newSession(server.origin);
    const cookie = `wirelab_session=${session}`;
    const { code } = (await (await post(server.origin, '/_wirelab/class/classes', { title: 'Captures' }, teacherHeaders)).json()) as { code: string };
    const lead = await openChannel(server.origin, { cookie });
    lead.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
    await lead.next('teacher-ready');
    const id = await shareCapture(session);

    // a teacher's tab that leads no class shows nothing
    const notLeading = lead.next('error');
    lead.socket.send(JSON.stringify({ type: 'navigate', capture: id }));
    expect(await notLeading).toEqual({ type: 'error', error: 'NO_SUCH_CAPTURE' });

    const ada = await studentOf(code, 'Ada');
    const boris = await studentOf(code, 'Борис', false);
    lead.socket.send(JSON.stringify({ type: 'lead', code }));
    await lead.next('leading');
    lead.socket.send(JSON.stringify({ type: 'navigate', lesson: 'rest', section: '' }));
    await ada.next('navigate');

    const shown = lead.next('capture-shown');
    const adaGets = ada.next('navigate');
    lead.socket.send(JSON.stringify({ type: 'navigate', capture: id }));
    expect(await shown).toEqual({ type: 'capture-shown', capture: id });
    expect(await adaGets).toEqual({ type: 'navigate', capture: id });

    // refused: another shape, a well-formed id the server never kept, an expired capture, a deleted one
    const unknown = randomBytes(16).toString('base64url');
    const expiring = await shareCapture(session);
    const deleted = await shareCapture(session);
    expect((await fetch(`${server.origin}${SHARED_CAPTURES_PATH}/${deleted}`, { method: 'DELETE', headers: { cookie } })).status).toBe(204);
    clock.shift = HOUR;
    for (const bad of [`${id}/../x`, 'short', 42, null, unknown, expiring, deleted]) {
      const refused = lead.next('error');
      lead.socket.send(JSON.stringify({ type: 'navigate', capture: bad }));
      expect(await refused).toEqual({ type: 'error', error: 'NO_SUCH_CAPTURE' });
    }
    clock.shift = 0;

    // nothing else lost: the class goes on, the followers still at the capture shown, the teacher's next move reaches them
    expect(navigations(ada).at(-1)).toEqual({ type: 'navigate', capture: id });
    const late = await studentOf(code, 'Lee');
    expect(navigations(late)).toEqual([{ type: 'navigate', capture: id, onJoin: true }]);
    // a student who did not follow was not moved, and lands on it on following
    expect(navigations(boris)).toEqual([]);
    const borisGets = boris.next('navigate');
    boris.socket.send(JSON.stringify({ type: 'follow', on: true }));
    expect(await borisGets).toEqual({ type: 'navigate', capture: id });

    const back = ada.next('navigate');
    lead.socket.send(JSON.stringify({ type: 'navigate', lesson: 'grpc', section: 'streams' }));
    expect(await back).toEqual({ type: 'navigate', lesson: 'grpc', section: 'streams' });

    // the board's history lists it, once
    const board = (await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacherHeaders })).json()) as Board;
    expect(board.history.filter((action) => action.kind === 'capture-shown').map((action) => action.capture)).toEqual([id]);

    // the desk's "now" column: a page on a shared capture says which; an id of another shape is no place
    const placeOf = async (name: string) =>
      ((await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacherHeaders })).json()) as Board).members.find(
        (member) => member.name === name,
      )?.place;
    late.socket.send(JSON.stringify({ type: 'place', capture: id, waits: null }));
    await expect.poll(() => placeOf('Lee')).toEqual({ capture: id });
    late.socket.send(JSON.stringify({ type: 'place', capture: '../../x', waits: null }));
    await expect.poll(() => placeOf('Lee')).toBeNull();

    for (const channel of [lead, ada, boris, late]) channel.socket.close();
  });
});
