import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openChannel, post } from '../integration/classroom-client.ts';
import { secretsInRelay } from '../integration/relayed-secrets.ts';
import { openPage, useAppAndBrowser } from './browser.ts';
import { attributeNow, cell, LIVE } from './lesson-page.ts';

const lab = useAppAndBrowser();
const json = { 'content-type': 'application/json' };

/** Runs the first cells of the lesson the page shows (those speak for the rest: the same page, session and clients). */
async function runCells(page: Page, most: number): Promise<number> {
  // every slot holds its cell: cells mount as their editor's code arrives, the first before the
  // rest, and the text after the first screen comes a moment later (the article is busy till then)
  const mounted = () =>
    page.evaluate(() => {
      const slots = [...document.querySelectorAll('article.lesson .cell-slot')];
      return (
        document.querySelector('article.lesson[aria-busy]') === null &&
        slots.length > 0 &&
        slots.every((slot) => slot.querySelector('[data-testid="cell"]') !== null)
      );
    });
  await expect.poll(mounted, LIVE).toBe(true);
  const buttons = page.locator('[data-testid="cell-run"]');
  const count = Math.min(most, await buttons.count());
  for (let index = 0; index < count; index += 1) {
    const button = buttons.nth(index);
    if (await button.isEnabled()) await button.click();
  }
  return count;
}

/** Connects a console and sends one message from it. */
async function useConsole(page: Page, cellId: string, kind: 'ws' | 'mqtt', message: string): Promise<void> {
  const console = cell(page, cellId);
  await console.locator(`[data-testid="${kind}-connect"]`).click();
  await expect.poll(() => attributeNow(console.locator(`[data-testid="${kind}-state"]`), 'data-state'), LIVE).toBe(kind === 'ws' ? 'OPEN' : 'connected');
  if (kind === 'ws') {
    await console.locator('[data-testid="ws-message"]').fill(message);
    await console.locator('[data-testid="ws-send"]').click();
    await console.locator('[data-testid="rt-log-entry"][data-kind="received"]').first().waitFor(LIVE);
  } else {
    await console.locator('[data-testid="mqtt-publish"]').click();
  }
}

describe("a led lesson's relayed bytes", () => {
  it("hold none of the teacher's secrets: session, cookie, curl tokens, teacher key, member token", async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;
    const created = await post(origin, '/_wirelab/class/classes', { title: 'Secrets' }, { ...json, 'x-wirelab-teacher-key': key });
    const { code } = (await created.json()) as { code: string };
    const student = (await (await post(origin, '/_wirelab/class/join', { code, name: 'Follower' })).json()) as { memberToken: string };
    const follower = await openChannel(origin);
    follower.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: student.memberToken }));
    await follower.next('joined');

    const teacher = await openPage(lab.browser);
    const curlTokens = new Set<string>();
    teacher.on('response', async (response) => {
      if (new URL(response.url()).pathname !== '/_wirelab/session') return;
      const body = (await response.json().catch(() => null)) as { curlToken?: string } | null;
      if (body?.curlToken) curlTokens.add(body.curlToken);
    });
    await teacher.goto(`${origin}/en/class/teach#key=${key}`);
    await expect.poll(() => attributeNow(teacher.getByTestId('class-teacher'), 'data-status'), LIVE).toBe('ready');
    await teacher.goto(`${origin}/en/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await expect.poll(() => follower.messages.some((message) => message.type === 'navigate' || message.type === 'teacher-wire'), LIVE).toBe(true);

    let cells = 0;
    for (const lesson of ['rest', 'graphql']) {
      await teacher.goto(`${origin}/en/${lesson}`);
      cells += await runCells(teacher, 6);
    }
    // a teacher who pastes a copied curl command into a WebSocket message: masked frames
    await teacher.goto(`${origin}/en/websockets`);
    await expect.poll(() => curlTokens.size, LIVE).toBeGreaterThan(0);
    await useConsole(teacher, 'echo', 'ws', `curl -H 'x-wirelab-sandbox: ${[...curlTokens][0]}' ${origin}/api/v1/users`);
    await teacher.goto(`${origin}/en/mqtt`);
    await useConsole(teacher, 'dashboard', 'mqtt', '');
    // the teacher's page also joins a class as a member would (its token comes back in JSON)
    const membership = await teacher.evaluate(async (classCode) => {
      const answer = await fetch('/_wirelab/class/join', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: classCode, name: 'Teacher' }),
      });
      return (await answer.json()) as { memberToken: string; rejoinCode: string };
    }, code);
    await teacher.evaluate(async (token) => {
      await fetch('/_wirelab/class/me', { headers: { 'x-wirelab-member': token } });
    }, membership.memberToken);
    const settled = async () => {
      const before = Buffer.concat(follower.binary).length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      return Buffer.concat(follower.binary).length === before;
    };
    await expect.poll(settled, LIVE).toBe(true);

    const session = (await teacher.context().cookies()).find((cookie) => cookie.name === 'wirelab_session')!.value;
    expect(cells).toBe(12);
    expect(curlTokens.size).toBeGreaterThan(0);
    const relayedBytes = Buffer.concat(follower.binary).length;
    expect(relayedBytes).toBeGreaterThan(10_000);
    const secrets: Record<string, string> = { session, teacherKey: key, memberToken: membership.memberToken, rejoinCode: membership.rejoinCode };
    for (const [index, token] of [...curlTokens].entries()) secrets[`curlToken${index}`] = token.slice('curl.'.length);
    expect(await secretsInRelay(follower.binary, secrets)).toEqual([]);
    follower.socket.close();
    await teacher.close();
  }, 180_000);
});
