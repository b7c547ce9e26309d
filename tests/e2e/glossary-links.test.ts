import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe-violations.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { cell, evaluateNow, LIVE } from './lesson-page.ts';

// Issue 24: a glossary term's first use in a lesson's text links to its definition (linked when
// the lesson is built: web/glossary/link-terms.ts), in the page's language and in the word's form
// as the sentence has it.

const lab = useAppAndBrowser();

describe.each(['en', 'ru'] as const)('a lesson in %s', (lang) => {
  it('links its first «frame» to the glossary, which opens at the term', async () => {
    const page = await openPage(lab.browser, { locale: lang === 'ru' ? 'ru-RU' : 'en-US' });
    await page.goto(`${lab.server.origin}/${lang}/websockets`);
    const links = page.locator(`article.lesson a[href="/${lang}/glossary#frame"]`);
    await links.first().waitFor(LIVE);
    // once per lesson, outside code and headings, a form of the term's word
    expect(await links.count()).toBe(1);
    const link = links.first();
    expect(
      await link.evaluate((element) => element.closest('code, pre, h1, h2, h3, h4, h5, h6') === null && element.parentElement!.closest('a') === null),
    ).toBe(true);
    expect((await link.textContent())!.toLowerCase()).toMatch(lang === 'ru' ? /^кадр/ : /^frame/);
    expect(await axeViolations(page)).toEqual([]);

    await link.scrollIntoViewIfNeeded();
    await link.click();
    await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).hash).toBe(`/${lang}/glossary#frame`);
    const term = page.locator('#frame');
    await term.waitFor(LIVE);
    await expect.poll(() => evaluateNow(term, (element) => Math.round(element.getBoundingClientRect().top)), LIVE).toBeLessThan(200);
    expect(await term.locator('h2').textContent()).toContain(lang === 'ru' ? 'кадр' : 'frame');
    await releasePage(page);
  });
});

describe('the inspector', () => {
  it('gives a node the glossary defines its definition as a title, in the page’s language', async () => {
    const page = await openPage(lab.browser, { locale: 'ru-RU' });
    await page.goto(`${lab.server.origin}/ru/rest`);
    const getUser = cell(page, 'get-user');
    await getUser.waitFor(LIVE);
    await getUser.scrollIntoViewIfNeeded();
    await getUser.locator('[data-testid="cell-run"]').click(LIVE);
    const defined = page.locator('[data-testid="inspector"] .insp-has-term');
    await defined.first().waitFor(LIVE);
    const titles = await defined.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('title')!));
    // the HTTP/1.1 tree's method, status code, headers or body, defined in Russian
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title).toMatch(/^(метод|код статуса|заголовок|тело): [А-ЯЁ]/);
    expect(await axeViolations(page)).toEqual([]);
    await releasePage(page);
  });
});
