import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { LIVE, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();

/**
 * What a page of another origin tries against Wirelab with the student's cookie: the capture
 * channel (a WebSocket, which CORS does not guard), the session endpoint, Engine.IO polling, SSE.
 * Each attempt reports what it could read.
 */
const ATTACK = `<!doctype html><meta charset="utf-8"><title>elsewhere</title><script>
const target = new URL(location.search.slice(1));
const results = {};
window.results = results;
const ws = new WebSocket(target.origin.replace('http', 'ws') + '/_wirelab/tap');
results.tap = { opened: false, messages: [], closed: null };
ws.onopen = () => (results.tap.opened = true);
ws.onmessage = (event) => results.tap.messages.push(typeof event.data === 'string' ? event.data : '(binary)');
ws.onclose = (event) => (results.tap.closed = event.code);
const read = (path, init = {}) =>
  fetch(target.origin + path, { credentials: 'include', ...init }).then((r) => r.text()).then((text) => 'read: ' + text, (error) => 'refused: ' + error.name);
Promise.all([read('/_wirelab/session'), read('/socket.io/?EIO=4&transport=polling'), read('/api/v1/poll?since=0&timeout=1')]).then(
  ([session, polling, poll]) => Object.assign(results, { session, polling, poll }),
);
const events = new EventSource(target.origin + '/api/v1/events', { withCredentials: true });
results.sse = 'pending';
events.onopen = () => (results.sse = 'open');
events.onerror = () => {
  if (results.sse === 'pending') results.sse = 'error';
  events.close();
};
</script>`;

let elsewhere: http.Server;
let elsewhereOrigin = '';
beforeAll(async () => {
  elsewhere = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ATTACK));
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereOrigin = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => elsewhere?.close(resolve));
});

describe('a page of another origin on the same host', () => {
  it('cannot read a student’s capture channel, session or streams, while the student’s own page can', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/rest`);
    await page.locator('.cell-slot [data-testid="cell"]').first().scrollIntoViewIfNeeded({ timeout: 20_000 });
    await page.locator('.monaco-editor').first().waitFor({ timeout: 20_000 });
    const cookies = await page.context().cookies(lab.server.origin);
    const session = cookies.find((c) => c.name === 'wirelab_session')?.value;
    expect(session).toBeTruthy();

    // Same host, another port: the same site, so Chromium sends the SameSite=Lax cookie along.
    const attacker = await page.context().newPage();
    await attacker.goto(`${elsewhereOrigin}/?${lab.server.origin}`);
    await expect
      .poll(() => attacker.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results.session), { timeout: 10_000 })
      .toBeTruthy();
    // settled: refused (closed), or (without the Origin check) reading the student's captures
    const tapSettled = () =>
      attacker.evaluate(() => {
        const tap = (window as unknown as { results: { tap: { closed: number | null; messages: string[] } } }).results.tap;
        return tap.closed !== null || tap.messages.length > 0;
      });
    await expect.poll(tapSettled, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => attacker.evaluate(() => (window as unknown as { results: { sse: string } }).results.sse), { timeout: 10_000 }).not.toBe('pending');
    const results = await attacker.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    expect(results.tap).toEqual({ opened: false, messages: [], closed: 1006 });
    expect(results.session).toBe('refused: TypeError');
    expect(results.polling).toBe('refused: TypeError');
    expect(results.poll).toBe('refused: TypeError');
    expect(results.sse).toBe('error');
    expect(JSON.stringify(results)).not.toContain(session!);

    // The student's own page still gets its captures.
    const own = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/_wirelab/tap`);
          ws.onmessage = (event) => {
            if (typeof event.data === 'string') resolve(JSON.parse(event.data).type);
            ws.close();
          };
          ws.onclose = (event) => resolve(`closed ${event.code}`);
        }),
    );
    expect(own).toBe('hello');
    await releasePage(page);
  });
});

describe('copy as curl', () => {
  it('hands out a curl token of the session, never the session id', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: lab.server.origin });
    const page = await context.newPage();
    await page.goto(`${lab.server.origin}/en/rest`);
    await page.locator('[data-testid="copy-curl"]').first().click();
    await expect.poll(() => textNow(page.locator('[data-testid="copy-curl"]').first()), LIVE).toMatch(/Copied/);
    const command = await page.evaluate(() => navigator.clipboard.readText());
    const session = (await context.cookies(lab.server.origin)).find((c) => c.name === 'wirelab_session')?.value;
    expect(session).toBeTruthy();
    expect(command).toMatch(/x-wirelab-sandbox: curl\.[A-Za-z0-9_-]{64}'/);
    expect(command).not.toContain(session!);
    await context.close();
  });
});
