import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe-violations.ts';
import { describePage, openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, holdCaptureBack, LIVE, pollEvery, selectedExchange, setEditorText, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();
// the page asked every 250 ms while a test waits, not every 50 ms (lesson-page.ts)
pollEvery(250);

interface LessonJson {
  cells: Record<string, { kind: string; file: string }>;
  exercises: Record<
    string,
    { cell?: string; check: { type: string; request?: { method?: string; path?: string }; response?: { status?: number | number[] } } }
  >;
}
const restLesson = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'lessons', '02-rest', 'lesson.json'), 'utf8')) as LessonJson;

/** The lesson's own "create a user and get 201" exercise, whatever its id. */
const [createExerciseId] = Object.entries(restLesson.exercises).find(
  ([, e]) => e.check.type === 'exchange' && e.check.request?.method === 'POST' && /users/.test(e.check.request?.path ?? '') && e.check.response?.status === 201,
)!;

const createUserRequest = (email: string) => `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Sofia Kovalevskaya', email })}\n`;

describe.each([
  { lang: 'en', title: /REST/ },
  { lang: 'ru', title: /REST/ },
])('the REST lesson in $lang', ({ lang, title }) => {
  it('runs a cell and shows the 201 and the decoded bytes of that very request', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/rest`);
    await expect.poll(() => attributeNow(page.locator('html'), 'lang')).toBe(lang);
    await expect.poll(() => textNow(page.locator('h1').first())).toMatch(title);

    const cell = page.locator('[data-testid="cell"]').first();
    const cellId = (await cell.getAttribute('data-cell-id'))!;
    const email = `sofia-${lang}-${Date.now()}@example.com`;
    await setEditorText(page, cellId, createUserRequest(email));
    await cell.locator('[data-testid="cell-run"]').click();

    await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), { timeout: 10_000 }).toMatch(/201/);
    expect(await cell.locator('[data-testid="response-body"]').textContent()).toContain(email);

    // The inspector shows the captured exchange of this POST, decoded from the real bytes.
    const inspector = page.locator('[data-testid="inspector"]');
    const row = inspector.locator('[data-testid="insp-exchange"]', { hasText: 'POST' }).last();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    const requestLine = inspector.locator('[data-testid="insp-tree-node"][data-kind="request-line"]').first();
    await requestLine.waitFor();
    expect(await requestLine.textContent()).toContain('/api/v1/users');
    // The body bytes carry the email we sent: hovering the body highlights exactly those bytes.
    const body = inspector.locator('[data-testid="insp-tree-node"][data-kind="body"]').first();
    await body.hover();
    const highlighted = inspector.locator('[data-testid="insp-hex-byte"][data-highlighted="true"]');
    await expect.poll(() => highlighted.count()).toBeGreaterThan(email.length);
    await releasePage(page);
  });
});

describe('an HTTP cell whose bytes reach the page late', () => {
  it('says they have not come yet, and a click looks again: the inspector selects them', async () => {
    // The capture channel held back 6 s: the cell looked for the POST's bytes once, 3 s after
    // its answer, and then said "not captured" for good, with nothing to click.
    const page = await openPage(lab.browser);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/en/rest`);
    const cell = page.locator('[data-testid="cell"]').first();
    const cellId = (await cell.getAttribute('data-cell-id'))!;
    const email = `late-${Date.now()}@example.com`;
    await setEditorText(page, cellId, createUserRequest(email));
    await cell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), LIVE).toMatch(/201/);

    const lookAgain = cell.locator('[data-testid="capture-missing"] [data-testid="capture-look-again"]');
    await expect.poll(() => textNow(lookAgain), LIVE).toBe('Look again');
    // the note and its button in the warning's colours: read, named, in contrast
    expect(await axeViolations(page, { include: '[data-testid="capture-missing"]' })).toEqual([]);
    await lookAgain.click();
    await expect.poll(() => textNow(selectedExchange(page)), { timeout: 20_000 }).toMatch(/POST \/api\/v1\/users/);
    expect(await textNow(selectedExchange(page))).toMatch(/201/);
    // found: the cell links to them now and no longer says they are missing
    expect(await cell.locator('[data-testid="capture-missing"]').count()).toBe(0);
    expect(await cell.locator('.response-summary .link-button').textContent()).toBe('Show the bytes in the inspector');
    await releasePage(page);
  });
});

describe('an HTTP cell run again from the keyboard while its request is out', () => {
  it('a request that does not parse leaves the Run button ready, and the first answer, late, changes nothing', async () => {
    // Ctrl+Enter runs the cell even while the Run button says "Sending…": the new run superseded
    // the one in flight, whose own end no longer cleared "running", so the button stayed
    // "Sending…" for good (and did nothing when clicked).
    const page = await openPage(lab.browser);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/users', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(`${lab.server.origin}/en/rest`);
    const cell = page.locator('[data-testid="cell"]').first();
    const cellId = (await cell.getAttribute('data-cell-id'))!;
    await setEditorText(page, cellId, createUserRequest(`held-${Date.now()}@example.com`));
    const runButton = cell.locator('[data-testid="cell-run"]');
    await runButton.click();
    await expect.poll(() => textNow(runButton), LIVE).toMatch(/Sending/);

    await setEditorText(page, cellId, 'this is not an HTTP request');
    const editor = cell.locator('[data-testid="cell-editor-ready"] .monaco-editor');
    await editor.waitFor(LIVE);
    await editor.click();
    await page.keyboard.press('Control+Enter');
    const problem = cell.locator('.cell-message-error[role="alert"]');
    await expect.poll(() => textNow(problem), LIVE).toMatch(/\S/);
    expect(await textNow(runButton)).toMatch(/Run/);

    const answered = page.waitForEvent('requestfinished', (request) => request.url().endsWith('/api/v1/users'));
    release();
    await answered;
    // the first run's answer, now come, is not shown over the second run's problem
    await expect.poll(() => textNow(runButton), LIVE).toMatch(/Run/);
    expect(await textNow(problem)).not.toBeNull();
    expect(await cell.locator('[data-testid="response-status"]').count()).toBe(0);
    await releasePage(page);
  });
});

// One page for the three exercise tests, one after another: each exercise is not passed when its
// test begins, and each test reads its own cell's answer and its own row in the inspector; "does
// not pass it" comes before the traffic that passes that exercise.
const exercisesPage = describePage(lab, '/en/rest');

describe('the 304 exercise', () => {
  it('is not passed by the unchanged cell; the ETag its hint says to copy makes it pass', async () => {
    const page = await exercisesPage();
    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="get-304"]');
    const cell = page.locator('[data-testid="cell"][data-cell-id="conditional-get"]');
    await cell.locator('[data-testid="cell-run"]').click();
    // the placeholder tag matches nothing: 200 with the user's current ETag
    await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), { timeout: 10_000 }).toMatch(/200/);
    const etag = (await cell
      .locator('.header-row', { has: page.locator('dt', { hasText: /^etag$/i }) })
      .locator('dd')
      .textContent())!;
    expect(etag).toMatch(/^"u4-v\d+-/);
    await page.locator('[data-testid="inspector"] [data-testid="insp-exchange"]', { hasText: '200' }).last().waitFor({ timeout: 10_000 });
    expect(await exercise.getAttribute('data-state')).not.toBe('passed');

    const text = await page.evaluate(() =>
      (window as unknown as { __wirelabEditors: Map<string, { getValue(): string }> }).__wirelabEditors.get('conditional-get')!.getValue(),
    );
    expect(text).toContain('"paste-the-etag-here"');
    await setEditorText(page, 'conditional-get', text.replace('"paste-the-etag-here"', etag));
    await cell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), { timeout: 10_000 }).toMatch(/304/);
    await expect.poll(() => attributeNow(exercise, 'data-state'), { timeout: 10_000 }).toBe('passed');
  });
});

describe('exercises', () => {
  it('does not pass it when the server answered something else', async () => {
    const page = await exercisesPage();
    const cellId = (await page.locator('[data-testid="cell"]').first().getAttribute('data-cell-id'))!;
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${cellId}"]`);
    // A POST with an invalid email gets 422, not 201.
    await setEditorText(page, cellId, createUserRequest('not-an-email'));
    await cell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), { timeout: 10_000 }).toMatch(/422/);
    // The checks read the same captured traffic as the inspector: once the 422 is decoded there, the exercise has seen it
    // (its own row, found by its status: the 304 exercise's rows are on this page too).
    await page
      .locator('[data-testid="inspector"] [data-testid="insp-exchange"]', { hasText: /← 422 / })
      .last()
      .waitFor({ timeout: 10_000 });
    expect(await page.locator(`[data-testid="exercise"][data-exercise-id="${createExerciseId}"]`).getAttribute('data-state')).not.toBe('passed');
  });

  it('passes "create a user and get 201" from the traffic the student produced', async () => {
    const page = await exercisesPage();
    const exercise = page.locator(`[data-testid="exercise"][data-exercise-id="${createExerciseId}"]`);
    await exercise.waitFor();
    expect(await exercise.getAttribute('data-state')).not.toBe('passed');

    // The moment the card says "passed", the pass is already in the browser's storage: a student who
    // closes the tab right then keeps it. (The storage was once written a task later, after paint.)
    await page.evaluate((id) => {
      const card = document.querySelector(`[data-testid="exercise"][data-exercise-id="${id}"]`)!;
      new MutationObserver(() => {
        if (card.getAttribute('data-state') !== 'passed' || card.hasAttribute('data-stored-when-shown')) return;
        card.setAttribute('data-stored-when-shown', String(localStorage.getItem('wirelab.progress.v1')?.includes(`"${id}"`) ?? false));
      }).observe(card, { attributes: true, attributeFilter: ['data-state'] });
    }, createExerciseId);

    const cellId = restLesson.exercises[createExerciseId].cell ?? (await page.locator('[data-testid="cell"]').first().getAttribute('data-cell-id'))!;
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${cellId}"]`);
    await setEditorText(page, cellId, createUserRequest(`ex-${Date.now()}@example.com`));
    // A slow laptop: React's commit then takes longer than its scheduler's 5 ms slice, so whatever
    // the card leaves to a passive effect runs in a later task than the one that shows "passed".
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    // clicked by the page itself: playwright's click then waits for navigations the throttled page
    // might schedule, and that wait ran past 30 s on CI's two busy cores (the click was done)
    await cell.locator('[data-testid="cell-run"]').evaluate((button: HTMLElement) => button.click());
    await expect.poll(() => attributeNow(exercise, 'data-state'), { timeout: 20_000 }).toBe('passed');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    expect(await exercise.getAttribute('data-stored-when-shown')).toBe('true');

    // Progress is kept in the browser: it survives a reload.
    await page.reload();
    await expect
      .poll(() => attributeNow(page.locator(`[data-testid="exercise"][data-exercise-id="${createExerciseId}"]`), 'data-state'), { timeout: 10_000 })
      .toBe('passed');
  });
});
