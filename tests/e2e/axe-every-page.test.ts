import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_PAGES } from '../../web/kit/routes.ts';
import { axeViolations } from './axe-violations.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { LIVE } from './lesson-page.ts';
import { markRecoloured, rememberContrastInputs } from './narrow-recoloured.ts';

// axe-core's WCAG 2.1 A/AA and best-practice rules on every page of the app (issue 24: "on every
// page, 0 serious or critical"; we hold it to none at all), at 1440 px and at 390 px, where no page
// may scroll sideways either (issue 39). A page's two languages share their
// markup, so each lesson is checked in one language, alternating, and every other page in both.
// keyboard-and-small-screens.test.ts checks the pages a class uses with their consoles running and
// a run in the inspector; this file checks each page as it first stands, cells mounted.
// At 390 px every rule runs again but colour contrast, which runs on what the narrow layout
// recolours: an element whose colours, font size or display changed, and whatever is inside it
// (the drawer, the folded dock). Everything else has, by construction, the contrast it had at
// 1440 px, and that rule is most of axe's time on a lesson page (1.8 s of 2.7 s on gRPC's).

const lab = useAppAndBrowser();

const LESSON_SLUGS = readdirSync(join(import.meta.dirname, '..', '..', 'lessons'))
  .filter((name) => /^\d{2}-/.test(name))
  .sort()
  .map((name) => name.slice(3));

const OTHER_PAGES = ['', ...COURSE_PAGES, 'class', 'compare', 'my-server', 'no-such-page'];

const PAGES = [
  ...LESSON_SLUGS.map((slug, index) => `/${index % 2 === 0 ? 'en' : 'ru'}/${slug}`),
  ...OTHER_PAGES.flatMap((page) => [`/en/${page}`, `/ru/${page}`]),
];

describe('axe-core on every page', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPage(lab.browser);
  });
  afterAll(() => releasePage(page));

  for (const path of PAGES) {
    it(`finds no violation on ${path}`, async () => {
      await page.goto(`${lab.server.origin}${path}`);
      await page.locator('main h1').first().waitFor(LIVE);
      // a lesson's cells mount as their editors' code arrives, and the text after its first screen
      // comes a moment after the rest (the article is busy until then): check the page once the
      // whole text is in and every slot holds its cell
      await page.waitForFunction(
        () =>
          document.querySelector('article.lesson[aria-busy]') === null &&
          [...document.querySelectorAll('.cell-slot')].every((slot) => slot.querySelector('[data-testid="cell"]') !== null),
        null,
        LIVE,
      );
      expect(await axeViolations(page)).toEqual([]);
      // and on a 390 px phone: the same rules, and no sideways scroll (issue 39 item 7)
      await rememberContrastInputs(page);
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        await page.waitForFunction(() => document.documentElement.clientWidth <= 390, null, LIVE);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
        expect(await axeViolations(page, { skipRules: ['color-contrast'] })).toEqual([]);
        if ((await markRecoloured(page)) > 0) {
          expect(await axeViolations(page, { onlyRules: ['color-contrast'], include: '[data-axe-recoloured]' })).toEqual([]);
        }
      } finally {
        await page.setViewportSize({ width: 1440, height: 900 });
      }
    });
  }
});
