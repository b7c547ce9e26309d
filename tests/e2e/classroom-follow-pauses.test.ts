import { describe, expect, it } from 'vitest';
import { restSuite } from '../../server/own-server/checks/rest.ts';
import { openChannel, post } from '../integration/classroom-client.ts';
import { joinOnThisPage } from './class-pages.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { startGatedPassThrough } from './gated-pass-through.ts';
import { LIVE, textNow } from './lesson-page.ts';

// Issue 35, item 4: following never destroys work. A following student runs "check my server";
// the teacher moves to another lesson meanwhile: the check goes on to its verdict, the page stays
// and says where the teacher is, with a button to go there. Typing in an editor pauses it too, and
// a student who joins while the teacher leads stays on the join page that shows the rejoin code.
// The check goes to Wirelab through a pass-through that holds its bytes until the pause is seen:
// a check against Wirelab itself can end before the teacher's move reaches a loaded page, and
// then following rightly goes on (that race failed CI once).

const lab = useAppAndBrowser();
const json = { 'content-type': 'application/json' };

describe('following the teacher', () => {
  it("waits while a check runs or the student types, says where the teacher is, and goes there on the student's word", async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;
    const created = await post(origin, '/_wirelab/class/classes', { title: 'Pauses' }, { ...json, 'x-wirelab-teacher-key': key });
    const { code } = (await created.json()) as { code: string };

    const student = await openPage(lab.browser);
    await student.goto(`${origin}/en/class?code=${code}`);
    await joinOnThisPage(student, 'Sam');
    await student.goto(`${origin}/en/my-server`);
    await student.locator('[data-testid="class-bar"][data-following="true"]').waitFor(LIVE);

    // the teacher's leading tab, as a channel client: it moves where the test says
    const cookie = (await fetch(`${origin}/_wirelab/session`)).headers.get('set-cookie')!.split(';')[0];
    const teacher = await openChannel(origin, { cookie });
    teacher.socket.send(JSON.stringify({ type: 'hello', role: 'teacher', key }));
    const leading = teacher.next('leading');
    teacher.socket.send(JSON.stringify({ type: 'lead', code }));
    await leading;

    const gate = await startGatedPassThrough(lab.server.port);
    await student.locator('[data-testid="own-server-target"]').fill(gate.target);
    await student.locator('[data-testid="own-server-run"]').click();
    await student.locator('[data-testid="own-server-running"]').waitFor(LIVE);
    teacher.socket.send(JSON.stringify({ type: 'navigate', lesson: 'grpc', section: '' }));
    const paused = student.getByTestId('class-follow-paused');
    // the pause must show while the check is held; the gate opens then
    await paused.waitFor(LIVE).finally(() => gate.open());
    expect(await paused.getAttribute('data-reason')).toBe('check');
    expect(await paused.textContent()).toMatch(/The teacher is at “.*gRPC.*”\. Following waits while your check runs\./);
    // the check was not aborted: its verdict on every check arrives, on the same page (a check held
    // past its 5 s wait for an answer, on a loaded machine, fails as "no answer": still a verdict)
    const summary = student.locator('[data-testid="own-server-summary"]');
    await expect.poll(() => textNow(summary), { timeout: 60_000 }).toMatch(/(\d+) passed, (\d+) failed/);
    const [, passed, failed] = /(\d+) passed, (\d+) failed/.exec((await summary.textContent()) ?? '')!;
    expect(Number(passed) + Number(failed)).toBe(restSuite.checks.length);
    expect(await student.evaluate(() => location.pathname)).toBe('/en/my-server');
    await gate.close();
    await student.getByTestId('class-follow-go').click();
    await expect.poll(() => student.evaluate(() => location.pathname), LIVE).toBe('/en/grpc');
    expect(await paused.count()).toBe(0);

    // typing in an editor: the teacher's next move waits too
    const editor = student.locator('[data-testid="cell"] textarea').first();
    await editor.waitFor(LIVE);
    await editor.click();
    await student.keyboard.type(' ');
    teacher.socket.send(JSON.stringify({ type: 'navigate', lesson: 'rest', section: '' }));
    await paused.waitFor(LIVE);
    expect(await paused.getAttribute('data-reason')).toBe('typing');
    expect(await student.evaluate(() => location.pathname)).toBe('/en/grpc');

    // a student who joins while the teacher leads stays on the page with the rejoin code
    const late = await openPage(lab.browser);
    await late.goto(`${origin}/en/class?code=${code}`);
    await joinOnThisPage(late, 'Lee');
    const latePaused = late.getByTestId('class-follow-paused');
    await latePaused.waitFor(LIVE);
    expect(await latePaused.getAttribute('data-reason')).toBe('class-page');
    expect(await late.evaluate(() => location.pathname)).toBe('/en/class');
    expect(await late.getByTestId('class-bar-rejoin-code').isVisible()).toBe(true);
    await late.getByTestId('class-follow-go').click();
    await expect.poll(() => late.evaluate(() => location.pathname), LIVE).toBe('/en/rest');

    teacher.socket.close();
    await releasePage(late);
    await releasePage(student);
  }, 120_000);
});
