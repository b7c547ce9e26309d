import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseState, exerciseStateNow, LIVE, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();

// The closing lesson's exercises that need the browser: decoded gRPC-Web messages, SSE and long
// polling together, WebSocket frames. (The REST one runs in course.test.ts; answers are read from
// what this page captured, never typed in advance.)
// Nothing here reads the page's text: the Russian page once (course.test.ts opens it in English).
describe('the lesson "Choosing a protocol"', () => {
  it('checks the gRPC-Web message length, one event over SSE and long polling, and a burst of frames', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/choosing-a-protocol`);
    const inspector = page.locator('[data-testid="inspector"]');

    // gRPC-Web: the length its envelope announces, read from the inspector's decoded message.
    const grpc = cell(page, 'get-user-grpc-web');
    await grpc.locator('[data-testid="cell-run"]').click();
    const message = inspector.locator('[data-testid="insp-message"][data-layer="grpc-message"][data-dir="out"]').last();
    await message.waitFor(LIVE);
    const summary = (await message.textContent())!;
    const length = /(\d+) (?:B|Б)/.exec(summary)?.[1];
    expect(length, summary).toBeDefined();
    const grpcExercise = page.locator('[data-testid="exercise"][data-exercise-id="grpc-web-body-size"]');
    await grpcExercise.locator('[data-testid="exercise-answer"]').fill(String(Number(length) + 5));
    await grpcExercise.locator('[data-testid="exercise-submit"]').click();
    expect(await grpcExercise.getAttribute('data-state')).toBe('pending');
    await grpcExercise.locator('[data-testid="exercise-answer"]').fill(length!);
    await grpcExercise.locator('[data-testid="exercise-submit"]').click();
    await expect.poll(() => exerciseStateNow(page, 'grpc-web-body-size'), LIVE).toBe('passed');

    // One event, two ways: the stream, then the poll, then the change.
    const events = cell(page, 'events');
    await events.locator('[data-testid="sse-connect"]').click();
    await expect.poll(() => attributeNow(events.locator('[data-testid="sse-state"]'), 'data-state'), LIVE).toBe('connected');
    const poll = cell(page, 'poll');
    await poll.locator('[data-testid="poll-start"]').click();
    await poll.locator('[data-testid="poll-row"][data-outcome="waiting"]').first().waitFor(LIVE);
    expect(await exerciseState(page, 'one-event-two-ways')).toBe('pending');
    const create = cell(page, 'create-user');
    await create.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(create.locator('[data-testid="response-status"]')), LIVE).toMatch(/201/);
    await events.locator('[data-testid="rt-log-entry"][data-event="user.created"]').first().waitFor(LIVE);
    await poll.locator('[data-testid="poll-row"][data-status="200"]', { hasText: 'user.created' }).first().waitFor(LIVE);
    await expect.poll(() => exerciseStateNow(page, 'one-event-two-ways'), LIVE).toBe('passed');
    await poll.locator('[data-testid="poll-stop"]').click();
    await events.locator('[data-testid="sse-disconnect"]').click();

    // The poll's head: a wrong number is refused (reading the right one, response-body-offset, is web/lessons/checks.test.ts's).
    const head = page.locator('[data-testid="exercise"][data-exercise-id="poll-head-per-event"]');
    await head.locator('[data-testid="exercise-answer"]').fill('1');
    await head.locator('[data-testid="exercise-submit"]').click();
    expect(await head.getAttribute('data-state')).toBe('pending');

    // Three moves over the echo WebSocket.
    const echo = cell(page, 'echo');
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
    const presets = echo.locator('[data-testid="ws-preset"]');
    await presets.nth(0).click();
    await presets.nth(1).click();
    expect(await exerciseState(page, 'burst-over-websocket')).toBe('pending');
    await presets.nth(2).click();
    await expect.poll(() => exerciseStateNow(page, 'burst-over-websocket'), LIVE).toBe('passed');
    await releasePage(page);
  });
});
