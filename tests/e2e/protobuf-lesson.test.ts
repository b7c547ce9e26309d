import { attributeNow, LIVE, textNow, valueNow } from './lesson-page.ts';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describePage, openPage, useAppAndBrowser, releasePage } from './browser.ts';

// The Protocol Buffers lesson in Chromium: the workbench encodes JSON and decodes hex with the
// real library and the inspector's decoder, and an exercise passes from a real Connect call.

const lab = useAppAndBrowser();
// One English page for the workbench and the three exercises, one after another: each uses a cell
// of its own and sees its exercise not passed before its own call or answer could pass it, and the
// others' calls cannot pass it (one test calls CreateUser; "binary on the wire", whose GetUser is the
// one call that gets a user back, comes last).
const englishLesson = describePage(lab, '/en/protocol-buffers');

function workbench(page: Page, cellId: string): Locator {
  return page.locator(`[data-testid="cell"][data-kind="protobuf"][data-cell-id="${cellId}"]`);
}

async function stripBytes(cell: Locator): Promise<string[]> {
  return cell.locator('[data-testid="pbw-strip"] .pbw-bytes').allTextContents();
}

/** Selects the last `deleteCount` characters of the line holding `token` in the workbench's Monaco editor and types over them. */
async function editLineEnd(page: Page, cell: Locator, token: string, deleteCount: number, text: string): Promise<void> {
  await cell.scrollIntoViewIfNeeded();
  const editor = cell.locator('[data-testid="pbw-json"] .monaco-editor');
  await editor.waitFor({ timeout: 15_000 });
  await editor.locator('.view-line', { hasText: token }).click();
  await cell.locator('[data-testid="pbw-json"] .monaco-editor.focused').waitFor();
  await page.keyboard.press('End');
  for (let index = 0; index < deleteCount; index += 1) await page.keyboard.press('Shift+ArrowLeft');
  // one edit, as a paste would be: the editor must not re-render between keystrokes here
  await page.keyboard.insertText(text);
}

describe('the protobuf workbench', () => {
  it('shows 150 in field 1 as 08 96 01, follows edited JSON, and names broken bytes in English', async () => {
    const page = await englishLesson();
    const cell = workbench(page, 'varint-150');
    await cell.waitFor({ timeout: 15_000 });

    await expect.poll(() => stripBytes(cell)).toEqual(['08', '96 01']);
    expect(await cell.locator('[data-testid="pbw-hex"]').inputValue()).toBe('08 96 01');
    const tag = cell.locator('[data-testid="pbw-strip"] [data-role="tag"]').first();
    expect(await tag.textContent()).toContain('field 1');
    expect(await cell.locator('[data-testid="pbw-sizes"]').getAttribute('data-binary-size')).toBe('3');

    // JSON → bytes: a negative int32 is sign-extended to ten bytes of varint
    await editLineEnd(page, cell, '150', 3, '-1');
    await expect.poll(() => valueNow(cell.locator('[data-testid="pbw-hex"]'))).toBe('08 ff ff ff ff ff ff ff ff ff 01');
    expect(await cell.locator('[data-testid="pbw-sizes"]').getAttribute('data-binary-size')).toBe('11');
    // JSON that is not this type: a bilingual error, and the bytes stay those of the last good value
    await editLineEnd(page, cell, 'int32Value', 0, ', "nickname": 1');
    await expect.poll(() => textNow(cell.locator('[data-testid="pbw-json-error"]'))).toContain('has no field "nickname"');
    expect(await cell.locator('[data-testid="pbw-hex"]').inputValue()).toBe('08 ff ff ff ff ff ff ff ff ff 01');

    // bytes → decode: a varint whose last byte still has its continuation bit
    await cell.locator('[data-testid="pbw-hex"]').fill('08 96');
    const error = cell.locator('[data-testid="pbw-bytes-error"]');
    await expect.poll(() => attributeNow(error, 'data-code')).toBe('truncated-varint');
    expect(await error.textContent()).toContain('a varint that never ends');

    // a length that runs past the end of the message
    await cell.locator('[data-testid="pbw-hex"]').fill('08 96 01 1a 05 41');
    await expect.poll(() => attributeNow(error, 'data-code')).toBe('length-past-end');

    // valid bytes again: the error goes, and the JSON read back shows the value
    await cell.locator('[data-testid="pbw-hex"]').fill('08 ac 02');
    await expect.poll(() => error.count()).toBe(0);
    await expect.poll(async () => JSON.parse((await textNow(cell.locator('[data-testid="pbw-json-back"]'))) ?? 'null'), LIVE).toEqual({ int32Value: 300 });
  });

  it('speaks Russian on the Russian page and compares with the JSON size', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/protocol-buffers`);
    const cell = workbench(page, 'user');
    await cell.waitFor({ timeout: 15_000 });
    const sizes = cell.locator('[data-testid="pbw-sizes"]');
    await expect.poll(() => attributeNow(sizes, 'data-binary-size')).toBe('66');
    expect(await sizes.getAttribute('data-json-size')).toBe('200');
    expect(await sizes.textContent()).toContain('компактный JSON: 200 байт');

    await cell.locator('[data-testid="pbw-hex"]').fill('12 05 41 64');
    const error = cell.locator('[data-testid="pbw-bytes-error"]');
    await expect.poll(() => attributeNow(error, 'data-code')).toBe('length-past-end');
    expect(await error.textContent()).toContain('длина выходит за конец сообщения');
    await releasePage(page);
  });
});

describe('exercises of the lesson', () => {
  it('passes "oneof twice" from the 400 the server really sent', async () => {
    const page = await englishLesson();
    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="oneof-twice"]');
    await exercise.waitFor({ timeout: 15_000 });
    expect(await exercise.getAttribute('data-state')).not.toBe('passed');
    const cell = page.locator('[data-testid="cell"][data-cell-id="oneof-twice"]');
    await cell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), { timeout: 10_000 }).toMatch(/400/);
    expect(await cell.locator('[data-testid="response-body"]').textContent()).toContain('invalid_argument');
    await expect.poll(() => attributeNow(exercise, 'data-state'), { timeout: 10_000 }).toBe('passed');
  });

  it('"enum by name" is not passed by Run alone: the JSON name is typed and compared with the captured answer', async () => {
    const page = await englishLesson();
    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="enum-by-name"]');
    await exercise.waitFor({ timeout: 15_000 });
    const cell = page.locator('[data-testid="cell"][data-cell-id="create-reviewer"]');
    await cell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell.locator('[data-testid="grpc-status"]')), { timeout: 15_000 }).toMatch(/^0 OK/);
    expect(await exercise.getAttribute('data-state')).not.toBe('passed');

    // the hints: switch the cell to Connect JSON and use another email (the first run created Frances)
    await cell.locator('[data-testid="grpc-protocol"]').selectOption('connect-json');
    await page.waitForFunction(() => (window as unknown as { __wirelabEditors?: Map<string, unknown> }).__wirelabEditors?.has('create-reviewer'));
    await page.evaluate(() => {
      const editor = (window as unknown as { __wirelabEditors: Map<string, { getValue(): string; setValue(value: string): void }> }).__wirelabEditors.get(
        'create-reviewer',
      )!;
      editor.setValue(editor.getValue().replace('frances@example.com', 'frances.allen@example.com'));
    });
    await cell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell.locator('[data-testid="grpc-message"]').last()), { timeout: 15_000 }).toContain('frances.allen@example.com');
    const field = exercise.locator('[data-testid="exercise-answer"]');
    await field.fill('1');
    await field.press('Enter');
    expect(await exercise.getAttribute('data-state')).not.toBe('passed');
    await field.fill('USER_STATUS_ACTIVE');
    await field.press('Enter');
    await expect.poll(() => attributeNow(exercise, 'data-state'), { timeout: 10_000 }).toBe('passed');
  });

  it('passes "binary on the wire" when the gRPC cell calls GetUser over Connect binary', async () => {
    const page = await englishLesson();
    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="binary-on-the-wire"]');
    await exercise.waitFor({ timeout: 15_000 });
    expect(await exercise.getAttribute('data-state')).not.toBe('passed');
    const cell = page.locator('[data-testid="cell"][data-cell-id="get-user-binary"]');
    await cell.locator('[data-testid="cell-run"]').click();
    // the check reads the decoded protobuf response from the captured bytes, as the inspector does
    await expect.poll(() => attributeNow(exercise, 'data-state'), { timeout: 15_000 }).toBe('passed');
  });
});
