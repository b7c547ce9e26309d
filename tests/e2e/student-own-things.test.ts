import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from '../../server/asyncapi/asyncapi-document.ts';
import { axeViolations } from './axe-violations.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, evaluateNow, LIVE, textNow } from './lesson-page.ts';

// Issue 24, item 7 (part): the student's own things — the quiz's score and kept answers, the
// light/dark switch, progress and edited cells carried in a file, the AsyncAPI document as a page.

const lab = useAppAndBrowser();

const question = (page: Page, id: string) => page.locator(`[data-testid="quiz-question"][data-question-id="${id}"]`);

/** What <html data-theme> was when <body> first appeared: what the first paint used. */
const THEME_AT_FIRST_PAINT = `
  new MutationObserver((_, observer) => {
    if (!document.body) return;
    window.__themeAtBody = document.documentElement.getAttribute('data-theme');
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
`;

describe('the quiz', () => {
  it('scores the answers, keeps them over a reload, and starts over after a confirm', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/quiz`);
    const score = page.locator('[data-testid="quiz-score"]');
    const total = Number(await score.getAttribute('data-total'));
    expect(total).toBeGreaterThan(3);
    expect(await page.locator('[data-testid="quiz-start-over"]').isDisabled()).toBe(true);

    const choice = question(page, 'rest-vs-graphql');
    await choice.locator('input[data-option="fields"]').check();
    await choice.locator('[data-testid="quiz-check"]').click();
    const order = page.locator('[data-testid="quiz-question"][data-kind="order"]').first();
    await order.locator('[data-testid="quiz-check"]').click(); // the shown order is never the right one
    await expect.poll(() => attributeNow(score, 'data-answered'), LIVE).toBe('2');
    expect(await score.getAttribute('data-right')).toBe('1');
    expect(await score.textContent()).toContain(`Верно: 1 из 2 отвеченных; всего вопросов с проверкой: ${total}`);

    await page.reload();
    await expect.poll(() => attributeNow(score, 'data-answered'), LIVE).toBe('2');
    expect(await score.getAttribute('data-right')).toBe('1');
    expect(await question(page, 'rest-vs-graphql').locator('input[data-option="fields"]').isChecked()).toBe(true);
    expect(await page.locator('[data-testid="quiz-question"][data-kind="order"]').first().getAttribute('data-state')).toBe('wrong');
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('[data-testid="quiz-start-over"]').click();
    await page.locator('[data-testid="quiz-start-over-confirm"]').click();
    await expect.poll(() => attributeNow(score, 'data-answered'), LIVE).toBe('0');
    expect(await question(page, 'rest-vs-graphql').locator('input[data-option="fields"]').isChecked()).toBe(false);
    expect(await question(page, 'rest-vs-graphql').getAttribute('data-state')).toBe('pending');
    await page.reload();
    await expect.poll(() => attributeNow(question(page, 'rest-vs-graphql'), 'data-state'), LIVE).toBe('pending');
    await releasePage(page);
  });
});

describe('the light/dark switch', () => {
  it('follows the system until chosen, is remembered, is right at the first paint, and Monaco follows it', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    await context.addInitScript(THEME_AT_FIRST_PAINT);
    const page = await context.newPage();
    await page.goto(`${lab.server.origin}/en/websockets`);
    const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    const atFirstPaint = () => page.evaluate(() => (window as unknown as { __themeAtBody?: string }).__themeAtBody);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await atFirstPaint()).toBe('dark');
    expect(await background()).toBe('rgb(15, 18, 23)');

    const select = page.getByRole('combobox', { name: 'Theme' });
    expect(await select.inputValue()).toBe('system');
    await select.focus();
    await select.selectOption('light');
    expect(await theme()).toBe('light');
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.reload();
    expect(await atFirstPaint()).toBe('light');

    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    expect(await atFirstPaint()).toBe('dark');
    expect(await theme()).toBe('dark');
    expect(await page.evaluate(() => localStorage.getItem('wirelab.theme'))).toBe('dark');

    // a lesson's Monaco editor takes the page's theme, and changes with it
    await page.goto(`${lab.server.origin}/ru/rest`);
    // Monaco loads once a cell nears the viewport
    await page.locator('.cell-slot [data-testid="cell"]').first().scrollIntoViewIfNeeded();
    const editor = page.locator('.monaco-editor').first();
    await editor.waitFor(LIVE);
    await expect.poll(() => evaluateNow(editor, (node) => node.classList.contains('vs-dark')), LIVE).toBe(true);
    // its request line highlighted in the theme's colours (monaco-setup.ts): Monaco builds its
    // theme's CSS once, for the page's theme, not first for its own `vs` (vite.config.ts, THEME_CSS_ONCE)
    const methodColour = () =>
      editor.evaluate((node) => {
        const method = [...node.querySelectorAll('.view-line span span')].find((span) => /^(?:GET|POST|PUT|PATCH|DELETE)$/.test(span.textContent ?? ''));
        return method ? getComputedStyle(method).color : 'no method on screen';
      });
    await expect.poll(methodColour).toBe('rgb(122, 165, 255)');
    const russian = page.getByRole('combobox', { name: 'Тема оформления' });
    expect(await russian.locator('option').allTextContents()).toEqual(['Как в системе', 'Светлая', 'Тёмная']);
    await russian.selectOption('light');
    await expect.poll(() => evaluateNow(editor, (node) => node.classList.contains('vs-dark')), LIVE).toBe(false);
    await expect.poll(methodColour).toBe('rgb(31, 85, 208)');
    await russian.selectOption('dark');
    expect(await axeViolations(page)).toEqual([]);

    // the switch keeps the Russian header on one screen's width, down to where the menu takes over
    // and each link on one line («Карта курса» wrapped at 1 400 px)
    for (const width of [881, 930, 1181, 1280, 1400]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${lab.server.origin}/ru/course`);
      await page.locator('[data-testid="theme-switch"]').waitFor({ state: 'attached' });
      expect(
        await page.evaluate(() => document.querySelector('.app-header')!.scrollWidth - document.querySelector('.app-header')!.clientWidth),
        `${width} px`,
      ).toBe(0);
      const linkLines = await page
        .locator('.header-nav a')
        .evaluateAll((links) => links.map((link) => link.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(link).fontSize)));
      expect(linkLines, `${width} px`).toEqual(linkLines.map(() => true));
    }
    await context.close();
  });
});

describe('progress to another computer', () => {
  it('exports progress, quiz answers and an edited console to a file, and a cleared browser imports it after a confirm', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/quiz`);
    const choice = question(page, 'rest-vs-graphql');
    await choice.locator('input[data-option="fields"]').check();
    await choice.locator('[data-testid="quiz-check"]').click();
    await expect.poll(() => attributeNow(choice, 'data-state'), LIVE).toBe('answered');
    await page.goto(`${lab.server.origin}/en/websockets`);
    await cell(page, 'echo').locator('[data-testid="ws-url"]').fill('/ws/echo?ping=1500');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('wirelab.cell.websockets/echo'))).toContain('ping=1500');

    await page.goto(`${lab.server.origin}/en/course`);
    await page.locator('[data-testid="my-progress-link"]').click();
    const quizDone = page.locator('[data-testid="course-quiz"]');
    expect(await quizDone.getAttribute('data-done')).toBe('1');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="progress-export"]').click()]);
    const saved = (await download.path())!;
    const file = JSON.parse(readFileSync(saved, 'utf8'));
    expect(file).toMatchObject({ format: 'wirelab-progress', version: 1, quiz: { 'rest-vs-graphql': { kind: 'choice', picked: ['fields'], right: true } } });
    expect(Object.keys(file.cells)).toEqual(['websockets/echo']);
    expect(await axeViolations(page)).toEqual([]);

    // "another computer": a browser with nothing kept
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await expect.poll(() => attributeNow(quizDone, 'data-done'), LIVE).toBe('0');

    // a foreign file is refused with a reason and changes nothing
    const foreign = join(tmpdir(), `wirelab-foreign-${process.pid}.json`);
    writeFileSync(foreign, JSON.stringify({ openapi: '3.1.0', info: { title: 'not ours' } }));
    await page.locator('[data-testid="progress-import"]').setInputFiles(foreign);
    await expect.poll(() => textNow(page.locator('[data-testid="progress-import-refused"]')), LIVE).toContain('not a Wirelab progress file');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('wirelab.progress') || key.startsWith('wirelab.cell.')))).toEqual(
      [],
    );

    await page.locator('[data-testid="progress-import"]').setInputFiles(saved);
    await expect.poll(() => textNow(page.locator('[data-testid="progress-import-confirm"]')), LIVE).toContain('1 quiz answer');
    expect(await quizDone.getAttribute('data-done')).toBe('0');
    await page.locator('[data-testid="progress-import-replace"]').click();
    await page.locator('[data-testid="progress-imported"]').waitFor();
    await expect.poll(() => attributeNow(quizDone, 'data-done'), LIVE).toBe('1');

    await page.goto(`${lab.server.origin}/en/websockets`);
    expect(await cell(page, 'echo').locator('[data-testid="ws-url"]').inputValue()).toBe('/ws/echo?ping=1500');
    await page.goto(`${lab.server.origin}/ru/quiz`);
    expect(await question(page, 'rest-vs-graphql').locator('input[data-option="fields"]').isChecked()).toBe(true);
    await releasePage(page);
  });

  it('says in Russian why a damaged file is refused', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/course`);
    const damaged = join(tmpdir(), `wirelab-damaged-${process.pid}.json`);
    writeFileSync(
      damaged,
      JSON.stringify({ format: 'wirelab-progress', version: 1, exportedAt: '2026-11-25T00:00:00Z', progress: { rest: { x: { passedAt: 'вчера' } } } }),
    );
    await page.locator('[data-testid="progress-import"]').setInputFiles(damaged);
    await expect
      .poll(() => textNow(page.locator('[data-testid="progress-import-refused"]')), LIVE)
      .toBe('Файл прогресса повреждён: поле progress.rest.x заполнено неправильно. Ничего не изменилось.');
    await releasePage(page);
  });
});

describe('the AsyncAPI page', () => {
  const channels = Object.values(asyncApiDocument('localhost').channels as Record<string, { address: string }>).map((channel) => channel.address);

  it.each(['en', 'ru'] as const)('shows every channel with its messages and operations, in %s, linked from lesson 13', async (lang) => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/message-queues`);
    await page.locator(`a[href="/${lang}/asyncapi"]`).click();
    const view = page.locator('[data-testid="asyncapi-page"]');
    await expect.poll(() => attributeNow(view, 'data-state'), LIVE).toBe('ready');
    expect(await page.locator('[data-testid="asyncapi-channel"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-address')))).toEqual(
      channels,
    );
    expect(await page.locator('h1').textContent()).toBe('Wirelab: events and messages');
    expect(await page.locator('h2#channels').textContent()).toBe(lang === 'en' ? 'Channels' : 'Каналы');

    const created = page.locator('[data-testid="asyncapi-channel"][data-address="events/user/created"]');
    expect(await created.locator('[data-testid="asyncapi-channel-action"]').textContent()).toContain(lang === 'en' ? 'the server sends' : 'сервер отправляет');
    await created.locator('[data-testid="asyncapi-message"] summary').click();
    const data = created.locator('[data-testid="asyncapi-schema-node"][data-name="data"]').first();
    expect(await data.textContent()).toContain('(User)');
    expect(await data.locator('[data-testid="asyncapi-schema-node"][data-name="email"]').count()).toBe(1);
    expect(await page.locator('[data-testid="asyncapi-operation"][data-action="receive"]').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await releasePage(page);
  });
});
