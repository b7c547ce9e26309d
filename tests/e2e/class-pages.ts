import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { attributeNow, LIVE } from './lesson-page.ts';

// What the classroom's end-to-end tests do on the teacher's desk and the join page, said once.

/** The teacher's desk with the key from the printed link, once its channel is ready. */
export async function openDesk(desk: Page, origin: string, key: string, lang: 'ru' | 'en' = 'ru'): Promise<void> {
  await desk.goto(`${origin}/${lang}/class/teach#key=${key}`);
  await expect.poll(() => attributeNow(desk.getByTestId('class-teacher'), 'data-status'), LIVE).toBe('ready');
}

/** A new class made on the desk; its code. */
export async function createClass(desk: Page, title: string): Promise<string> {
  await desk.getByTestId('class-title-input').fill(title);
  await desk.getByTestId('class-create').click();
  return (await desk.getByTestId('class-code').getAttribute('data-code', LIVE))!;
}

/** Joins from the join page the page shows, by name (and the rejoin code of an earlier join), until the class bar offers to follow. */
export async function joinOnThisPage(page: Page, name: string, rejoinCode = ''): Promise<void> {
  await page.getByTestId('class-name-input').fill(name);
  if (rejoinCode) await page.getByTestId('class-rejoin-input').fill(rejoinCode);
  await page.getByTestId('class-join').click();
  await page.getByTestId('class-follow-toggle').waitFor(LIVE);
}
