import { once } from 'node:events';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, releasePage } from './browser.ts';
import { attributeNow, cell, LIVE, setEditorText, textNow } from './lesson-page.ts';
import { useRestartLab } from './restart-lab.ts';

// Mid-seminar the teacher stops the server (Ctrl-C) and starts it again on the same port (as in
// server-restart.test.ts). The lesson consoles that were live say the server stopped or is
// restarting — not an error of the student's — and come back by themselves: Socket.IO
// (socket.io-client reconnects after the transport's close 1001), SSE (EventSource after the
// server.shutdown event's retry) and a GraphQL subscription (graphql-ws's client retries after
// 1001 and subscribes again), long polling (the 503's Retry-After, then the same since); the
// WebSocket and MQTT consoles, the legacy graphql-ws client and SSE's fetch client say so and come
// back at one click. In Russian; the English strings are checked by the unit tests of
// web/editors/socket-io/server-going-away.test.ts and web/editors/graphql/server-restart.test.ts.

const lab = useRestartLab('console-restart');

const RESTARTING = 'сервер остановлен или перезапускается';

async function runHttpCell(page: Page, cellId: string, text: string): Promise<void> {
  await setEditorText(page, cellId, text);
  await cell(page, cellId).locator('[data-testid="cell-run"]').click();
  await expect.poll(() => textNow(cell(page, cellId).locator('[data-testid="response-status"]')), LIVE).toMatch(/201/);
}

describe('the lesson consoles across a restart of the server', () => {
  // Eight pages around one restart: at CI's load the steps take several times longer than here (35 s at load 6).
  it('every live console says the server is restarting, and comes back by itself or at one click', async () => {
    const options = lab.sameServerOptions();
    const server = await lab.start(options);
    const { origin } = server;

    const chatPage = await openPage(lab.browser, { locale: 'ru-RU' });
    await chatPage.goto(`${origin}/ru/socket-io`);
    const chat = cell(chatPage, 'lobby');
    await chat.locator('[data-testid="sio-connect"]').click();
    await expect.poll(() => attributeNow(chat.locator('[data-testid="sio-transport"]'), 'data-transport'), LIVE).toBe('websocket');

    const ssePage = await chatPage.context().newPage();
    await ssePage.goto(`${origin}/ru/server-sent-events`);
    const stream = cell(ssePage, 'events');
    await stream.locator('[data-testid="sse-connect"]').click();
    await expect.poll(() => attributeNow(stream.locator('[data-testid="sse-state"]'), 'data-state'), LIVE).toBe('connected');

    const graphqlPage = await chatPage.context().newPage();
    await graphqlPage.goto(`${origin}/ru/graphql`);
    const subscription = cell(graphqlPage, 'post-added');
    await subscription.scrollIntoViewIfNeeded();
    await subscription.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    const subscribed = once(server.app.graphqlSubscriptions, 'started');
    await subscription.locator('[data-testid="cell-run"]').click();
    await subscribed;
    const panel = subscription.locator('[data-testid="graphql-subscription"]');

    // The legacy subprotocol's client does not resubscribe by itself: its panel asks for one click.
    const legacyPage = await chatPage.context().newPage();
    await legacyPage.goto(`${origin}/ru/graphql`);
    const legacy = cell(legacyPage, 'post-added');
    await legacy.scrollIntoViewIfNeeded();
    await legacy.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    await legacy.locator('[data-testid="graphql-protocol"]').selectOption('graphql-ws');
    const legacySubscribed = once(server.app.graphqlSubscriptions, 'started');
    await legacy.locator('[data-testid="cell-run"]').click();
    await legacySubscribed;
    const legacyPanel = legacy.locator('[data-testid="graphql-subscription"]');

    // SSE's fetch client does not reconnect by itself either: it names the button that resumes.
    const fetchPage = await chatPage.context().newPage();
    await fetchPage.goto(`${origin}/ru/server-sent-events`);
    const fetched = cell(fetchPage, 'events');
    await fetched.locator('[data-testid="sse-client"]').selectOption('fetch');
    await fetched.locator('[data-testid="sse-connect"]').click();
    await expect.poll(() => attributeNow(fetched.locator('[data-testid="sse-state"]'), 'data-state'), LIVE).toBe('connected');
    // an event with an id before the stop, so that there is a Last-Event-ID to resume from
    await runHttpCell(
      fetchPage,
      'create-user',
      `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'До перезапуска', email: `before-${Date.now()}@example.com` })}\n`,
    );
    await fetched.locator('[data-testid="rt-log-entry"][data-event="user.created"]').waitFor(LIVE);

    const echoPage = await chatPage.context().newPage();
    await echoPage.goto(`${origin}/ru/websockets`);
    const echo = cell(echoPage, 'echo');
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');

    const pollPage = await chatPage.context().newPage();
    await pollPage.goto(`${origin}/ru/long-polling`);
    const poll = cell(pollPage, 'poll');
    // The longest hold (30 s, not 10): the stop below must find the poll held by the server. A stop
    // between two polls (the 204 of one, the next not yet there) refuses the next one's connection,
    // and the console says "failed", not 503 (run 14 of 28 Nov, tests/README.md).
    await poll.locator('[data-testid="poll-hold"]').fill('30');
    await poll.locator('[data-testid="poll-start"]').click();
    await poll.locator('[data-testid="poll-row"][data-outcome="waiting"]').waitFor(LIVE);

    const mqttPage = await chatPage.context().newPage();
    await mqttPage.goto(`${origin}/ru/mqtt`);
    const dashboard = cell(mqttPage, 'dashboard');
    await dashboard.locator('[data-testid="mqtt-connect"]').click();
    await expect.poll(() => attributeNow(dashboard.locator('[data-testid="mqtt-state"]'), 'data-state'), LIVE).toBe('connected');

    // Ctrl-C, while the poll is held.
    await expect.poll(() => server.app.heldPolls(), LIVE).toBe(1);
    const port = await lab.stop();

    // Socket.IO: the WebSocket's 1001 with its reason, worded as the server going away, as information.
    const gone = chat.locator('[data-testid="rt-log-entry"][data-event="disconnect"]').last();
    await expect.poll(() => attributeNow(gone, 'data-server-away'), LIVE).toBe('websocket');
    expect(await gone.getAttribute('data-kind')).toBe('info');
    expect(await gone.textContent()).toContain(`Отключено: ${RESTARTING} (WebSocket закрыт с кодом 1001, причина «server shutting down / сервер выключается»)`);
    expect(await chat.locator('[data-testid="sio-state"]').getAttribute('data-state')).toBe('reconnecting');

    // SSE: the server.shutdown event as it came, then the stream's end said as the server going away.
    await stream.locator('[data-testid="rt-log-entry"][data-event="server.shutdown"]').waitFor(LIVE);
    const streamGone = stream.locator('[data-testid="rt-log-entry"][data-event="server-away"]');
    await streamGone.waitFor(LIVE);
    expect(await streamGone.getAttribute('data-kind')).toBe('info');
    expect(await streamGone.textContent()).toContain('Сервер остановлен или перезапускается');
    expect(await stream.locator('[data-testid="rt-log-entry"][data-event="lost"]').count()).toBe(0);

    // GraphQL: the subscription waits for the server, and says why.
    await expect.poll(() => attributeNow(panel, 'data-status'), LIVE).toBe('restarting');
    expect(await textNow(subscription.locator('[data-testid="graphql-subscription-note"]'))).toContain(
      'Сервер остановлен или перезапускается (WebSocket закрыт с кодом 1001, причина «server shutting down / сервер выключается»); переподключаемся…',
    );

    await expect.poll(() => attributeNow(legacyPanel, 'data-status'), LIVE).toBe('ended');
    expect(await legacyPanel.getAttribute('data-server-away')).toBe('true');
    expect(await textNow(legacy.locator('[data-testid="graphql-subscription-note"]'))).toContain(
      'Этот клиент сам заново не подписывается: когда сервер вернётся, нажмите «Подписаться».',
    );

    const fetchGone = fetched.locator('[data-testid="rt-log-entry"][data-event="server-away"]');
    await fetchGone.waitFor(LIVE);
    expect(await fetchGone.getAttribute('data-kind')).toBe('info');
    expect(await fetchGone.textContent()).toMatch(
      /Клиент на fetch сам не переподключается: когда сервер вернётся, нажмите «Переподключиться с Last-Event-ID: \d+»/,
    );
    expect(await fetched.locator('[data-testid="sse-state"]').getAttribute('data-state')).toBe('closed');

    // WebSocket: the close row is the server's 1001 and its reason, said as the server restarting.
    const echoClosed = echo.locator('[data-testid="rt-log-entry"][data-event="close"]');
    await expect.poll(() => attributeNow(echoClosed, 'data-server-away'), LIVE).toBe('true');
    expect(await echoClosed.getAttribute('data-kind')).toBe('info');
    expect(await echoClosed.textContent()).toContain('Сервер остановлен или перезапускается: когда он вернётся, нажмите «Подключиться».');

    // MQTT over WebSocket: the broker's WebSocket 1001, said as the server restarting, not as a lost connection.
    const mqttClosed = dashboard.locator('[data-testid="rt-log-entry"][data-event="close"]');
    await expect.poll(() => attributeNow(mqttClosed, 'data-server-away'), LIVE).toBe('true');
    expect(await mqttClosed.getAttribute('data-kind')).toBe('info');
    expect(await mqttClosed.textContent()).toContain(
      'Сервер остановлен или перезапускается (WebSocket закрыт с кодом 1001): когда он вернётся, нажмите «Подключиться».',
    );

    // Long polling: the held poll's 503 says the loop asks again after Retry-After, and it keeps running.
    const away = poll.locator('[data-testid="poll-row"][data-outcome="server-away"]').first();
    await away.waitFor(LIVE);
    expect(await away.getAttribute('data-status')).toBe('503');
    expect(await away.textContent()).toContain(`503: ${RESTARTING} — спросим снова через 5 с (Retry-After), с тем же since`);
    expect(await poll.locator('[data-testid="poll-row"][data-outcome="failed"]').count()).toBe(0);

    // Started again on the same port: every console comes back by itself.
    const restarted = await lab.start(options, port);
    const resubscribed = once(restarted.app.graphqlSubscriptions, 'started');
    // socket.io-client's backoff: up to 5 s (±50 %) between attempts
    const AFTER_BACKOFF = { timeout: 30_000 };
    await expect.poll(() => attributeNow(chat.locator('[data-testid="sio-state"]'), 'data-state'), AFTER_BACKOFF).toBe('connected');
    await chat.locator('[data-testid="rt-log-entry"][data-event="reconnect"]').waitFor(LIVE);
    await chat.locator('[data-testid="sio-preset"]', { hasText: 'chat:join' }).click();
    await chat.locator('[data-testid="rt-log-entry"][data-event="ack"]').last().waitFor(LIVE);
    // Every error row of the log is from before the restart: none was written while the server was away.
    // compared as texts: a failure says which row it was
    expect(await chat.locator('[data-testid="rt-log-entry"][data-kind="error"]').allTextContents()).toEqual([]);

    // EventSource retries after the 5 s the server.shutdown event asked for.
    await expect.poll(() => attributeNow(stream.locator('[data-testid="sse-state"]'), 'data-state'), { timeout: 30_000 }).toBe('connected');
    await runHttpCell(
      ssePage,
      'create-user',
      `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Ада Лавлейс', email: `ada-${Date.now()}@example.com` })}\n`,
    );
    await expect.poll(() => textNow(stream.locator('[data-testid="rt-log-entry"][data-event="user.created"]').last()), LIVE).toContain('Ада Лавлейс');
    expect(await stream.locator('[data-testid="rt-log-entry"][data-kind="error"]').allTextContents()).toEqual([]);

    await resubscribed;
    await expect.poll(() => attributeNow(panel, 'data-status'), LIVE).toBe('active');
    expect(await panel.getAttribute('data-resumed')).toBe('1');
    expect(await textNow(subscription.locator('[data-testid="graphql-subscription-note"]'))).toContain('Сервер вернулся, подписка снова активна');
    await cell(graphqlPage, 'create-post-rest').locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(subscription.locator('[data-testid="graphql-event"]').first()), LIVE).toContain('Hello from REST');

    // One click each for the clients that do not come back by themselves.
    const legacyAgain = once(restarted.app.graphqlSubscriptions, 'started');
    await legacy.locator('[data-testid="cell-run"]').click();
    await legacyAgain;
    await expect.poll(() => attributeNow(legacyPanel, 'data-status'), LIVE).toBe('active');
    await fetched.locator('[data-testid="sse-resume"]').click();
    await expect.poll(() => attributeNow(fetched.locator('[data-testid="sse-state"]'), 'data-state'), LIVE).toBe('connected');

    // Long polling asks again with the same since once the server is back: a user created now comes in a 200.
    await poll.locator('[data-testid="poll-row"][data-outcome="waiting"]').waitFor({ timeout: 30_000 });
    await runHttpCell(
      pollPage,
      'create-user',
      `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Грейс Хоппер', email: `grace-${Date.now()}@example.com` })}\n`,
    );
    await poll.locator('[data-testid="poll-row"][data-status="200"]', { hasText: 'user.created' }).last().waitFor(LIVE);
    expect(await poll.locator('[data-testid="poll-row"][data-outcome="failed"]').count()).toBe(0);

    await dashboard.locator('[data-testid="mqtt-connect"]').click();
    await expect.poll(() => attributeNow(dashboard.locator('[data-testid="mqtt-state"]'), 'data-state'), LIVE).toBe('connected');

    // A raw WebSocket has no reconnecting client: one click.
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
    await releasePage(chatPage);
  }, 240_000);
});
