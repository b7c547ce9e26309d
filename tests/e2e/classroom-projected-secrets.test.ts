import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openChannel, post } from '../integration/classroom-client.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, enabledNow, LIVE, textNow } from './lesson-page.ts';

// Issue 35, item 2: a teacher leads a lesson on the projector, runs its cells, opens the
// inspector, chats over WebSocket and gRPC; nothing the teacher's page renders (its HTML, its
// text) and nothing it receives (the frames of every WebSocket it opens) holds the teacher's
// session id, which is the cookie's value, or the teacher key.

const lab = useAppAndBrowser();
const json = { 'content-type': 'application/json' };

/** Every frame the page's WebSockets receive (the capture channel, the gRPC runner, the consoles), as latin1 text. */
function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => frames.push(typeof payload === 'string' ? payload : Buffer.from(payload).toString('latin1')));
  });
  return frames;
}

/** What the page shows and holds in its document: the HTML (attributes, hidden nodes) and the rendered text. */
async function rendered(page: Page): Promise<string> {
  return page.evaluate(() => `${document.documentElement.outerHTML}\n${document.body.textContent}`);
}

/** Opens the inspector's newest exchange whose row has this text, so its headers and bytes are on screen. */
async function openExchange(page: Page, text: string): Promise<void> {
  const row = page.locator('[data-testid="inspector"] [data-testid="insp-exchange"]', { hasText: text }).last();
  await row.waitFor(LIVE);
  await row.click();
  await page.locator('[data-testid="inspector"] [data-testid="insp-tree-node"]').first().waitFor(LIVE);
}

async function chatOverWebSocket(page: Page): Promise<void> {
  const chat = cell(page, 'chat');
  await chat.locator('[data-testid="ws-connect"]').click();
  await expect.poll(() => chat.locator('[data-testid="rt-log-entry"][data-kind="received"]').count(), LIVE).toBeGreaterThan(0);
  await chat.locator('[data-testid="ws-message"]').fill('hello from the projector');
  await chat.locator('[data-testid="ws-send"]').click();
  await expect.poll(() => chat.locator('[data-testid="rt-log-entry"][data-kind="received"]').count(), LIVE).toBeGreaterThan(1);
  await openExchange(page, '/ws/chat');
}

async function chatOverGrpc(page: Page): Promise<void> {
  const chat = cell(page, 'chat');
  await chat.locator('[data-testid="grpc-start"]').click();
  await expect.poll(() => enabledNow(chat.locator('[data-testid="grpc-send"]')), LIVE).toBe(true);
  await chat.locator('[data-testid="grpc-send"]').click();
  await chat.locator('[data-testid="grpc-half-close"]').click();
  await expect.poll(() => textNow(chat.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
  // the runner's own h2c connection, decoded: its HEADERS once carried the teacher's cookie
  await expect.poll(() => page.locator('[data-testid="inspector"] [data-testid="insp-exchange"]', { hasText: 'Chat' }).count(), LIVE).toBeGreaterThan(0);
  await openExchange(page, 'Chat');
}

async function runRestCell(page: Page): Promise<void> {
  const first = page
    .locator('[data-testid="cell"]')
    .filter({ has: page.locator('[data-testid="response-status"], [data-testid="cell-run"]') })
    .first();
  await first.locator('[data-testid="cell-run"]').click();
  await expect.poll(() => textNow(first.locator('[data-testid="response-status"]')), LIVE).toMatch(/\d{3}/);
  await openExchange(page, 'GET');
}

describe("a teacher's projected, leading page", () => {
  it("renders and receives none of the teacher's secrets: the session id (the cookie's value) and the teacher key", async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;
    const created = await post(origin, '/_wirelab/class/classes', { title: 'Projected' }, { ...json, 'x-wirelab-teacher-key': key });
    const { code } = (await created.json()) as { code: string };
    const student = (await (await post(origin, '/_wirelab/class/join', { code, name: 'Follower' })).json()) as { memberToken: string };
    const follower = await openChannel(origin);
    follower.socket.send(JSON.stringify({ type: 'hello', role: 'student', token: student.memberToken }));
    await follower.next('joined');

    const teacher = await openPage(lab.browser);
    const frames = recordFrames(teacher);
    await teacher.goto(`${origin}/en/class/teach#key=${key}`);
    await expect.poll(() => attributeNow(teacher.getByTestId('class-teacher'), 'data-status'), LIVE).toBe('ready');
    await teacher.goto(`${origin}/en/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await expect.poll(() => follower.messages.some((message) => message.type === 'navigate' || message.type === 'teacher-wire'), LIVE).toBe(true);

    const pages: Record<string, string> = {};
    const walk: Array<[lesson: string, act: (page: Page) => Promise<void>]> = [
      ['rest', runRestCell],
      ['websockets', chatOverWebSocket],
      ['grpc', chatOverGrpc],
    ];
    for (const [lesson, act] of walk) {
      await teacher.goto(`${origin}/en/${lesson}?projector=1`);
      await expect.poll(() => attributeNow(teacher.locator('html'), 'data-projector'), LIVE).toBe('');
      await act(teacher);
      pages[lesson] = await rendered(teacher);
    }

    const session = (await teacher.context().cookies()).find((cookie) => cookie.name === 'wirelab_session')!.value;
    const secrets = { session, sessionStart: session.slice(0, 12), teacherKey: key };
    for (const [lesson, html] of Object.entries(pages)) {
      for (const [name, secret] of Object.entries(secrets)) expect(html.includes(secret), `${name} on the ${lesson} page`).toBe(false);
    }
    for (const [name, secret] of Object.entries(secrets)) {
      expect(
        frames.filter((frame) => frame.includes(secret)).map((frame) => frame.slice(0, 200)),
        `${name} in a frame the page received`,
      ).toEqual([]);
    }
    // and what the walk must have put on screen for the scan to mean anything
    expect(pages.websockets).toContain('hello from the projector');
    // the notice as the cell shows the message (JSON, its quotes escaped)
    expect(pages.grpc).toMatch(/Chat of sandbox \\?"room\.[A-Za-z0-9_-]{8}\\?"/);
    expect(frames.length).toBeGreaterThan(20);
    follower.socket.close();
    await releasePage(teacher);
  }, 180_000);
});
