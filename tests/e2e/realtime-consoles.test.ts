import type { Locator, Page } from 'playwright-core';
import { describe, type ExpectStatic, it } from 'vitest';
import { describePage, openPage, useAppAndBrowser, releasePage } from './browser.ts';
import {
  attributeNow,
  cell,
  checkedNow,
  exerciseState,
  exerciseStateNow,
  holdCaptureBack,
  inspectorShowsNow,
  inspectorNode,
  LIVE,
  pollEvery,
  selectedExchange,
  selectedMessage,
  setEditorText,
  textNow,
} from './lesson-page.ts';

// The four realtime consoles in real Chromium against the real server: each one connects, shows
// live messages, and links a logged message to its decoded bytes in the inspector.

const lab = useAppAndBrowser();
// the page asked every 250 ms while a test waits, not every 50 ms (lesson-page.ts)
pollEvery(250);

// The tests of each describe below run two at a time (vitest.config.ts), each in a browser profile of
// its own (its own session and sandbox): most of their time is waiting, for heartbeats, held polls
// and a capture channel held back 6 s.

async function createUser(expect: ExpectStatic, page: Page, cellId: string, email: string): Promise<void> {
  await setEditorText(page, cellId, `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Grace Hopper', email })}\n`);
  await cell(page, cellId).locator('[data-testid="cell-run"]').click();
  await expect.poll(() => textNow(cell(page, cellId).locator('[data-testid="response-status"]')), LIVE).toMatch(/201/);
}

/** Connects the SSE console's stream and waits until it says so. */
async function connectEvents(expect: ExpectStatic, events: Locator): Promise<void> {
  await events.locator('[data-testid="sse-connect"]').click();
  await expect.poll(() => attributeNow(events.locator('[data-testid="sse-state"]'), 'data-state'), LIVE).toBe('connected');
}

describe.concurrent('the WebSocket console', () => {
  // One page for these three, one after another, while the describe's other tests run beside them:
  // each reads the newest of what it did, and an exercise passed is one its own traffic passed (not
  // passed before it). The Russian one keeps its own page: the first one's close would pass its
  // exercise (client-close).
  describe('on one English page', () => {
    const englishWebSockets = describePage(lab, '/en/websockets');

    it.sequential('connects, echoes a text and a binary message, and shows the masked client frame in the inspector', async ({ expect }) => {
      const page = await englishWebSockets();
      const echo = cell(page, 'echo');
      expect(await exerciseState(page, 'send-binary')).not.toBe('passed');
      await echo.locator('[data-testid="ws-connect"]').click();
      await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');

      await echo.locator('[data-testid="ws-message"]').fill('hello');
      await echo.locator('[data-testid="ws-send"]').click();
      const received = echo.locator('[data-testid="rt-log-entry"][data-kind="received"]');
      await expect.poll(() => textNow(received.first()), LIVE).toContain('hello');

      // The preset "01 02 ff" goes out as a binary frame and comes back as one.
      await echo.locator('[data-testid="ws-preset"]', { hasText: 'hex 01 02 ff' }).click();
      await expect.poll(() => textNow(received.nth(1)), LIVE).toContain('01 02 ff');
      await expect.poll(() => exerciseStateNow(page, 'send-binary'), LIVE).toBe('passed');

      // The sent "hello" links to its frame: client to server, masked, opcode 0x1.
      await echo.locator('[data-testid="rt-log-entry"][data-kind="sent"]').first().locator('[data-testid="rt-log-link"]').click();
      await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), LIVE).toBe('ws-frame');
      expect(await selectedMessage(page).getAttribute('data-dir')).toBe('in');
      expect(await selectedMessage(page).textContent()).toMatch(/text · 5 B · masked/);
      // Byte 0 is 1000 0001: FIN set, opcode 0x1 (text); opened, it names the opcode.
      const firstByte = inspectorNode(page, 'ws-header-byte');
      await expect.poll(() => textNow(firstByte)).toContain('1000 0001');
      await firstByte.click();
      await expect.poll(() => textNow(inspectorNode(page, 'ws-opcode'))).toContain('0x1 text');
      await expect.poll(() => inspectorNode(page, 'ws-masking-key').isVisible()).toBe(true);

      // Closing with a code the page may send: both close frames, the code in the log.
      await echo.locator('[data-testid="ws-close-code"]').fill('4000');
      await echo.locator('[data-testid="ws-close-reason"]').fill('done');
      await echo.locator('[data-testid="ws-close"]').click();
      await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('CLOSED');
      expect(await echo.locator('[data-testid="rt-log-entry"][data-event="close"]').getAttribute('data-code')).toBe('4000');
    });

    it.sequential('asks the echo server to drop the connection: no close frame, the browser reports 1006', async ({ expect }) => {
      const page = await englishWebSockets();
      const echo = cell(page, 'echo');
      await echo.locator('[data-testid="ws-connect"]').click();
      await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
      const closes = echo.locator('[data-testid="rt-log-entry"][data-event="close"]');
      const closedBefore = await closes.count();
      await echo.locator('[data-testid="ws-drop"]').click();
      await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('CLOSED');
      // the log keeps the closes of the connections before (the test before this one's, on this page)
      await expect.poll(() => closes.count(), LIVE).toBe(closedBefore + 1);
      expect(await closes.last().getAttribute('data-code')).toBe('1006');
    });

    it.sequential('offers a subprotocol and shows the one the server chose', async ({ expect }) => {
      const page = await englishWebSockets();
      const chat = cell(page, 'chat');
      expect(await exerciseState(page, 'negotiate-subprotocol')).not.toBe('passed');
      expect(await chat.locator('[data-testid="ws-subprotocols"]').inputValue()).toBe('wirelab.chat.v1');
      await chat.locator('[data-testid="ws-connect"]').click();
      await expect.poll(() => textNow(chat.locator('[data-testid="rt-log-entry"][data-event="open"]')), LIVE).toContain('subprotocol wirelab.chat.v1');
      await expect.poll(() => exerciseStateNow(page, 'negotiate-subprotocol'), LIVE).toBe('passed');
    });
  });

  it('refuses a close code a page may not send, and says why', async ({ expect }) => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/websockets`);
    const echo = cell(page, 'echo');
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
    await echo.locator('[data-testid="ws-close-code"]').fill('1009');
    await echo.locator('[data-testid="ws-close"]').click();
    await expect.poll(() => textNow(echo.getByRole('alert'))).toMatch(/1009.*1000 и 3000–4999/);
    expect(await echo.locator('[data-testid="ws-state"]').getAttribute('data-state')).toBe('OPEN');

    // Отключиться: a close frame without a code, the server answers in kind, the page is told 1005.
    await echo.locator('[data-testid="ws-disconnect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('CLOSED');
    expect(await echo.locator('[data-testid="rt-log-entry"][data-event="close"]').getAttribute('data-code')).toBe('1005');
    await expect.poll(() => exerciseStateNow(page, 'client-close'), LIVE).toBe('passed');
    await releasePage(page);
  });
  it('finds a frame’s bytes that reached the page later than its first wait', async ({ expect }) => {
    // The capture channel held back 6 s (holdCaptureBack): the handshake was looked for once, 5 s
    // after Connect, and every frame of the socket said "not captured" for good, a click again too.
    const page = await openPage(lab.browser);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/en/websockets`);
    const echo = cell(page, 'echo');
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
    await echo.locator('[data-testid="ws-message"]').fill('late');
    await echo.locator('[data-testid="ws-send"]').click();
    const echoed = echo.locator('[data-testid="rt-log-entry"][data-kind="received"]', { hasText: 'late' });
    await echoed.waitFor(LIVE);
    // clicked before the first wait is over: the click waits on, past it, for the bytes
    await echoed.locator('[data-testid="rt-log-link"]').click();
    await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), { timeout: 20_000 }).toBe('ws-frame');
    expect(await selectedMessage(page).getAttribute('data-dir')).toBe('out');
    expect(await textNow(selectedMessage(page))).toMatch(/text · 4 B/);
    await releasePage(page);
  });

  // alone, after the others: it reads the new row 1 s after its click (a miss reads "looking…" for 5 s)
  it.sequential('a reconnect’s handshake is never claimed by the connection before it, whose own was never captured', async ({ expect }) => {
    // The first connection's handshake goes uncaptured (recording off); its "open" row looks for it
    // again at once (5 s, then 5 s more). The old query, "the first GET /ws/echo since Connect",
    // claimed the next connection's handshake: the old row showed it, the new row "not captured".
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/websockets`);
    const record = page.locator('[data-testid="insp-record"]');
    await expect.poll(() => checkedNow(record), LIVE).toBe(true);
    await record.click();
    await expect.poll(() => checkedNow(record), LIVE).toBe(false);
    const echo = cell(page, 'echo');
    const state = echo.locator('[data-testid="ws-state"]');
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(state, 'data-state'), LIVE).toBe('OPEN');
    await echo.locator('[data-testid="ws-disconnect"]').click();
    await expect.poll(() => attributeNow(state, 'data-state'), LIVE).toBe('CLOSED');
    await record.click();
    await expect.poll(() => checkedNow(record), LIVE).toBe(true);
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(state, 'data-state'), LIVE).toBe('OPEN');

    const opened = echo.locator('[data-testid="rt-log-entry"][data-event="open"] [data-testid="rt-log-link"]');
    await expect.poll(() => opened.count(), LIVE).toBe(2);
    await opened.nth(0).click();
    await expect.poll(() => textNow(opened.nth(0)), { timeout: 20_000 }).toBe('not captured');
    // the new row's own handshake, found by its first wait: a click shows it at once (a miss would
    // read "looking…" for the 5 s of its next wait)
    await opened.nth(1).click();
    await page.waitForTimeout(1_000);
    expect(await textNow(opened.nth(1))).toBe('handshake');
    expect(await textNow(selectedExchange(page))).toMatch(/GET \/ws\/echo/);
    await releasePage(page);
  });
});

describe('the Socket.IO console', () => {
  // One page for the three, one after another: each uses a cell of its own (websocket-only,
  // lobby, anonymous), and an exercise passed is one the traffic of its test passed (not passed
  // before it). The lesson loads once, not three times. The anonymous cell goes last: its Engine.IO
  // session opens over polling and may finish the probe upgrade before the refused CONNECT closes
  // it, which passes find-probe as honestly as the lobby does (the checks read the session's
  // traffic, not one cell's).
  const socketIoLesson = describePage(lab, '/en/socket-io');

  it('connects over websocket only, without polling first', async ({ expect }) => {
    const page = await socketIoLesson();
    const direct = cell(page, 'websocket-only');
    expect(await exerciseState(page, 'skip-polling')).not.toBe('passed');
    await direct.locator('[data-testid="sio-connect"]').click();
    await expect.poll(() => attributeNow(direct.locator('[data-testid="sio-state"]'), 'data-state'), LIVE).toBe('connected');
    expect(await direct.locator('[data-testid="sio-transport"]').getAttribute('data-transport')).toBe('websocket');
    await expect.poll(() => exerciseStateNow(page, 'skip-polling'), LIVE).toBe('passed');
  });

  it('connects over polling, upgrades to websocket, and an emit with an ack gets its reply', async ({ expect }) => {
    const page = await socketIoLesson();
    const lobby = cell(page, 'lobby');
    expect(await exerciseState(page, 'get-ack')).not.toBe('passed');
    expect(await exerciseState(page, 'find-probe')).not.toBe('passed');
    await lobby.locator('[data-testid="sio-connect"]').click();
    await expect.poll(() => attributeNow(lobby.locator('[data-testid="sio-state"]'), 'data-state'), LIVE).toBe('connected');
    await expect.poll(() => attributeNow(lobby.locator('[data-testid="sio-transport"]'), 'data-transport'), LIVE).toBe('websocket');

    // The Engine.IO open packet, decoded from the first polling response.
    await lobby.locator('[data-testid="rt-log-entry"][data-event="open"] [data-testid="rt-log-link"]').first().click();
    await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), LIVE).toBe('engine-io-packet');
    expect(await selectedMessage(page).textContent()).toMatch(/open · sid /);

    await lobby.locator('[data-testid="sio-preset"]', { hasText: 'chat:join' }).click();
    const ack = lobby.locator('[data-testid="rt-log-entry"][data-event="ack"]');
    await ack.waitFor(LIVE);
    await ack.locator('[data-testid="rt-log-link"]').click();
    await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), LIVE).toBe('socket-io-packet');
    expect(await selectedMessage(page).getAttribute('data-dir')).toBe('out');
    // Both need the client's masked WebSocket frames exactly as they crossed the wire.
    await expect.poll(() => exerciseStateNow(page, 'get-ack'), LIVE).toBe('passed');
    await expect.poll(() => exerciseStateNow(page, 'find-probe'), LIVE).toBe('passed');
  });

  it('shows the server’s refusal when auth is missing', async ({ expect }) => {
    const page = await socketIoLesson();
    const anonymous = cell(page, 'anonymous');
    await anonymous.locator('[data-testid="sio-connect"]').click();
    await anonymous.locator('[data-testid="rt-log-entry"][data-event="connect_error"]').waitFor(LIVE);
    expect(await anonymous.locator('[data-testid="sio-state"]').getAttribute('data-state')).toBe('closed');
  });
});

describe.concurrent('the SSE console', () => {
  // One page for these two, one after another, while the describe's other tests run beside them:
  // each waits for the events of the users it created itself.
  describe('on one English page', () => {
    const englishEvents = describePage(lab, '/en/server-sent-events');

    it.sequential('receives the user.created event of a REST change and shows the decoded event', async ({ expect }) => {
      const page = await englishEvents();
      const events = cell(page, 'events');
      await connectEvents(expect, events);

      await createUser(expect, page, 'create-user', `grace-${Date.now()}@example.com`);
      const created = events.locator('[data-testid="rt-log-entry"][data-event="user.created"]');
      await created.waitFor(LIVE);
      expect(await created.textContent()).toContain('Grace Hopper');

      await created.locator('[data-testid="rt-log-link"]').click();
      await expect.poll(() => inspectorShowsNow(page), LIVE).toBe('sse-event');
      expect(await selectedMessage(page).textContent()).toMatch(/user\.created · id \d+/);
      const eventField = page.locator('[data-testid="inspector"] [data-testid="insp-tree-node"][data-kind="sse-field"]', { hasText: 'user.created' });
      await eventField.first().waitFor(LIVE);
      // a row picked in the inspector stays; the log's link, clicked again, brings the event back
      await page.locator('[data-testid="inspector"] [data-testid="insp-exchange"]', { hasText: 'POST /api/v1/users' }).last().click();
      await expect.poll(() => inspectorShowsNow(page), LIVE).toMatch(/^exchange: .*POST \/api\/v1\/users/);
      await created.locator('[data-testid="rt-log-link"]').click();
      await expect.poll(() => inspectorShowsNow(page), LIVE).toBe('sse-event');
      // the stream closed, as found
      await events.locator('[data-testid="sse-disconnect"]').click();
      await expect.poll(() => attributeNow(events.locator('[data-testid="sse-state"]'), 'data-state'), LIVE).toBe('closed');
    });

    it.sequential('resumes with Last-Event-ID and gets the event it missed', async ({ expect }) => {
      const page = await englishEvents();
      const events = cell(page, 'events');
      expect(await exerciseState(page, 'resume')).not.toBe('passed');
      await connectEvents(expect, events);
      const first = `first-${Date.now()}@example.com`;
      await createUser(expect, page, 'create-user', first);
      // its own event (the log keeps the one of the test before it, on this page)
      await events.locator('[data-testid="rt-log-entry"][data-event="user.created"]', { hasText: first }).waitFor(LIVE);

      await events.locator('[data-testid="sse-disconnect"]').click();
      const missed = `missed-${Date.now()}@example.com`;
      await createUser(expect, page, 'create-user', missed);
      await events.locator('[data-testid="sse-resume"]').click();
      const replayed = events.locator('[data-testid="rt-log-entry"][data-event="user.created"]', { hasText: missed });
      await replayed.waitFor(LIVE);
      await expect.poll(() => exerciseStateNow(page, 'resume'), LIVE).toBe('passed');
    });
  });

  it('shows every line with the fetch client, the heartbeat comment included', async ({ expect }) => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/server-sent-events`);
    const events = cell(page, 'events');
    await events.locator('[data-testid="sse-client"]').selectOption('fetch');
    await events.locator('[data-testid="sse-url"]').fill('/api/v1/events?heartbeat=1');
    await events.locator('[data-testid="sse-connect"]').click();
    const comment = events.locator('[data-testid="rt-log-entry"][data-event="comment"]');
    await comment.first().waitFor(LIVE);
    expect(await comment.first().textContent()).toContain(': keep-alive');
    expect(await events.locator('[data-testid="rt-log-entry"]', { hasText: 'retry: 3000' }).count()).toBe(1);
    await expect.poll(() => exerciseStateNow(page, 'heartbeat-comment'), LIVE).toBe('passed');
    await releasePage(page);
  });

  it('finds an event’s bytes that reached the page later than its first wait', async ({ expect }) => {
    // The page's capture channel (/_wirelab/tap) held back 6 s, as a loaded machine or a slow
    // network can: the stream's GET was looked for once, 5 s after Connect, and every row of the
    // stream said "not captured" for good, a click again too (csp.test.ts could then wait out its
    // 60 s on the inspector's selection).
    const page = await openPage(lab.browser);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/en/server-sent-events`);
    const events = cell(page, 'events');
    await connectEvents(expect, events);
    await createUser(expect, page, 'create-user', `late-${Date.now()}@example.com`);
    const created = events.locator('[data-testid="rt-log-entry"][data-event="user.created"]');
    await created.waitFor(LIVE);
    await created.locator('[data-testid="rt-log-link"]').click();
    await expect.poll(() => inspectorShowsNow(page), { timeout: 20_000 }).toBe('sse-event');
    expect(await textNow(selectedMessage(page))).toMatch(/user\.created · id \d+/);
    await releasePage(page);
  });
});

/** Where the Run button of an http cell is in the window, where the pointer finds it. */
function runButtonTop(page: Page, cellId: string): Promise<number> {
  return cell(page, cellId)
    .locator('[data-testid="cell-run"]')
    .evaluate((button) => button.getBoundingClientRect().top);
}

describe.concurrent('a live console moves nothing under the pointer', () => {
  // A student connects a console, then clicks Run in the cell under it. A log that grew with each
  // line pushed that Run button down, and a click whose press and release fell either side of a
  // new line was lost (the release landed on the cell's editor): csp.test.ts once hung on it. The
  // console at the top of the window, as a student has it: the browser's scroll anchoring then
  // keeps the console in place and lets what is under it move.
  for (const lang of ['en', 'ru'] as const) {
    it(`SSE (${lang}): the log keeps its height while heartbeats arrive, and the Run button under it stays put`, async ({ expect }) => {
      const page = await openPage(lab.browser);
      await page.goto(`${lab.server.origin}/${lang}/server-sent-events`);
      const events = cell(page, 'events');
      await events.locator('[data-testid="sse-client"]').selectOption('fetch');
      await events.locator('[data-testid="sse-url"]').fill('/api/v1/events?heartbeat=1');
      await cell(page, 'create-user').locator('[data-testid="cell-run"]').waitFor(LIVE);
      await page.evaluate(() => document.getElementById('cell-events')?.scrollIntoView({ block: 'start' }));
      const before = await runButtonTop(page, 'create-user');
      const seen = new Set<number>();

      await events.locator('[data-testid="sse-connect"]').click();
      const comments = events.locator('[data-testid="rt-log-entry"][data-event="comment"]');
      // the opening line, retry, then a heartbeat a second: the Run button measured after each
      for (let count = 1; count <= 3; count += 1) {
        await comments.nth(count - 1).waitFor(LIVE);
        seen.add(Math.round((await runButtonTop(page, 'create-user')) - before));
      }
      expect([...seen]).toEqual([0]);
      await events.locator('[data-testid="sse-disconnect"]').click();
      await expect.poll(() => attributeNow(events.locator('[data-testid="sse-state"]'), 'data-state'), LIVE).toBe('closed');
      expect(Math.round((await runButtonTop(page, 'create-user')) - before)).toBe(0);
      await releasePage(page);
    });
  }

  it('WebSocket and Socket.IO (ru): connecting re-wraps no toolbar, so the rows under it stay put', async ({ expect }) => {
    // The state, the button's label, the chosen subprotocol, the transport: text that changed as
    // the console connected wrapped its toolbar onto another line in Russian, and every row under
    // it (the message box, the presets) moved down 46 px just after the click on Connect.
    const page = await openPage(lab.browser);
    const consoles = [
      { path: 'websockets', id: 'echo', prefix: 'ws', open: 'OPEN' },
      { path: 'socket-io', id: 'lobby', prefix: 'sio', open: 'connected' },
    ];
    for (const { path, id, prefix, open } of consoles) {
      await page.goto(`${lab.server.origin}/ru/${path}`);
      const panel = cell(page, id);
      await panel.locator(`[data-testid="${prefix}-connect"]`).waitFor(LIVE);
      // the log's place in its console: every row above it counts
      const logOffset = () =>
        panel.evaluate((section) => section.querySelector('[data-testid="rt-log"]')!.getBoundingClientRect().top - section.getBoundingClientRect().top);
      const before = await logOffset();
      await panel.locator(`[data-testid="${prefix}-connect"]`).click();
      await expect.poll(() => attributeNow(panel.locator(`[data-testid="${prefix}-state"]`), 'data-state'), LIVE).toBe(open);
      if (prefix === 'sio') await expect.poll(() => attributeNow(panel.locator('[data-testid="sio-transport"]'), 'data-transport'), LIVE).toBe('websocket');
      expect(`${path} ${Math.round((await logOffset()) - before)}`).toBe(`${path} 0`);
    }
    await releasePage(page);
  });

  it('a full log holds still while a press is down on a row, so the click reaches its bytes; then it catches up with the newest', async ({ expect }) => {
    // A full log follows its newest line by scrolling; that slid the row being clicked (its
    // "bytes" button) away between the press and the release, and the click was lost.
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/websockets`);
    const echo = cell(page, 'echo');
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
    const box = echo.locator('[data-testid="ws-message"]');
    await box.fill('hello');
    const received = echo.locator('[data-testid="rt-log-entry"][data-kind="received"]');
    // Ctrl+Enter in the message box sends, with no pointer
    const send = async (count: number) => {
      await box.evaluate((element: HTMLElement) => element.focus({ preventScroll: true }));
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => received.count(), LIVE).toBe(count);
    };
    for (let count = 1; count <= 8; count += 1) await send(count);
    const body = echo.locator('[data-testid="rt-log-body"]');
    const belowTheFold = () => body.evaluate((element) => element.scrollHeight - element.clientHeight - element.scrollTop);
    // full, and showing its newest line
    expect(await body.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
    expect(await belowTheFold()).toBeLessThanOrEqual(1);

    // the press on the last echo's "bytes", a new line while it is down, then the release
    const link = received.nth(7).locator('[data-testid="rt-log-link"]');
    await link.scrollIntoViewIfNeeded();
    const at = await link.boundingBox();
    await page.mouse.move(at!.x + at!.width / 2, at!.y + at!.height / 2);
    await page.mouse.down();
    await send(9);
    expect(await link.boundingBox()).toEqual(at);
    await page.mouse.up();
    await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), LIVE).toBe('ws-frame');
    expect(await textNow(selectedMessage(page))).toMatch(/text · 5 B/);
    await expect.poll(belowTheFold, LIVE).toBeLessThanOrEqual(1);
    await releasePage(page);
  });

  it('long polling: the timeline keeps its height as polls are answered, and the Run button under it stays put', async ({ expect }) => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/long-polling`);
    const poll = cell(page, 'poll');
    await poll.locator('[data-testid="poll-hold"]').fill('1');
    await cell(page, 'create-user').locator('[data-testid="cell-run"]').waitFor(LIVE);
    await page.evaluate(() => document.getElementById('cell-poll')?.scrollIntoView({ block: 'start' }));
    const before = await runButtonTop(page, 'create-user');
    const seen = new Set<number>();

    await poll.locator('[data-testid="poll-start"]').click();
    const answered = poll.locator('[data-testid="poll-row"][data-status="204"]');
    for (let count = 1; count <= 3; count += 1) {
      await answered.nth(count - 1).waitFor(LIVE);
      seen.add(Math.round((await runButtonTop(page, 'create-user')) - before));
    }
    expect([...seen]).toEqual([0]);
    await poll.locator('[data-testid="poll-stop"]').click();
    await releasePage(page);
  });
});

describe.concurrent('the long polling console', () => {
  it('holds a poll until a REST change answers it, and shows the hold on the wire', async ({ expect }) => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/long-polling`);
    const poll = cell(page, 'poll');
    // A short hold, so that an empty answer comes soon too.
    await poll.locator('[data-testid="poll-hold"]').fill('2');
    await poll.locator('[data-testid="poll-start"]').click();
    await poll.locator('[data-testid="poll-row"][data-status="204"]').first().waitFor(LIVE);
    await expect.poll(() => exerciseStateNow(page, 'wait-out'), LIVE).toBe('passed');
    // A poll whose connection is refused after one was answered (a server killed, an instance gone,
    // the Wi-Fi): the loop says so and asks again with the same since, 5 s later; it stopped there.
    const answeredBefore = await poll.locator('[data-testid="poll-row"][data-status="204"]').count();
    let refusals = 0;
    await page.route('**/api/v1/poll?**', (route) => (refusals++ === 0 ? route.abort('connectionrefused') : route.continue()));
    const lost = poll.locator('[data-testid="poll-row"][data-outcome="lost"]');
    await lost.first().waitFor(LIVE);
    expect(await textNow(lost.first())).toMatch(/the server may be restarting — asking again in 5 s, with the same since/);
    await expect.poll(() => poll.locator('[data-testid="poll-row"][data-status="204"]').count(), LIVE).toBeGreaterThan(answeredBefore);
    expect(await poll.locator('[data-testid="poll-row"][data-outcome="failed"]').count()).toBe(0);
    await page.unroute('**/api/v1/poll?**');
    // Then polls held 30 s (the loop keeps the hold it started with): a 2 s hold could run out
    // before the change reached the server on a busy machine, and the poll sent after it is
    // answered at once, not held, so "held, then answered" rightly stayed pending.
    await poll.locator('[data-testid="poll-stop"]').click();
    await expect.poll(() => attributeNow(poll.locator('[data-testid="poll-state"]'), 'data-state'), LIVE).toBe('idle');
    await poll.locator('[data-testid="poll-hold"]').fill('30');
    await poll.locator('[data-testid="poll-start"]').click();
    // Wait until a poll is being held, then answer it with a change.
    const waiting = poll.locator('[data-testid="poll-row"][data-outcome="waiting"]');
    await waiting.first().waitFor(LIVE);

    await createUser(expect, page, 'create-user', `dorothy-${Date.now()}@example.com`);
    const answered = poll.locator('[data-testid="poll-row"][data-status="200"]', { hasText: 'user.created' });
    await answered.first().waitFor(LIVE);
    await expect.poll(() => textNow(answered.first().locator('[data-testid="poll-held"]')), LIVE).toMatch(/^\d+ ms$/);
    await expect.poll(() => exerciseStateNow(page, 'held-then-answered'), LIVE).toBe('passed');

    await answered.first().locator('[data-testid="rt-log-link"]').click();
    await expect
      .poll(() => textNow(page.locator('[data-testid="inspector"] [data-testid="insp-exchange"][aria-pressed="true"]')), LIVE)
      .toContain('/api/v1/poll');
    await poll.locator('[data-testid="poll-stop"]').click();
    await expect.poll(() => attributeNow(poll.locator('[data-testid="poll-state"]'), 'data-state'), LIVE).toBe('idle');
    await releasePage(page);
  });

  it('finds a poll’s bytes that reached the page later than its first wait: "not captured" looks again', async ({ expect }) => {
    // The capture channel held back 6 s: a poll's exchange was looked for once, 5 s after its
    // answer, and its row said "not captured" for good (as text, nothing to click).
    const page = await openPage(lab.browser);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/en/long-polling`);
    const poll = cell(page, 'poll');
    await poll.locator('[data-testid="poll-hold"]').fill('1');
    await poll.locator('[data-testid="poll-start"]').click();
    const first = poll.locator('[data-testid="poll-row"][data-status="204"]').first();
    await first.waitFor(LIVE);
    await poll.locator('[data-testid="poll-stop"]').click();
    const link = first.locator('[data-testid="rt-log-link"]');
    await expect.poll(() => textNow(link), LIVE).toBe('not captured');
    await link.click();
    await expect.poll(() => textNow(selectedExchange(page)), { timeout: 20_000 }).toContain('/api/v1/poll');
    await expect.poll(() => textNow(link), LIVE).toBe('show');
    await releasePage(page);
  });
});
