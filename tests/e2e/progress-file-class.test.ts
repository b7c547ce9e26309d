import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, LIVE } from './lesson-page.ts';

// Issue 35: passes brought by an imported progress file come into the student's own page only,
// never onto a class board (a hand-written file once put 102 of 102 exercises there): the board
// keeps the passes the server saw in its own captures of the student's browser.

const lab = useAppAndBrowser();

describe('an imported progress file in a class', () => {
  it('shows its passes on the student’s page and nothing of them on the teacher’s board', async () => {
    const { origin } = lab.server;
    const desk = await openPage(lab.browser);
    await openDesk(desk, origin, lab.server.app.classroom.teacherKey, 'en');
    const code = await createClass(desk, 'Imports');

    const student = await openPage(lab.browser);
    await student.goto(`${origin}/en/class?code=${code}`);
    await joinOnThisPage(student, 'Mia');
    await student.goto(`${origin}/en/course`);
    // the class bar is up on this page: its channel is the one to tell
    await student.getByTestId('class-follow-toggle').waitFor(LIVE);

    const file = join(tmpdir(), `wirelab-progress-class-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        format: 'wirelab-progress',
        version: 1,
        exportedAt: new Date().toISOString(),
        progress: { rest: { 'create-201': { passedAt: Date.now() } } },
        quiz: {},
        cells: {},
      }),
    );
    await student.locator('[data-testid="progress-import"]').setInputFiles(file);
    await student.locator('[data-testid="progress-import-replace"]').click(LIVE);
    await student.locator('[data-testid="progress-imported"]').waitFor(LIVE);

    await student.goto(`${origin}/en/rest`);
    await expect.poll(() => attributeNow(student.locator('[data-testid="exercise"][data-exercise-id="create-201"]'), 'data-state'), LIVE).toBe('passed');

    await desk.getByTestId('board-lesson').selectOption('rest');
    await desk.locator('[data-testid="board-row"][data-name="Mia"]').waitFor(LIVE);
    // what the page would have sent has had time to arrive; nothing of it is on the board
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const result = desk.locator('[data-testid="board-row"][data-name="Mia"] [data-testid="board-result"][data-exercise="rest/create-201"]');
    if ((await result.count()) > 0) expect(await result.getAttribute('data-state')).not.toBe('passed');
    await releasePage(student);
    await releasePage(desk);
  });
});
