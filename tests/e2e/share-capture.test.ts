// «Поделиться» / "Share" in Chromium: a live capture shared from the REST lesson's inspector opens
// by its link in a fresh browser (no session of the sharer's) after the server restarted on the
// same data, read-only in the opened-file view, showing the same bytes; its owner deletes it there.
// The lesson page's own files went over the keep-alive connection the cell's request took: the
// link shows what the sharer saw (the student's exchange, whole, with no gap) and says the app's
// requests are not included.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from './browser.ts';
import { attributeNow, LIVE, setEditorText, textNow, valueNow } from './lesson-page.ts';
import { useRestartLab } from './restart-lab.ts';

const TARGET = '/api/v1/users?limit=1';
const lab = useRestartLab('share-capture');

const inspectorOf = (page: Page) => page.locator('[data-testid="inspector"]');
const rowOf = (page: Page) => inspectorOf(page).locator('[data-testid="insp-exchange"]', { hasText: TARGET });
/** Each listed exchange's request and response line (its index is its place on the connection the file has). */
const rowTexts = async (page: Page) =>
  (await inspectorOf(page).locator('[data-testid="insp-exchange"] .insp-row-main').allTextContents()).map((text) => text.trim());

/** The shared page in Chromium: only what the sharer saw, nothing marked missing, nothing to go back to or share again. */
async function expectOnlyWhatTheSharerSaw(reader: Page, sharerRows: string[]): Promise<void> {
  await expect.poll(() => attributeNow(inspectorOf(reader).getByTestId('insp-file-opened'), 'data-kind'), LIVE).toBe('packets');
  await expect.poll(() => rowTexts(reader), LIVE).toEqual(sharerRows);
  expect(await inspectorOf(reader).locator('.insp-incomplete').count()).toBe(0);
  expect(await inspectorOf(reader).locator('.insp-badge-warn').count()).toBe(0);
  for (const absent of ['insp-file-close', 'insp-share', 'insp-open-file']) expect(await inspectorOf(reader).getByTestId(absent).count()).toBe(0);
}

/** The request's and the response's bytes as the hex view shows them, once the row is selected. */
async function shownBytes(page: Page, row: Locator): Promise<string> {
  await row.click();
  await expect.poll(() => attributeNow(row, 'aria-pressed'), LIVE).toBe('true');
  const bytes = inspectorOf(page).locator('[data-testid="insp-hex-byte"]');
  await expect.poll(() => bytes.count(), LIVE).toBeGreaterThan(100);
  return (await bytes.allTextContents()).join(' ');
}

describe('sharing a capture by link', () => {
  it('shows the same bytes in a fresh browser after the server restarts', { timeout: 180_000 }, async () => {
    // Idle connections kept a minute, not 5 s: the cell's request then always takes a connection
    // that carried the page's files, as it does whenever a student runs a cell soon after the load.
    const options = lab.sameServerOptions('wirelab', { timeouts: { keepAliveMs: 60_000 } });
    const { origin } = await lab.start(options);
    const sharer = await openPage(lab.browser);
    await sharer.goto(`${origin}/ru/rest`);
    const cellBox = sharer.locator('[data-testid="cell"]').first();
    const cellId = (await cellBox.getAttribute('data-cell-id'))!;
    await expect.poll(() => textNow(inspectorOf(sharer).getByTestId('insp-share')), { timeout: 60_000 }).toBe('Поделиться');
    await setEditorText(sharer, cellId, `GET ${TARGET}\n`);
    await cellBox.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cellBox.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    const before = await shownBytes(sharer, rowOf(sharer));
    // the cell's request went over a connection that had carried the page's own files
    const conn = (await rowOf(sharer).getAttribute('data-conn'))!;
    await inspectorOf(sharer).getByTestId('insp-show-app').check();
    const onConnection = inspectorOf(sharer).locator(`[data-testid="insp-exchange"][data-conn="${conn}"]`);
    await expect.poll(() => onConnection.count(), LIVE).toBeGreaterThan(1);
    await inspectorOf(sharer).getByTestId('insp-show-app').uncheck();
    // the box is unchecked before the list has re-rendered without the app's rows: wait for that
    // (read at once, a loaded run once got all 82 rows)
    await expect.poll(async () => (await rowTexts(sharer)).length, LIVE).toBe(1);
    const sharerRows = await rowTexts(sharer);

    await inspectorOf(sharer).getByTestId('insp-share').click();
    expect(await textNow(inspectorOf(sharer).getByTestId('insp-share-left-out'))).toMatch(/^Скрытые здесь запросы самого приложения \(\d+\) не войдут/);
    await inspectorOf(sharer).getByTestId('insp-share-expiry').selectOption('7d');
    await inspectorOf(sharer).getByTestId('insp-share-create').click();
    const link = inspectorOf(sharer).getByTestId('insp-share-link');
    await expect.poll(() => valueNow(link), LIVE).toMatch(new RegExp(`^${origin}/ru/capture/[A-Za-z0-9_-]{22}$`));
    const url = (await valueNow(link))!;
    expect(await textNow(inspectorOf(sharer).getByTestId('insp-share-done'))).toContain('Хранится до');

    const port = await lab.stop();
    await lab.start(options, port);
    const reader = await openPage(lab.browser);
    await reader.goto(url);
    await expectOnlyWhatTheSharerSaw(reader, sharerRows);
    expect(await textNow(reader.getByTestId('shared-capture-expiry'))).toMatch(/^Только для чтения\. Хранится до /);
    expect(await textNow(reader.getByTestId('shared-capture-left-out'))).toMatch(
      /^Не включены запросы самого приложения \(страница, её скрипты и стили\): \d+\./,
    );
    expect(await textNow(inspectorOf(reader).getByTestId('insp-file-facts'))).toContain('пришедших не по порядку — 0; пропусков нет');
    // not the reader's to delete, nor any live status or recording switch
    expect(await reader.getByTestId('shared-capture-delete').count()).toBe(0);
    expect(await inspectorOf(reader).getByTestId('insp-record').count()).toBe(0);
    expect(await shownBytes(reader, rowOf(reader))).toBe(before);

    // the same link in English
    const english = await openPage(lab.browser);
    await english.goto(url.replace('/ru/capture/', '/en/capture/'));
    await expectOnlyWhatTheSharerSaw(english, sharerRows);
    expect(await textNow(english.getByTestId('shared-capture-left-out'))).toMatch(/^Not included: the app's own requests .*, \d+ of them;/);
    expect(await textNow(inspectorOf(english).getByTestId('insp-file-facts'))).toContain('0 out-of-order segments; no gaps');

    // the sharer's own session may delete it from its page; then the link says the capture is gone
    await sharer.goto(url);
    await sharer.getByTestId('shared-capture-delete').click();
    await expect.poll(() => attributeNow(sharer.getByTestId('shared-capture'), 'data-state'), LIVE).toBe('deleted');
    await reader.reload();
    await expect.poll(() => attributeNow(reader.getByTestId('shared-capture'), 'data-state'), LIVE).toBe('missing');
    expect(await textNow(reader.getByRole('alert'))).toBe('Такой записи нет: ссылка неверна, или срок хранения записи истёк, или её удалили.');
  });
});
