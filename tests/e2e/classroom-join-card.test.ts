import QRCode from 'qrcode';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe-violations.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, LIVE, textNow } from './lesson-page.ts';

// Joining a room of 40 (issue 22): the teacher prints a card with the code, the address and a QR
// code in both languages, readable from the back row; the QR leads each student to the join page
// in their browser's language.

const lab = useAppAndBrowser();

/** A4 landscape less the card's 12 mm margins, at 96 px per inch. */
const PRINTABLE = { width: Math.floor(((297 - 24) / 25.4) * 96), height: Math.floor(((210 - 24) / 25.4) * 96) };

/** The `d` of every path of an SVG QR code: the modules it draws. */
const svgPaths = (svg: string) => [...svg.matchAll(/\sd="([^"]+)"/g)].map((match) => match[1]);

async function studentLandsAt(browser: Browser, url: string, locale: string): Promise<Page> {
  const page = await openPage(browser, { locale });
  await page.goto(url);
  await page.getByTestId('class-join-form').waitFor(LIVE);
  return page;
}

describe('the join card', () => {
  it('prints the code, the address and a QR code in both languages; the QR opens the join page in each student’s language', async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;

    const desk = await openPage(lab.browser, { locale: 'en-US' });
    await desk.goto(`${origin}/en/class/teach#key=${key}`);
    await expect.poll(() => attributeNow(desk.getByTestId('class-teacher'), 'data-status'), LIVE).toBe('ready');
    await desk.getByTestId('class-title-input').fill('Seminar 3, group B');
    await desk.getByTestId('class-create').click();
    const code = (await desk.getByTestId('class-code').getAttribute('data-code', LIVE))!;
    const joinLink = `${origin}/class?code=${code}`;

    // "Print the join card" is a link the keyboard reaches; the card's address names the class, never the key
    await desk.getByTestId('class-print-card').focus();
    await desk.keyboard.press('Enter');
    await expect.poll(() => desk.evaluate(() => `${location.pathname}${location.search}${location.hash}`), LIVE).toBe(`/en/class/card?class=${code}`);
    expect(desk.url()).not.toContain(key);
    const card = desk.getByTestId('join-card');
    await card.waitFor(LIVE);
    expect(await desk.getByTestId('join-card-code').textContent()).toBe(`${code.slice(0, 3)}-${code.slice(3)}`);
    expect(await desk.locator('.join-card-title').textContent()).toBe('Seminar 3, group B');
    expect(await desk.getByTestId('join-card-url').textContent()).toBe(joinLink);
    // both languages on one card, the teacher's first, each marked with its language
    expect(await desk.getByTestId('join-card-steps').evaluateAll((sections) => sections.map((section) => section.getAttribute('lang')))).toEqual(['en', 'ru']);
    const steps = await desk.getByTestId('join-card-steps').allTextContents();
    expect(steps[0]).toContain('How to join the class');
    expect(steps[0]).toContain('Enter the class code and your name');
    expect(steps[1]).toContain('Как войти в класс');
    expect(steps[1]).toContain('Введите код класса и своё имя');

    // The QR code draws the language-neutral join link: the same modules the library makes for it
    const qr = desk.getByTestId('join-card-qr');
    await qr.locator('svg').waitFor(LIVE);
    expect(await qr.getAttribute('data-text')).toBe(joinLink);
    const drawn = await qr.locator('svg path').evaluateAll((paths) => paths.map((path) => path.getAttribute('d')));
    expect(drawn).toEqual(svgPaths(await QRCode.toString(joinLink, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })));
    expect(drawn).not.toEqual(svgPaths(await QRCode.toString(`${origin}/en/class?code=${code}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })));

    // On screen: Print is reached with Tab and calls the browser's print dialog
    await desk.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    let focused: string | null = null;
    for (let presses = 0; presses < 30 && focused !== 'join-card-print'; presses += 1) {
      await desk.keyboard.press('Tab');
      focused = await desk.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    }
    expect(focused).toBe('join-card-print');
    await desk.keyboard.press('Enter');
    expect(await desk.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    expect(await axeViolations(desk)).toEqual([]);

    // In print: the card alone, on one A4 landscape sheet, the code at least 90 px (~24 mm) tall
    await desk.setViewportSize(PRINTABLE);
    await desk.emulateMedia({ media: 'print' });
    expect(await desk.locator('.app-header').isVisible()).toBe(false);
    expect(await desk.getByTestId('join-card-print').isVisible()).toBe(false);
    expect(await desk.getByTestId('join-card-back').isVisible()).toBe(false);
    expect(await card.isVisible()).toBe(true);
    const codeBox = (await desk.getByTestId('join-card-code').boundingBox())!;
    expect(codeBox.height).toBeGreaterThanOrEqual(90);
    const sheet = await desk.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
    expect(sheet.width).toBeLessThanOrEqual(PRINTABLE.width);
    expect(sheet.height).toBeLessThanOrEqual(PRINTABLE.height);
    // nothing but the card's own content takes room: the header's place is gone, not just hidden
    expect((await card.boundingBox())!.y).toBeLessThan(2);
    // black on white
    expect(await desk.getByTestId('join-card-code').evaluate((element) => getComputedStyle(element).color)).toBe('rgb(0, 0, 0)');
    await desk.emulateMedia({ media: 'screen' });
    await desk.setViewportSize({ width: 1440, height: 900 });

    // The card in Russian keeps its class across the language switch
    await desk.getByTestId('lang-switch').click();
    await expect.poll(() => desk.evaluate(() => `${location.pathname}${location.search}`), LIVE).toBe(`/ru/class/card?class=${code}`);
    await expect
      .poll(() => desk.getByTestId('join-card-steps').evaluateAll((sections) => sections.map((section) => section.getAttribute('lang'))), LIVE)
      .toEqual(['ru', 'en']);
    expect(await desk.getByTestId('join-card-print').textContent()).toBe('Печать');

    // Students scan the QR: a Russian browser lands on the Russian join page, an English one on the English, the code filled in
    const qrLink = (await qr.getAttribute('data-text'))!;
    for (const [locale, lang, heading] of [
      ['ru-RU', 'ru', 'Войти в класс'],
      ['en-US', 'en', 'Join a class'],
    ] as const) {
      const student = await studentLandsAt(lab.browser, qrLink, locale);
      expect(await student.evaluate(() => `${location.pathname}${location.search}`)).toBe(`/${lang}/class?code=${code}`);
      expect(await student.locator('h1').textContent()).toBe(heading);
      expect(await student.getByTestId('class-code-input').inputValue()).toBe(code);
      await releasePage(student);
    }

    // A browser without the teacher key sees no card (the title and the addresses come with the key)
    const stranger = await openPage(lab.browser);
    await stranger.goto(`${origin}/en/class/card?class=${code}`);
    await stranger.getByTestId('class-no-key').waitFor(LIVE);
    expect(await stranger.getByTestId('join-card').count()).toBe(0);
    // and a card for a class that is not there says so
    await desk.goto(`${origin}/en/class/card?class=ZZZZZZ`);
    await expect.poll(() => textNow(desk.getByTestId('join-card-missing')), LIVE).toContain('There is no class with this code');
    await releasePage(stranger);
    await releasePage(desk);
  });
});
