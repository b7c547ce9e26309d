import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseState, exerciseStateNow, LIVE, setEditorText, textNow } from './lesson-page.ts';

// The lessons "gRPC in the browser" and "A REST gateway over gRPC" in real Chromium against the
// real server: every exercise is made to pass by the traffic the page really produced.

const lab = useAppAndBrowser();

async function run(page: Page, id: string): Promise<Locator> {
  const target = cell(page, id);
  await target.locator('[data-testid="cell-run"]').click();
  return target;
}

async function answer(page: Page, id: string, value: string): Promise<void> {
  const exercise = page.locator(`[data-testid="exercise"][data-exercise-id="${id}"]`);
  await exercise.locator('[data-testid="exercise-answer"]').fill(value);
  await exercise.locator('[data-testid="exercise-answer"]').press('Enter');
}

describe('gRPC in the browser', () => {
  it('passes every exercise from real Connect and gRPC-Web calls', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/grpc-in-the-browser`);

    const missing = await run(page, 'missing-user-grpc-web');
    await expect.poll(() => textNow(missing.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^5 NOT_FOUND/);
    await expect.poll(() => exerciseStateNow(page, 'grpc-web-trailers'), LIVE).toBe('passed');

    await setEditorText(page, 'connect-by-hand', 'POST /wirelab.users.v1.UserService/GetUser\nContent-Type: application/json\n\n{ "id": 3 }\n');
    const byHand = await run(page, 'connect-by-hand');
    await expect.poll(() => textNow(byHand.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    await expect.poll(() => exerciseStateNow(page, 'connect-by-hand'), LIVE).toBe('passed');

    const duplicate = await run(page, 'duplicate-email');
    await expect.poll(() => textNow(duplicate.locator('[data-testid="response-status"]')), LIVE).toMatch(/409/);
    await answer(page, 'connect-error-code', 'not_found');
    expect(await exerciseState(page, 'connect-error-code')).not.toBe('passed');
    await answer(page, 'connect-error-code', 'already_exists');
    await expect.poll(() => exerciseStateNow(page, 'connect-error-code'), LIVE).toBe('passed');

    const binary = await run(page, 'get-user-connect-binary');
    await expect.poll(() => textNow(binary.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    // The question is the length of the request message: GetUserRequest { id: 2 } is field 1 as a
    // varint, 08 02. Running the call is not the answer; a wrong length is refused.
    expect(await exerciseState(page, 'binary-without-envelope')).not.toBe('passed');
    await answer(page, 'binary-without-envelope', '7');
    expect(await exerciseState(page, 'binary-without-envelope')).not.toBe('passed');
    await answer(page, 'binary-without-envelope', '2');
    await expect.poll(() => exerciseStateNow(page, 'binary-without-envelope'), LIVE).toBe('passed');

    const stream = await run(page, 'list-users-stream');
    await expect.poll(() => textNow(stream.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    await expect.poll(() => exerciseStateNow(page, 'end-of-stream'), LIVE).toBe('passed');
    await releasePage(page);
  });
});

describe('A REST gateway over gRPC', () => {
  it('passes every exercise, in Russian, from real gateway and Connect calls', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/rest-gateway`);
    await expect.poll(() => attributeNow(page.locator('html'), 'lang')).toBe('ru');

    // The cell as it is asks for user 1: not yet the exercise.
    const first = await run(page, 'gateway-get-user');
    await expect.poll(() => textNow(first.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    expect(await exerciseState(page, 'gateway-get')).not.toBe('passed');
    await setEditorText(page, 'gateway-get-user', 'GET /v1/users/2\n');
    await run(page, 'gateway-get-user');
    await expect.poll(() => exerciseStateNow(page, 'gateway-get'), LIVE).toBe('passed');

    const created = await run(page, 'gateway-create-user');
    await expect.poll(() => textNow(created.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    const found = await run(page, 'grpc-find-by-email');
    await expect.poll(() => textNow(found.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    await expect.poll(() => exerciseStateNow(page, 'create-then-find'), LIVE).toBe('passed');

    const missing = await run(page, 'gateway-missing');
    await expect.poll(() => textNow(missing.locator('[data-testid="response-status"]')), LIVE).toMatch(/404/);
    await answer(page, 'not-found-code', '5');
    await expect.poll(() => exerciseStateNow(page, 'not-found-code'), LIVE).toBe('passed');

    const bad = await run(page, 'gateway-bad-query');
    await expect.poll(() => textNow(bad.locator('[data-testid="response-status"]')), LIVE).toMatch(/400/);
    await expect.poll(() => exerciseStateNow(page, 'bad-query'), LIVE).toBe('passed');
    // pressing Run was the whole step, and the card said so, in Russian
    expect(await page.locator('[data-exercise-id="bad-query"] [data-testid="exercise-run-only"]').textContent()).toMatch(/ничего менять не нужно/);
    expect(await page.locator('[data-exercise-id="not-found-code"] [data-testid="exercise-run-only"]').count()).toBe(0);

    await setEditorText(page, 'gateway-list-users', 'GET /v1/users?max_users=3&filter.status=USER_STATUS_INACTIVE\n');
    const stream = await run(page, 'gateway-list-users');
    await expect.poll(() => textNow(stream.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    await expect.poll(() => exerciseStateNow(page, 'stream-ndjson'), LIVE).toBe('passed');
    await releasePage(page);
  });
});
