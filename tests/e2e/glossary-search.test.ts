import { describe, expect, it } from 'vitest';
import { GLOSSARY } from '../../web/glossary/glossary-terms.ts';
import { axeViolations } from './axe-violations.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, evaluateNow, LIVE, textNow } from './lesson-page.ts';

// Issue 24 (7): the glossary in both languages, linked from the header, the course map and the
// lessons; the search over lessons and glossary from the header, Russian word forms included.

const lab = useAppAndBrowser();

describe.each(['en', 'ru'] as const)('the glossary in %s', (lang) => {
  it('lists every term with its anchor and its lessons, reached from the header and from a lesson', async () => {
    const page = await openPage(lab.browser, { locale: lang === 'ru' ? 'ru-RU' : 'en-US' });
    await page.goto(`${lab.server.origin}/${lang}/websockets`);
    // the lesson's own terms, under its text, each linking to its definition
    const termLink = page.locator('[data-testid="lesson-term-link"][href$="#masking"]');
    await termLink.waitFor(LIVE);
    await termLink.scrollIntoViewIfNeeded();
    await termLink.click();
    await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).hash).toBe(`/${lang}/glossary#masking`);
    const terms = page.locator('[data-testid="glossary-term"]');
    await expect.poll(() => terms.count()).toBe(GLOSSARY.length);
    const masking = page.locator('#masking');
    await expect.poll(() => evaluateNow(masking, (element) => Math.round(element.getBoundingClientRect().top)), LIVE).toBeLessThan(200);
    expect(await masking.locator('h2').textContent()).toContain(lang === 'ru' ? 'маскирование' : 'masking');
    // the lessons it names are links to them
    const lessonLinks = await masking.locator('[data-testid="glossary-lesson-link"]').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(lessonLinks).toContain(`/${lang}/websockets`);
    if (lang === 'ru') expect(await page.locator('#frame [data-testid="glossary-wrong"]').textContent()).toContain('фрейм');

    // from the course map, which the header links on every page
    await page.goto(`${lab.server.origin}/${lang}/rest`);
    await page.locator('[data-testid="header-course-map"]').click();
    await page.locator('[data-testid="course-glossary-link"]').click(LIVE);
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/${lang}/glossary`);
    await terms.first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await releasePage(page);
  });
});

describe('the search', () => {
  it('finds «кадр» for «кадры» from the header by keyboard, and follows a result', async () => {
    const page = await openPage(lab.browser, { locale: 'ru-RU' });
    // a row wide enough for the box (app.css: 1600 px and more)
    await page.setViewportSize({ width: 1680, height: 900 });
    await page.goto(`${lab.server.origin}/ru/rest`);
    const box = page.locator('[data-testid="search-input"]');
    await box.waitFor();
    await box.focus();
    await page.keyboard.type('кадры');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/ru/search?q=${encodeURIComponent('кадры')}`);
    const results = page.locator('[data-testid="search-result"]');
    await results.first().waitFor(LIVE);
    expect(await results.first().getAttribute('data-href')).toBe('/ru/glossary#frame');
    const hrefs = await results.evaluateAll((items) => items.map((item) => item.getAttribute('data-href')!));
    expect(hrefs.some((href) => href.startsWith('/ru/websockets#'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // a lesson's section, by keyboard: focus its link and press Enter
    const lessonResult = results.filter({ has: page.locator('a[href^="/ru/websockets#"]') }).first();
    const href = (await lessonResult.getAttribute('data-href'))!;
    await lessonResult.locator('a').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/ru/websockets');
    const anchor = href.split('#')[1];
    await page.locator(`#${anchor}`).waitFor(LIVE);
    await expect.poll(() => evaluateNow(page.locator(`#${anchor}`), (element) => Math.round(element.getBoundingClientRect().top)), LIVE).toBeLessThan(200);

    // the other language keeps the query; ё is е
    await page.goto(`${lab.server.origin}/en/search?q=${encodeURIComponent('Трёхэтапное')}`);
    await page.locator('[data-testid="search-summary"]').waitFor(LIVE);
    await page.goto(`${lab.server.origin}/ru/search?q=${encodeURIComponent('трехэтапное')}`);
    await expect
      .poll(async () => attributeNow(page.locator('[data-testid="search-result"]').first(), 'data-href'), LIVE)
      .toBe('/ru/glossary#three-way-handshake');
    await releasePage(page);
  });

  it('is a link in the header where the row has no room for a box, whose page takes the words', async () => {
    const page = await openPage(lab.browser, { locale: 'en-US' });
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.goto(`${lab.server.origin}/en/rest`);
    expect(await page.locator('[data-testid="search-input"]').isVisible()).toBe(false);
    await page.locator('[data-testid="search-link"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/en/search');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-page-input');
    await page.keyboard.type('etags');
    await page.keyboard.press('Enter');
    await expect.poll(() => attributeNow(page.locator('[data-testid="search-result"]').first(), 'data-href'), LIVE).toBe('/en/glossary#etag');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1200);
    await releasePage(page);
  });

  it('answers in English, with nothing found said so', async () => {
    const page = await openPage(lab.browser, { locale: 'en-US' });
    await page.goto(`${lab.server.origin}/en/search?q=handshakes`);
    const results = page.locator('[data-testid="search-result"]');
    await results.first().waitFor(LIVE);
    expect(await results.first().getAttribute('data-href')).toBe('/en/glossary#handshake');
    await page.locator('[data-testid="search-page-input"]').fill('zzzqqq');
    await page.keyboard.press('Enter');
    await expect.poll(() => textNow(page.locator('[data-testid="search-summary"]')), LIVE).toContain('Nothing found');
    expect(await axeViolations(page)).toEqual([]);
    await releasePage(page);
  });
});
