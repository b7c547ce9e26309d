import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { axeViolations } from './axe-violations.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, exerciseCard, exerciseStateNow, LIVE, textNow } from './lesson-page.ts';

// A question about a capture file of the lesson (issue 52 item 4), lesson 04's find-trailers on
// grpc-not-found.pcapng (python3-grpcio on both ends): the card opens the capture in the
// inspector, the student clicks a frame there and answers with it; the page judges at once, a
// wrong frame says why, and in a class the teacher's board shows the pass the server judged.

const lab = useAppAndBrowser();

const WORDS = {
  en: {
    open: 'Open the capture',
    answer: 'Answer with the selected frame',
    nothing: /Nothing selected yet/,
    wrong: /^Not this one: h2-frame · HEADERS .* is not the frame/,
  },
  ru: {
    open: 'Открыть запись',
    answer: 'Ответить выбранным кадром',
    nothing: /Пока ничего не выбрано/,
    wrong: /^Не этот: h2-frame · HEADERS .* — не тот кадр/,
  },
} as const;

const inspectorOf = (page: Page) => page.locator('[data-testid="inspector"]');

/** Opens the capture from the card; resolves once the inspector shows it (its layers may still be on their way). */
async function openFromCard(page: Page, lang: 'en' | 'ru'): Promise<void> {
  const card = exerciseCard(page, 'find-trailers');
  const open = card.getByTestId('capture-open');
  await open.waitFor(LIVE);
  expect(await textNow(open)).toBe(WORDS[lang].open);
  expect(await textNow(card.getByTestId('capture-picked'))).toMatch(WORDS[lang].nothing);
  // from the keyboard: a button of its own
  await open.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => attributeNow(inspectorOf(page).locator('[data-testid="insp-file-opened"]'), 'data-kind'), LIVE).toBe('packets');
}

/** The HEADERS frame that carried a call's trailers, by the status in it: clicked at once, the gRPC layer may not be in yet. */
async function pickTrailers(page: Page, status: 0 | 5): Promise<void> {
  const frame = inspectorOf(page).locator('[data-testid="insp-message"][data-layer="h2-frame"]', { hasText: `grpc-status ${status}` });
  await expect.poll(() => frame.count(), LIVE).toBe(1);
  await frame.click();
}

async function answer(page: Page, lang: 'en' | 'ru'): Promise<void> {
  const card = exerciseCard(page, 'find-trailers');
  await expect.poll(() => textNow(card.getByTestId('capture-picked')), LIVE).toMatch(/HEADERS/);
  const button = card.getByTestId('capture-answer-pick');
  expect(await textNow(button)).toBe(WORDS[lang].answer);
  await button.focus();
  await page.keyboard.press('Enter');
}

// axe on a lesson page as long as gRPC's takes seconds of its own (axe-every-page.test.ts)
describe.each(['en', 'ru'] as const)('a question about a capture in %s', { timeout: 180_000 }, (lang) => {
  it('opens the capture from the card; a wrong frame fails with why, the trailers frame passes', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/grpc`);
    await openFromCard(page, lang);
    const card = exerciseCard(page, 'find-trailers');

    // the successful call's trailers: a HEADERS frame with END_STREAM too, but not the failed call's
    await pickTrailers(page, 0);
    await answer(page, lang);
    await expect.poll(() => textNow(card.getByTestId('exercise-miss')), LIVE).toMatch(WORDS[lang].wrong);
    expect(await exerciseStateNow(page, 'find-trailers')).toBe('pending');
    // the card's states after the page first stood (a pick shown, a miss said): no axe violation
    expect(await axeViolations(page)).toEqual([]);

    await pickTrailers(page, 5);
    await answer(page, lang);
    await expect.poll(() => exerciseStateNow(page, 'find-trailers'), LIVE).toBe('passed');
    expect(await card.getByTestId('exercise-miss').count()).toBe(0);
    await releasePage(page);
  });
});

describe('a question answered with a value', { timeout: 180_000 }, () => {
  it('lesson 06: the close code clicked in the inspector’s tree fills the answer, which passes', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/websockets`);
    const card = exerciseCard(page, 'server-close-code');
    const open = card.getByTestId('capture-open');
    await open.waitFor(LIVE);
    await open.click();
    const inspector = inspectorOf(page);
    const close = inspector.locator('[data-testid="insp-message"][data-layer="ws-frame"][data-dir="out"]', { hasText: 'close' });
    await expect.poll(() => close.count(), LIVE).toBe(1);
    await close.click();
    // the close code is inside the payload: open it, then click the field
    await inspector.locator('[data-testid="insp-tree-node"][data-kind="ws-payload"]').click();
    await inspector.locator('[data-testid="insp-tree-node"][data-kind="ws-close-code"]').click();
    // the field as the tree shows it, and the value it stands for in the answer
    await expect.poll(() => textNow(card.getByTestId('capture-field')), LIVE).toMatch(/1003 unsupported data/);
    await card.getByTestId('capture-use-field').click();
    expect(await card.getByTestId('exercise-answer').inputValue()).toBe('1003');
    await card.getByTestId('exercise-submit').click();
    await expect.poll(() => exerciseStateNow(page, 'server-close-code'), LIVE).toBe('passed');
    await releasePage(page);
  });
});

describe('a question about a capture in a class', { timeout: 180_000 }, () => {
  it('a wrong frame is counted as a miss, and the pass is on the teacher’s board', async () => {
    const { origin } = lab.server;
    const desk = await openPage(lab.browser);
    await openDesk(desk, origin, lab.server.app.classroom.teacherKey);
    const code = await createClass(desk, 'Поток 52');

    const student = await openPage(lab.browser);
    await student.goto(`${origin}/en/class?code=${code}`);
    await joinOnThisPage(student, 'Ada');
    await student.getByTestId('class-follow-toggle').click();
    await student.goto(`${origin}/en/grpc`);
    await openFromCard(student, 'en');
    // a wrong frame is a miss the server counts: the answer itself is the attempt
    await pickTrailers(student, 0);
    await answer(student, 'en');
    const card = exerciseCard(student, 'find-trailers');
    await expect.poll(() => attributeNow(card.getByTestId('exercise-miss-count'), 'data-counted'), LIVE).toBe('true');
    await pickTrailers(student, 5);
    await answer(student, 'en');
    await expect.poll(() => exerciseStateNow(student, 'find-trailers'), LIVE).toBe('passed');

    await desk.getByTestId('board-lesson').selectOption('grpc');
    const result = desk.locator('[data-testid="board-row"][data-name="Ada"] [data-testid="board-result"][data-exercise="grpc/find-trailers"]');
    await expect.poll(() => attributeNow(result, 'data-state'), LIVE).toBe('passed');
    // the server judged the same answer from the same file: nothing refused on the card
    expect(await card.getByTestId('exercise-board-verdict').count()).toBe(0);
    await releasePage(desk);
    await releasePage(student);
  });
});
