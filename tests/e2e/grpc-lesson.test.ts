import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describePage, openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, enabledNow, exerciseState, exerciseStateNow, LIVE, pollEvery, textNow } from './lesson-page.ts';

// The gRPC lesson in real Chromium against the real server: calls over Connect and gRPC-Web from
// the page, a server stream cancelled mid-way, a deadline, and the exercises that read the bytes.

const lab = useAppAndBrowser();
// the page asked every 250 ms while a test waits, not every 50 ms (lesson-page.ts)
pollEvery(250);

async function run(page: Page, id: string): Promise<Locator> {
  const target = cell(page, id);
  await target.locator('[data-testid="cell-run"]').click();
  return target;
}

describe('the gRPC lesson', () => {
  // One English gRPC lesson for the last two tests, whose cells and exercises no other test uses
  // (ticks and recent-calls, chat): the heavy page loads once for both, after the others, so that it
  // does not idle while they run. The others read the inspector's first message, or run ticks again:
  // each has a page of its own.
  const englishLesson = describePage(lab, '/en/grpc');

  it('calls GetUser over Connect JSON and over gRPC-Web, and the gRPC-Web message is decoded from the bytes', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/grpc`);

    const connect = await run(page, 'get-user');
    await expect.poll(() => textNow(connect.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    expect(await connect.locator('[data-testid="grpc-message"]').first().textContent()).toContain('Ada Lovelace');

    const grpcWeb = await run(page, 'get-user-grpc-web');
    await expect.poll(() => textNow(grpcWeb.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    expect(await grpcWeb.locator('[data-testid="grpc-message"]').first().textContent()).toContain('Alan Turing');
    // The question is the length the response's prefix announces: whatever the server really
    // sent for user 2, as a plain Connect binary call of the same method shows (no envelope there:
    // the body is the message).
    const sameMessage = await fetch(`${lab.server.origin}/wirelab.users.v1.UserService/GetUser`, {
      method: 'POST',
      headers: { 'content-type': 'application/proto' },
      body: new Uint8Array([0x08, 0x02]),
    });
    const length = (await sameMessage.arrayBuffer()).byteLength;
    expect(length).toBeGreaterThan(10);
    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="grpc-web-message"]');
    expect(await exerciseState(page, 'grpc-web-message')).not.toBe('passed');
    await exercise.locator('[data-testid="exercise-answer"]').fill(String(length + 5));
    await exercise.locator('[data-testid="exercise-answer"]').press('Enter');
    expect(await exerciseState(page, 'grpc-web-message')).not.toBe('passed');
    await exercise.locator('[data-testid="exercise-answer"]').fill(String(length));
    await exercise.locator('[data-testid="exercise-answer"]').press('Enter');
    await expect.poll(() => exerciseStateNow(page, 'grpc-web-message'), LIVE).toBe('passed');
    expect(await page.locator('[data-exercise-id="retry-until-success"] [data-testid="exercise-run-only"]').textContent()).toMatch(/Nothing to change/);

    // The response's length-prefixed message, decoded from the captured bytes of that very call.
    await grpcWeb.locator('[data-testid="grpc-show-bytes"]').click();
    const response = page.locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="grpc-message"][data-dir="out"]');
    await expect.poll(() => textNow(response.first()), LIVE).toMatch(/GetUserResponse/);
    await response.first().click();
    const tree = page.locator('[data-testid="inspector"] [data-testid="insp-tree-node"]');
    await expect.poll(() => tree.allTextContents(), LIVE).toEqual(expect.arrayContaining([expect.stringMatching(/GetUserResponse/)]));
    await releasePage(page);
  });

  it.each([
    { protocol: 'connect-binary', layer: 'connect' },
    { protocol: 'grpc-web', layer: 'grpc-web' },
  ])('streams ticks over $protocol too, each message decoded from the captured body', async ({ protocol, layer }) => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/grpc`);
    const ticks = cell(page, 'ticks');
    await ticks.locator('[data-testid="grpc-protocol"]').selectOption(protocol);
    await ticks.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => ticks.locator('[data-testid="grpc-message"]').count(), LIVE).toBeGreaterThanOrEqual(3);
    await ticks.locator('[data-testid="grpc-cancel"]').click();
    await expect.poll(() => textNow(ticks.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/CANCELED|CANCELLED/);
    // The streamed messages, found by the inspector in the captured response body of that call.
    const streamed = page.locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="grpc-message"][data-dir="out"]');
    await expect.poll(() => streamed.count(), LIVE).toBeGreaterThanOrEqual(3);
    await streamed.first().click();
    await expect
      .poll(() => page.locator('[data-testid="inspector"] [data-testid="insp-tree-node"]').allTextContents(), LIVE)
      .toEqual(expect.arrayContaining([expect.stringMatching(layer === 'grpc-web' ? /gRPC-Web message/ : /Connect message/)]));
    await releasePage(page);
  });

  it('hits a deadline and, in Russian, reads NOT_FOUND with its details', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/grpc`);
    await expect.poll(() => attributeNow(page.locator('html'), 'lang')).toBe('ru');

    const slow = await run(page, 'slow');
    await expect.poll(() => textNow(slow.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/DEADLINE_EXCEEDED/);
    await expect.poll(() => exerciseStateNow(page, 'hit-deadline'), LIVE).toBe('passed');

    const missing = await run(page, 'missing-user');
    await expect.poll(() => textNow(missing.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^5 NOT_FOUND/);
    expect(await missing.locator('[data-testid="grpc-details"]').textContent()).toMatch(/ErrorInfo/);
    await releasePage(page);
  });

  it('streams ticks live, cancels them, and the server recorded the cancellation', async () => {
    const page = await englishLesson();
    const ticks = await run(page, 'ticks');
    await expect.poll(() => ticks.locator('[data-testid="grpc-message"]').count(), LIVE).toBeGreaterThanOrEqual(2);
    await ticks.locator('[data-testid="grpc-cancel"]').click();
    await expect.poll(() => textNow(ticks.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/CANCELED|CANCELLED/);
    const received = await ticks.locator('[data-testid="grpc-message"]').count();
    expect(received).toBeLessThan(30);

    const recent = await run(page, 'recent-calls');
    await expect.poll(() => textNow(recent.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    await expect.poll(() => exerciseStateNow(page, 'cancel-stream'), LIVE).toBe('passed');
  });

  it('drives a bidirectional Chat through the server-side runner, step by step, over native gRPC', async () => {
    const page = await englishLesson();
    const chat = cell(page, 'chat');
    // fetch cannot stream a request body, so the page says so and offers the runner instead.
    await expect.poll(() => chat.locator('[data-testid="grpc-runner-note"]').isVisible(), LIVE).toBe(true);
    await chat.locator('[data-testid="grpc-start"]').click();
    await expect.poll(() => enabledNow(chat.locator('[data-testid="grpc-send"]')), LIVE).toBe(true);
    await chat.locator('[data-testid="grpc-send"]').click();
    await chat.locator('[data-testid="grpc-send"]').click();
    await expect.poll(() => chat.locator('[data-testid="grpc-event-sent"]').count(), LIVE).toBe(2);
    await chat.locator('[data-testid="grpc-half-close"]').click();
    await expect.poll(() => textNow(chat.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    expect(await chat.locator('[data-testid="grpc-message"]').count()).toBeGreaterThanOrEqual(1);
    // The runner's own h2c connection belongs to this session: its request messages are in the capture.
    await expect.poll(() => exerciseStateNow(page, 'bidi-chat'), LIVE).toBe('passed');
  });
});
