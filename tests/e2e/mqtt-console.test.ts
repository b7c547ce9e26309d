import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseStateNow, holdCaptureBack, LIVE, selectedMessage, textNow, valueNow } from './lesson-page.ts';

// The MQTT console (web/editors/mqtt/) in real Chromium: mqtt.js over the WebSocket at /mqtt,
// the embedded broker, the packets in the inspector, and lesson 12's exercises passing from the
// traffic the page really produced — in both languages.

const lab = useAppAndBrowser();

async function connect(console: Locator): Promise<void> {
  await console.locator('[data-testid="mqtt-connect"]').click();
  await expect.poll(() => attributeNow(console.locator('[data-testid="mqtt-state"]'), 'data-state'), LIVE).toBe('connected');
}

async function subscribe(console: Locator, filter: string): Promise<void> {
  await console.locator('[data-testid="mqtt-filter"]').fill(filter);
  await console.locator('[data-testid="mqtt-subscribe"]').click();
  await expect.poll(() => console.locator(`[data-testid="mqtt-subscriptions"] [data-filter="${filter}"]`).count(), LIVE).toBe(1);
}

function received(console: Locator, topic: string): Locator {
  return console.locator(`[data-testid="rt-log-entry"][data-kind="received"][data-packet="PUBLISH"][data-topic="${topic}"]`);
}

/** The MQTT packets of the inspector's timeline, as their summary lines. */
async function inspectorPackets(page: Page): Promise<string[]> {
  return page.locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="mqtt-packet"]').allTextContents();
}

// These flows read no text of the page: each runs once, the page's language alternating.
describe('the MQTT console', () => {
  it('connects, subscribes with a wildcard, publishes at QoS 2 and shows the four packets; the exercise passes', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/mqtt`);
    const dashboard = cell(page, 'dashboard');
    await connect(dashboard);
    // the CONNECT row links to the decoded CONNECT: its flags byte, clean session on
    await dashboard.locator('[data-testid="rt-log-entry"][data-kind="sent"][data-packet="CONNECT"] [data-testid="rt-log-link"]').click();
    await expect.poll(() => textNow(selectedMessage(page)), LIVE).toMatch(/CONNECT · MQTT 3\.1\.1 · client dashboard · clean 1/);
    await subscribe(dashboard, 'sensors/+/temp');
    // the starting publication: JSON on sensors/kitchen/temp at QoS 2
    await dashboard.locator('[data-testid="mqtt-publish"]').click();
    await expect.poll(() => received(dashboard, 'sensors/kitchen/temp').count(), LIVE).toBe(1);
    expect(await received(dashboard, 'sensors/kitchen/temp').textContent()).toContain('{ "celsius": 21.5 }');

    // both directions' handshakes: the client's PUBLISH → PUBREC, PUBREL → PUBCOMP, and the broker's delivery
    for (const type of ['PUBREC', 'PUBREL', 'PUBCOMP']) {
      await expect.poll(() => dashboard.locator(`[data-testid="rt-log-entry"][data-packet="${type}"]`).count(), LIVE).toBeGreaterThanOrEqual(2);
    }
    await expect.poll(() => exerciseStateNow(page, 'qos2-four-packets'), LIVE).toBe('passed');

    // the inspector decoded the same packets from the captured bytes
    await expect.poll(async () => (await inspectorPackets(page)).join('\n'), LIVE).toMatch(/PUBLISH · sensors\/kitchen\/temp · QoS 2 · id \d+/);
    const packets = (await inspectorPackets(page)).join('\n');
    for (const type of ['CONNECT', 'CONNACK', 'SUBSCRIBE', 'SUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP']) expect(packets).toContain(type);
    // a log row's link opens its packet in the inspector: the client's PUBREL for the broker's PUBREC
    await dashboard.locator('[data-testid="rt-log-entry"][data-kind="sent"][data-packet="PUBREL"]').first().locator('[data-testid="rt-log-link"]').click();
    await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), LIVE).toBe('mqtt-packet');
    expect(await selectedMessage(page).getAttribute('data-dir')).toBe('in');
    expect(await selectedMessage(page).textContent()).toMatch(/PUBREL · id \d+/);

    // the question about the remaining length, answered from the PUBLISH's bytes:
    // 2 + 20 (topic) + 2 (packet id) + 19 (payload) = 43
    const card = page.locator('[data-testid="exercise"][data-exercise-id="publish-remaining-length"]');
    await card.locator('[data-testid="exercise-answer"]').fill('43');
    await card.locator('[data-testid="exercise-submit"]').click();
    await expect.poll(() => exerciseStateNow(page, 'publish-remaining-length'), LIVE).toBe('passed');
    await releasePage(page);
  });

  it('gives a new subscriber the retained message, and publishes the will when the connection drops', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/mqtt`);
    // retained: publish first, subscribe afterwards
    const thermostat = cell(page, 'thermostat');
    await connect(thermostat);
    await thermostat.locator('[data-testid="mqtt-publish"]').click();
    await expect.poll(() => thermostat.locator('[data-testid="rt-log-entry"][data-packet="PUBACK"]').count(), LIVE).toBe(1);
    await subscribe(thermostat, 'sensors/#');
    await expect.poll(() => attributeNow(received(thermostat, 'sensors/hall/temp'), 'data-retain'), LIVE).toBe('true');
    await expect.poll(() => exerciseStateNow(page, 'retained-for-newcomer'), LIVE).toBe('passed');

    // the will: the sensor connects with one, a second console listens on status/#, the sensor drops
    const sensor = cell(page, 'sensor');
    // a one-second keep-alive: the idle client pings, the broker answers
    await sensor.locator('[data-testid="mqtt-keep-alive"]').fill('1');
    await connect(sensor);
    await expect.poll(() => sensor.locator('[data-testid="rt-log-entry"][data-kind="sent"][data-packet="PINGREQ"]').count(), LIVE).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => sensor.locator('[data-testid="rt-log-entry"][data-kind="received"][data-packet="PINGRESP"]').count(), LIVE)
      .toBeGreaterThanOrEqual(1);
    await subscribe(thermostat, 'status/#');
    await sensor.locator('[data-testid="mqtt-drop"]').click();
    await expect.poll(() => attributeNow(sensor.locator('[data-testid="mqtt-state"]'), 'data-state'), LIVE).toBe('CLOSED');
    await expect.poll(() => received(thermostat, 'status/sensor-7').count(), LIVE).toBe(1);
    expect(await received(thermostat, 'status/sensor-7').textContent()).toContain('offline');
    await expect.poll(() => exerciseStateNow(page, 'will-fires'), LIVE).toBe('passed');
    // no DISCONNECT left the sensor: the broker saw a lost connection
    expect(await sensor.locator('[data-testid="rt-log-entry"][data-packet="DISCONNECT"]').count()).toBe(0);
    await releasePage(page);
  });

  it('keeps a persistent session’s messages while it is offline, and delivers a domain event to a wildcard subscription', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/mqtt`);
    const worker = cell(page, 'worker');
    await connect(worker);
    await subscribe(worker, 'orders/#');
    await worker.locator('[data-testid="mqtt-disconnect"]').click();
    await expect.poll(() => attributeNow(worker.locator('[data-testid="mqtt-state"]'), 'data-state'), LIVE).toBe('CLOSED');
    expect(await worker.locator('[data-testid="rt-log-entry"][data-packet="DISCONNECT"]').count()).toBe(1);

    // published while the worker is away, from another console
    const dashboard = cell(page, 'dashboard');
    await connect(dashboard);
    await dashboard.locator('[data-testid="mqtt-topic"]').fill('orders/42');
    await dashboard.locator('[data-testid="mqtt-publish-qos"]').selectOption('1');
    await dashboard.locator('[data-testid="mqtt-publish"]').click();
    await expect.poll(() => dashboard.locator('[data-testid="rt-log-entry"][data-packet="PUBACK"]').count(), LIVE).toBe(1);

    await connect(worker);
    await expect.poll(() => received(worker, 'orders/42').count(), LIVE).toBe(1);
    expect(await received(worker, 'orders/42').textContent()).toContain('{ "celsius": 21.5 }');
    expect(await worker.locator('[data-testid="rt-log-entry"][data-packet="CONNACK"]').last().textContent()).toContain('session present 1');
    await expect.poll(() => exerciseStateNow(page, 'offline-session'), LIVE).toBe('passed');

    // a user created over REST reaches an MQTT subscription with a wildcard
    const events = cell(page, 'events');
    await connect(events);
    await subscribe(events, 'events/user/+');
    await cell(page, 'create-user').locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell(page, 'create-user').locator('[data-testid="response-status"]')), LIVE).toMatch(/201/);
    await expect.poll(() => received(events, 'events/user/created').count(), LIVE).toBe(1);
    expect(await received(events, 'events/user/created').textContent()).toContain('mira.broker@example.com');
    await expect.poll(() => exerciseStateNow(page, 'domain-event-by-wildcard'), LIVE).toBe('passed');
    await releasePage(page);
  });

  it('finds a packet’s bytes that reached the page later than its first wait, clicked 8 s after Connect', async () => {
    // The capture channel held back 6 s (holdCaptureBack): the WebSocket's handshake was looked
    // for once, 5 s after Connect, and every packet of the connection said "not captured" for
    // good. A student on a loaded laptop clicks a packet 8 s after connecting: its bytes are there.
    const page = await openPage(lab.browser);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/en/mqtt`);
    const dashboard = cell(page, 'dashboard');
    const connected = Date.now();
    await connect(dashboard);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, connected + 8_000 - Date.now())));
    await dashboard.locator('[data-testid="rt-log-entry"][data-kind="sent"][data-packet="CONNECT"] [data-testid="rt-log-link"]').click();
    await expect.poll(() => textNow(selectedMessage(page)), LIVE).toMatch(/CONNECT · MQTT 3\.1\.1 · client dashboard/);
    expect(await selectedMessage(page).getAttribute('data-dir')).toBe('in');
    await releasePage(page);
  });
});

describe.each(['en', 'ru'] as const)('the MQTT console in %s', (lang) => {
  it('refuses bad input with a clear message, in the page’s language, and keeps a draft across a reload', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/mqtt`);
    const events = cell(page, 'events');
    await connect(events);
    await events.locator('[data-testid="mqtt-filter"]').fill('events/#/created');
    await events.locator('[data-testid="mqtt-subscribe"]').click();
    await expect
      .poll(() => textNow(events.locator('[data-testid="mqtt-subscribe-error"]')), LIVE)
      .toMatch(lang === 'ru' ? /последним уровнем/ : /must be the last level/);
    await events.locator('[data-testid="mqtt-format-hex"]').check();
    await events.locator('[data-testid="mqtt-payload"]').fill('01 zz');
    await events.locator('[data-testid="mqtt-publish"]').click();
    await expect
      .poll(() => textNow(events.locator('[data-testid="mqtt-publish-error"]')), LIVE)
      .toMatch(lang === 'ru' ? /не шестнадцатеричная цифра/ : /not a hex digit/);
    await events.locator('[data-testid="mqtt-format-json"]').check();
    await events.locator('[data-testid="mqtt-payload"]').fill('{"a": }');
    await events.locator('[data-testid="mqtt-publish"]').click();
    await expect.poll(() => textNow(events.locator('[data-testid="mqtt-publish-error"]')), LIVE).toMatch(lang === 'ru' ? /Это не JSON/ : /Not JSON/);
    // bytes in hex reach the broker as they are
    await events.locator('[data-testid="mqtt-format-hex"]').check();
    await events.locator('[data-testid="mqtt-payload"]').fill('00 ff 10');
    await events.locator('[data-testid="mqtt-topic"]').fill('raw/bytes');
    await subscribe(events, 'raw/+');
    await events.locator('[data-testid="mqtt-publish"]').click();
    await expect.poll(() => textNow(received(events, 'raw/bytes')), LIVE).toContain('00 ff 10');
    expect(await events.locator('[data-testid="mqtt-state"]').getAttribute('data-state')).toBe('connected');

    await page.reload();
    const again = cell(page, 'events');
    await expect.poll(() => valueNow(again.locator('[data-testid="mqtt-topic"]')), LIVE).toBe('raw/bytes');
    expect(await again.locator('[data-testid="mqtt-payload"]').inputValue()).toBe('00 ff 10');
    await again.locator('[data-testid="mqtt-reset"]').click();
    expect(await again.locator('[data-testid="mqtt-topic"]').inputValue()).toBe('notes/hello');
    await releasePage(page);
  });
});
