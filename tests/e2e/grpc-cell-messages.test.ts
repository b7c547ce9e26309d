import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe-violations.ts';
import { describePage, openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { cell, holdCaptureBack, LIVE, pollEvery, selectedExchange, textNow } from './lesson-page.ts';

// What the gRPC cell says when a call does not go as planned: in the reader's language, and only
// what is true of this attempt.

const lab = useAppAndBrowser();
// the page asked every 250 ms while a test waits, not every 50 ms (lesson-page.ts)
pollEvery(250);

describe('the gRPC cell', () => {
  // One Russian gRPC lesson for the last three tests, whose cells no other of them uses (get-user,
  // ticks, missing-user): the heavy page loads once for the three, and they come last, so that it
  // does not idle while the others run. The others use get-user again, or hold the capture back:
  // each has a page of its own.
  const russianLesson = describePage(lab, '/ru/grpc');

  it('bytes that reach the page after its wait: "пока не записаны", and a click looks again (in Russian)', async () => {
    // The capture channel held back 6 s: the call's bytes were looked for once, 3 s after it
    // ended, and the cell said they were not captured for good, with nothing to click.
    const page = await openPage(lab.browser);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/ru/grpc`);
    const getUser = cell(page, 'get-user');
    await getUser.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(getUser.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);

    const missing = getUser.locator('[data-testid="capture-missing"]');
    await expect.poll(() => textNow(missing), LIVE).toMatch(/^Байты этого вызова пока не записаны/);
    const lookAgain = missing.locator('[data-testid="capture-look-again"]');
    expect(await textNow(lookAgain)).toBe('Поискать снова');
    expect(await axeViolations(page, { include: '[data-testid="capture-missing"]' })).toEqual([]);
    await lookAgain.click();
    await expect.poll(() => textNow(selectedExchange(page)), { timeout: 20_000 }).toMatch(/POST \/wirelab\.users\.v1\.UserService\/GetUser/);
    // found: the cell links to them now and no longer says they are missing
    await getUser.locator('[data-testid="grpc-show-bytes"]').waitFor(LIVE);
    expect(await missing.count()).toBe(0);
    await releasePage(page);
  });

  it('a call started while the last one’s bytes are looked for again stays the new call’s (in Russian)', async () => {
    // The old call's look-again found its bytes after a runner call had begun, and the cell showed
    // the old call's "show bytes" under the new call's log.
    const page = await openPage(lab.browser);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/ru/grpc`);
    const getUser = cell(page, 'get-user');
    await getUser.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(getUser.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    const missing = getUser.locator('[data-testid="capture-missing"]');
    await missing.locator('[data-testid="capture-look-again"]').waitFor(LIVE);
    await missing.locator('[data-testid="capture-look-again"]').click();

    // at once, a bidi call of the same cell: it goes through the runner
    await getUser.locator('[data-testid="grpc-method"]').selectOption('wirelab.users.v1.UserService/Chat');
    await getUser.locator('[data-testid="grpc-start"]').click();
    expect(await missing.count()).toBe(0);
    // the old call's bytes reach the page (the inspector lists them): its look-again has answered
    const oldCall = page.locator('[data-testid="inspector"] [data-testid="insp-exchange"]').filter({ hasText: 'UserService/GetUser' });
    await expect.poll(() => oldCall.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1_000);
    expect(await getUser.locator('[data-testid="grpc-show-bytes"]').count()).toBe(0);
    await getUser.locator('[data-testid="grpc-cancel"]').click();
    await releasePage(page);
  });

  it('another method chosen while a stream is open cancels that stream; Run is Run again (in Russian)', async () => {
    // The runner's Chat stream went on, unseen, and the cell's Run said «Вызываем…» with a Cancel
    // that cancelled only a call from the page itself: the cell was stuck until the page closed.
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/grpc`);
    const getUser = cell(page, 'get-user');
    await getUser.locator('[data-testid="grpc-method"]').selectOption('wirelab.users.v1.UserService/Chat');
    await getUser.locator('[data-testid="grpc-start"]').click();
    // The server speaks first: its notice means the stream has reached the handler. Before it, a
    // cancel can end the call while the runner still connects, and the server never sees it.
    await expect.poll(() => textNow(getUser.locator('[data-testid="grpc-message"]').first()), LIVE).toMatch(/Chat of sandbox/);
    // the same cell, a unary call: it goes from the page itself
    await getUser.locator('[data-testid="grpc-method"]').selectOption('wirelab.users.v1.UserService/GetUser');
    expect(await textNow(getUser.locator('[data-testid="cell-run"]'))).toMatch(/Выполнить/);
    await getUser.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(getUser.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    // the server's own record of this session's calls: the Chat stream ended, cancelled by its client
    const chatCalls = () =>
      page.evaluate(async () => {
        const response = await fetch('/wirelab.lab.v1.LabService/RecentCalls', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'connect-protocol-version': '1' },
          body: '{}',
        });
        const { calls = [] } = (await response.json()) as { calls?: { procedure: string; cancelledByClient?: boolean }[] };
        return calls.filter((call) => call.procedure === '/wirelab.users.v1.UserService/Chat').map((call) => Boolean(call.cancelledByClient));
      });
    await expect.poll(chatCalls, LIVE).toEqual([true]);
    await releasePage(page);
  });

  it('a metadata error clears the previous call and never claims that nothing was captured', async () => {
    const page = await russianLesson();
    const getUser = cell(page, 'get-user');
    await getUser.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(getUser.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);

    await getUser.locator('[data-testid="grpc-metadata"]').fill('x-student: Ада');
    await getUser.locator('[data-testid="cell-run"]').click();
    await expect
      .poll(() => textNow(getUser.locator('[data-testid="grpc-problem"]')), LIVE)
      .toMatch(/строка 1: текстовое значение может содержать только печатные символы ASCII/);
    expect(await getUser.locator('[data-testid="grpc-status"]').count()).toBe(0);
    expect(await getUser.textContent()).not.toMatch(/не записаны/);
  });

  it('cancelling a stream says so in Russian, not "signal is aborted without reason"', async () => {
    const page = await russianLesson();
    const ticks = cell(page, 'ticks');
    await ticks.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => ticks.locator('[data-testid="grpc-message"]').count(), LIVE).toBeGreaterThanOrEqual(1);
    await ticks.locator('[data-testid="grpc-cancel"]').click();
    await expect.poll(() => textNow(ticks.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/CANCELL?ED/);
    const text = await ticks.textContent();
    expect(text).toMatch(/Вы отменили вызов: браузер перестал читать поток/);
    expect(text).not.toMatch(/aborted/);
  });

  it("says the server's English status message in Russian beside it", async () => {
    const page = await russianLesson();
    const missing = cell(page, 'missing-user');
    await missing.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(missing.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^5 NOT_FOUND/);
    expect(await missing.locator('[data-testid="grpc-status-in-lang"]').textContent()).toMatch(/^ \(пользователь \d+ не существует\)$/);
  });
});

describe('a problem+json answer', () => {
  it('is summed up in Russian beside the real body: detail and every field error', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/rest`);
    const invalid = cell(page, 'invalid-user');
    await invalid.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(invalid.locator('[data-testid="response-status"]')), LIVE).toMatch(/422/);
    const lines = await invalid.locator('[data-testid="problem-in-lang"] li').allTextContents();
    expect(lines[0]).toBe('некоторые поля заполнены неверно: см. errors');
    expect(lines.length).toBeGreaterThan(1);
    // ajv's English stays only in the body (the real bytes), not in the Russian summary
    for (const line of lines) expect(line).not.toMatch(/\bmust\b|does not exist/);
    expect(await invalid.locator('[data-testid="response-body"]').textContent()).toMatch(/must/);
    await releasePage(page);
  });
});
