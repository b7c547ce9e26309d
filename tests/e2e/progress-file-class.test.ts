import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { openPage, useAppAndBrowser } from './browser.ts';
import { LIVE } from './lesson-page.ts';

// Issue 24: passes brought by an imported progress file reach the class the student is in at
// once (web/course/my-progress.tsx reports them as an exercise card reports a pass), not only at
// the student's next join.

const lab = useAppAndBrowser();

describe('an imported progress file in a class', () => {
  it('shows its passes on the teacher’s board without the student reloading', async () => {
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

    await desk.getByTestId('board-lesson').selectOption('rest');
    const result = desk.locator('[data-testid="board-row"][data-name="Mia"] [data-testid="board-result"][data-exercise="rest/create-201"]');
    await expect.poll(() => result.getAttribute('data-state'), LIVE).toBe('passed');
    await student.context().close();
    await desk.context().close();
  });
});
