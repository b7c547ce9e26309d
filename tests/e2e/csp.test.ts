import type { ConsoleMessage, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, editorText, inspectorShowsNow, LIVE, selectedMessage, setEditorText, textNow, valueNow } from './lesson-page.ts';

// The app under its own Content-Security-Policy in real Chromium: every kind of cell runs, Monaco's
// editors and workers work, and the browser reports no violation. The policy must really be on the
// page (else "no violation" proves nothing), and a forbidden eval must be caught by the same watch.

const lab = useAppAndBrowser();

interface Watched {
  page: Page;
  /** Violations the page's document reported, and console lines (page or worker) naming the policy. */
  violations(): Promise<string[]>;
}

async function watchedPage(): Promise<Watched> {
  const page = await openPage(lab.browser);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} ${event.sample}`.trim());
    });
  });
  const consoleLines: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (/Content.Security.Policy/i.test(message.text())) consoleLines.push(message.text());
  };
  page.on('console', onConsole);
  page.on('worker', (worker) => worker.on('console', onConsole));
  return {
    page,
    violations: async () => [...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)), ...consoleLines],
  };
}

async function open(page: Page, path: string): Promise<void> {
  const response = await page.goto(`${lab.server.origin}${path}`);
  // Without the policy on the page, "no violation" below would be true of any page.
  expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
}

async function run(page: Page, id: string): Promise<Locator> {
  const target = cell(page, id);
  await target.locator('[data-testid="cell-run"]').click();
  return target;
}

describe('the app under its Content-Security-Policy', () => {
  it('the watch sees a violation: an injected inline script is refused and reported', async () => {
    const { page, violations } = await watchedPage();
    await open(page, '/en/rest');
    // What a stored XSS would do; the page's script-src 'self' must stop it.
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injectedRan = true;';
      document.head.append(script);
      return (window as unknown as { __injectedRan?: boolean }).__injectedRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(violations, LIVE).toEqual(expect.arrayContaining([expect.stringMatching(/^script-src-elem blocked inline/)]));
    await releasePage(page);
  });

  it('gRPC: typing into Monaco changes the request, the call runs, the JSON worker starts, the inspector decodes it', async () => {
    const { page, violations } = await watchedPage();
    await open(page, '/en/grpc');
    const getUser = cell(page, 'get-user');
    await getUser.scrollIntoViewIfNeeded();
    const editor = getUser.locator('.monaco-editor');
    await editor.waitFor(LIVE);
    // Real keystrokes in the editor: id 1 becomes id 2.
    await editor.locator('.view-line', { hasText: '"id"' }).click();
    await getUser.locator('.monaco-editor.focused').waitFor(LIVE);
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('2');
    await expect.poll(() => editorText(page, 'get-user')).toMatch(/"id":\s*2\b/);

    await run(page, 'get-user');
    await expect.poll(() => textNow(getUser.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    expect(await getUser.locator('[data-testid="grpc-message"]').first().textContent()).toContain('Alan Turing');
    // Monaco's workers are our own files, started under worker-src 'self'.
    await expect
      .poll(
        () =>
          page
            .workers()
            .map((worker) => worker.url())
            .join(' '),
        LIVE,
      )
      .toMatch(/\/assets\/json\.worker-[\w-]+\.js/);

    const grpcWeb = await run(page, 'get-user-grpc-web');
    await expect.poll(() => textNow(grpcWeb.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    await grpcWeb.locator('[data-testid="grpc-show-bytes"]').click();
    const response = page.locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="grpc-message"][data-dir="out"]');
    await expect.poll(() => textNow(response.first()), LIVE).toMatch(/GetUserResponse/);
    await response.first().click();
    await expect.poll(() => page.locator('[data-testid="inspector"] [data-testid="insp-tree-node"]').count(), LIVE).toBeGreaterThan(0);

    expect(await violations()).toEqual([]);
    await releasePage(page);
  });

  it('GraphQL: the editor and its schema load, a query runs', async () => {
    const { page, violations } = await watchedPage();
    await open(page, '/en/graphql');
    const first = cell(page, 'first-query');
    await first.scrollIntoViewIfNeeded();
    await first.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    await run(page, 'first-query');
    await expect.poll(() => textNow(first.locator('[data-testid="graphql-data"]')), LIVE).toContain('Ada Lovelace');
    expect(await violations()).toEqual([]);
    await releasePage(page);
  });

  it('REST and SSE: a POST from the HTTP editor reaches the open event stream, and the inspector shows the event', async () => {
    const { page, violations } = await watchedPage();
    await open(page, '/en/server-sent-events');
    const events = cell(page, 'events');
    await events.locator('[data-testid="sse-connect"]').click();
    await expect.poll(() => attributeNow(events.locator('[data-testid="sse-state"]'), 'data-state'), LIVE).toBe('connected');

    await setEditorText(
      page,
      'create-user',
      `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Grace Hopper', email: `grace-${Date.now()}@example.com` })}\n`,
    );
    await run(page, 'create-user');
    await expect.poll(() => textNow(cell(page, 'create-user').locator('[data-testid="response-status"]')), LIVE).toMatch(/201/);
    const created = events.locator('[data-testid="rt-log-entry"][data-event="user.created"]');
    await created.waitFor(LIVE);
    await created.locator('[data-testid="rt-log-link"]').click();
    await expect.poll(() => inspectorShowsNow(page), LIVE).toBe('sse-event');
    expect(await violations()).toEqual([]);
    await releasePage(page);
  });

  it("WebSocket and Socket.IO: connect-src 'self' lets ws: to the same host through", async () => {
    const { page, violations } = await watchedPage();
    await open(page, '/en/websockets');
    const echo = cell(page, 'echo');
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
    await echo.locator('[data-testid="ws-message"]').fill('hello');
    await echo.locator('[data-testid="ws-send"]').click();
    await expect.poll(() => textNow(echo.locator('[data-testid="rt-log-entry"][data-kind="received"]').first()), LIVE).toContain('hello');
    await echo.locator('[data-testid="rt-log-entry"][data-kind="sent"]').first().locator('[data-testid="rt-log-link"]').click();
    await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), LIVE).toBe('ws-frame');
    expect(await violations()).toEqual([]);

    await open(page, '/en/socket-io');
    const lobby = cell(page, 'lobby');
    await lobby.locator('[data-testid="sio-connect"]').click();
    await expect.poll(() => attributeNow(lobby.locator('[data-testid="sio-state"]'), 'data-state'), LIVE).toBe('connected');
    await expect.poll(() => attributeNow(lobby.locator('[data-testid="sio-transport"]'), 'data-transport'), LIVE).toBe('websocket');
    await lobby.locator('[data-testid="sio-preset"]', { hasText: 'chat:join' }).click();
    await lobby.locator('[data-testid="rt-log-entry"][data-event="ack"]').waitFor(LIVE);
    expect(await violations()).toEqual([]);
    await releasePage(page);
  });

  it('MQTT: mqtt.js, bundled, connects to /mqtt under the policy and publishes at QoS 2', async () => {
    const { page, violations } = await watchedPage();
    await open(page, '/en/mqtt');
    const dashboard = cell(page, 'dashboard');
    await dashboard.locator('[data-testid="mqtt-connect"]').click();
    await expect.poll(() => attributeNow(dashboard.locator('[data-testid="mqtt-state"]'), 'data-state'), LIVE).toBe('connected');
    await dashboard.locator('[data-testid="mqtt-publish"]').click();
    await expect.poll(() => dashboard.locator('[data-testid="rt-log-entry"][data-packet="PUBCOMP"]').count(), LIVE).toBe(1);
    expect(await violations()).toEqual([]);
    await releasePage(page);
  });

  it('the protobuf workbench: an edit in its Monaco editor re-encodes the bytes', async () => {
    const { page, violations } = await watchedPage();
    await open(page, '/ru/protocol-buffers');
    const workbench = page.locator('[data-testid="cell"][data-kind="protobuf"][data-cell-id="varint-150"]');
    await workbench.scrollIntoViewIfNeeded();
    const editor = workbench.locator('[data-testid="pbw-json"] .monaco-editor');
    await editor.waitFor(LIVE);
    await expect.poll(() => valueNow(workbench.locator('[data-testid="pbw-hex"]')), LIVE).toBe('08 96 01');
    await editor.locator('.view-line', { hasText: '150' }).click();
    await workbench.locator('[data-testid="pbw-json"] .monaco-editor.focused').waitFor(LIVE);
    await page.keyboard.press('End');
    for (let index = 0; index < 3; index += 1) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.insertText('300');
    await expect.poll(() => valueNow(workbench.locator('[data-testid="pbw-hex"]')), LIVE).toBe('08 ac 02');
    expect(await violations()).toEqual([]);
    await releasePage(page);
  });
});
