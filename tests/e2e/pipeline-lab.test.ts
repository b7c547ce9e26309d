import type { Locator, Page } from 'playwright-core';
import { describe, type ExpectStatic, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseState, exerciseStateNow, holdCaptureBack, LIVE, selectedExchange, textNow, valueNow } from './lesson-page.ts';

// The pipeline lab of lesson 13 in real Chromium, in both languages: the worker stopped, the
// direct call failing with 503, orders published to the broker meanwhile, the worker restarted
// and its backlog drained — and the exercises passing on the captured REST and MQTT traffic.

const lab = useAppAndBrowser();

function consumerRow(scope: Locator, name: string): Locator {
  return scope.locator(`[data-testid="pipeline-consumer"][data-name="${name}"]`);
}

interface BrokerClientView {
  connected: boolean;
  clean: boolean;
  subscriptions: Record<string, { qos: number }>;
}

/**
 * What the broker holds for the notifier's session, said when a drain check fails: whether its
 * connection is there and subscribed, and which messages still wait in its queue (with their
 * packet ids once sent), and the lab's state as the server reads it now. The page's figures alone
 * cannot tell a lost PUBACK from an undelivered order, nor a page that shows an old state.
 */
async function brokerViewOfNotifier(page: Page): Promise<string> {
  const session = (await page.context().cookies(lab.server.origin)).find((cookie) => cookie.name === 'wirelab_session')?.value;
  const clientId = `${session}/pipeline/notifier`;
  const broker = lab.server.app.mqttBroker as unknown as {
    clients: Record<string, BrokerClientView | undefined>;
    persistence: { outgoingStream(client: { id: string }): AsyncIterable<{ messageId?: number; topic: string }> };
  };
  const client = broker.clients[clientId];
  const queued: string[] = [];
  for await (const packet of broker.persistence.outgoingStream({ id: clientId })) queued.push(`${packet.topic}#${packet.messageId ?? '-'}`);
  const row = await consumerRow(cell(page, 'two-ways'), 'notifier').evaluate((element) =>
    [...element.attributes].map((attribute) => `${attribute.name}=${attribute.value}`).join(' '),
  );
  const connection = client ? `connected ${client.connected}, clean ${client.clean}, subscribed to ${JSON.stringify(client.subscriptions)}` : 'no connection';
  // The lab as the server reads it now: a page's row that differs from it is the page's to explain.
  const answer = await page.request.get(`${lab.server.origin}/api/v1/pipeline`);
  const state = (await answer.json().catch(() => null)) as { revision?: number; consumers?: Record<string, unknown> } | null;
  const onServer = `${answer.status()} revision ${state?.revision}, ${JSON.stringify(state?.consumers?.notifier ?? null)}`;
  return `the broker: ${connection}; queued ${queued.length}: ${queued.join(', ')}; the lab on the server: ${onServer}; the page's row: ${row}`;
}

/** Runs the checks; a failure says what the broker held for the notifier at that moment. */
async function sayingTheBrokersView(page: Page, checks: () => Promise<void>): Promise<void> {
  try {
    await checks();
  } catch (error) {
    if (error instanceof Error) error.message += `\n${await brokerViewOfNotifier(page)}`;
    throw error;
  }
}

async function openLesson(expect: ExpectStatic, page: Page, lang: 'en' | 'ru'): Promise<Locator> {
  await page.goto(`${lab.server.origin}/${lang}/message-queues`);
  const twoWays = cell(page, 'two-ways');
  await expect.poll(() => attributeNow(twoWays.locator('[data-testid="pipeline-lab-state"]'), 'data-state'), LIVE).toBe('connected');
  await expect.poll(() => attributeNow(twoWays.locator('[data-testid="pipeline-broker-state"]'), 'data-state'), LIVE).toBe('connected');
  await expect.poll(() => attributeNow(consumerRow(twoWays, 'notifier'), 'data-running'), LIVE).toBe('true');
  return twoWays;
}

const TEXTS = {
  en: { heading: 'Message queues vs direct calls', call: 'Call the worker', failed: /503 after \d+ ms, Retry-After: 5 s: The notification worker is stopped/ },
  ru: { heading: 'Очереди сообщений и прямые вызовы', call: 'Вызвать сервис', failed: /503 через \d+ мс, Retry-After: 5 с: Сервис уведомлений остановлен/ },
} as const;

// Each test has a browser profile of its own, so a session and a lab of its own (the server keeps
// one per sandbox), and mostly waits: on the broker, a capture held back. They run two at a time
// (vitest.config.ts) but the two that look within a fixed time of an event.
describe.concurrent('lesson 13’s pipeline lab', () => {
  describe.each(['en', 'ru'] as const)('the pipeline lab (%s)', (lang) => {
    it('stop the worker: the REST call fails with 503; publish meanwhile; restart: the backlog drains and nothing is lost', async ({ expect }) => {
      const page = await openPage(lab.browser);
      const twoWays = await openLesson(expect, page, lang);
      expect(await page.locator('h1').first().textContent()).toContain(TEXTS[lang].heading);
      const notifier = consumerRow(twoWays, 'notifier');

      await notifier.locator('[data-testid="pipeline-toggle"]').click();
      await expect.poll(() => attributeNow(notifier, 'data-running'), LIVE).toBe('false');

      const call = twoWays.locator('[data-testid="pipeline-call"]');
      expect(await call.textContent()).toBe(TEXTS[lang].call);
      await call.click();
      const failed = twoWays.locator('[data-testid="rt-log-entry"][data-event="rest-failed"]');
      await expect.poll(() => attributeNow(failed.first(), 'data-status'), LIVE).toBe('503');
      expect(await failed.first().textContent()).toMatch(TEXTS[lang].failed);
      await expect.poll(() => exerciseStateNow(page, 'direct-call-503'), LIVE).toBe('passed');

      // Three orders while the worker is down: each acknowledged by the broker at once, each waiting.
      const publish = twoWays.locator('[data-testid="pipeline-publish"]');
      for (let i = 0; i < 3; i++) await publish.click();
      await expect.poll(() => twoWays.locator('[data-testid="rt-log-entry"][data-event="puback"]').count(), LIVE).toBe(3);
      await sayingTheBrokersView(page, () => expect.poll(() => attributeNow(notifier, 'data-backlog'), LIVE).toBe('3'));
      expect(await exerciseState(page, 'nothing-lost')).not.toBe('passed');

      await notifier.locator('[data-testid="pipeline-toggle"]').click();
      await sayingTheBrokersView(page, async () => {
        await expect.poll(() => attributeNow(notifier, 'data-backlog'), LIVE).toBe('0');
        await expect.poll(() => attributeNow(notifier, 'data-processed'), LIVE).toBe('3');
        await expect.poll(() => twoWays.locator('[data-testid="pipeline-notification"][data-by="notifier"]').count(), LIVE).toBe(3);
      });
      // Checked on the worker's own PUBLISH packets, captured on its TCP connection to the broker.
      await expect.poll(() => exerciseStateNow(page, 'nothing-lost'), LIVE).toBe('passed');
      await releasePage(page);
    });
  });

  describe("the lab's state from its event stream and from an answer", () => {
    it("an answer to a restart that reaches the page after the stream's newer state does not roll the row back", async ({ expect }) => {
      const page = await openPage(lab.browser);
      const twoWays = await openLesson(expect, page, 'en');
      const notifier = consumerRow(twoWays, 'notifier');
      const answers = twoWays.locator('[data-testid="rt-log-entry"][data-event="consumer-changed"]');
      await notifier.locator('[data-testid="pipeline-toggle"]').click();
      await expect.poll(() => attributeNow(notifier, 'data-running'), LIVE).toBe('false');
      await expect.poll(() => answers.count(), LIVE).toBe(1);
      const publish = twoWays.locator('[data-testid="pipeline-publish"]');
      for (let i = 0; i < 3; i++) await publish.click();
      await expect.poll(() => attributeNow(notifier, 'data-backlog'), LIVE).toBe('3');

      // The restart's answer carries the state when the server answered (running, backlog 3, processed 0).
      // A loaded browser may hand it to the page after the event stream's later states: held back here
      // until the stream has shown the backlog drained, it must not put the row back.
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route('**/api/v1/pipeline/consumers/notifier', async (route) => {
        const response = await route.fetch();
        await released;
        await route.fulfill({ response });
      });
      await notifier.locator('[data-testid="pipeline-toggle"]').click();
      await sayingTheBrokersView(page, async () => {
        await expect.poll(() => attributeNow(notifier, 'data-processed'), LIVE).toBe('3');
        await expect.poll(() => attributeNow(notifier, 'data-backlog'), LIVE).toBe('0');
      });
      release();
      await expect.poll(() => answers.count(), LIVE).toBe(2);
      // The answer's log line and what the page did with its state are one render.
      expect(await attributeNow(notifier, 'data-processed')).toBe('3');
      expect(await attributeNow(notifier, 'data-backlog')).toBe('0');
      expect(await attributeNow(notifier, 'data-running')).toBe('true');
      await releasePage(page);
    });
  });

  describe.each(['en', 'ru'] as const)('a notifier that lost its connection (%s)', (lang) => {
    it('comes back by itself, and the page says so', async ({ expect }) => {
      const page = await openPage(lab.browser);
      const twoWays = await openLesson(expect, page, lang);
      const session = (await page.context().cookies(lab.server.origin)).find((cookie) => cookie.name === 'wirelab_session')?.value;
      expect(session).toBeTruthy();
      const notifier = consumerRow(twoWays, 'notifier');
      // The notifier's connection breaks (no outside client may take its session over: CONNACK 2).
      (lab.server.app.mqttBroker as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients[
        `${session}/pipeline/notifier`
      ]!.conn.destroy();
      const notice = notifier.locator('[data-testid="pipeline-notice"]');
      await expect.poll(() => notice.count(), LIVE).toBe(1);
      expect(await notice.textContent()).toMatch(
        lang === 'en' ? /^Reconnected by itself after losing its connection/ : /^Переподключился сам после потери соединения/,
      );
      await expect.poll(() => attributeNow(notifier, 'data-running'), LIVE).toBe('true');
      // And it works: an order published now is handled and notified.
      await twoWays.locator('[data-testid="pipeline-publish"]').click();
      await expect.poll(() => twoWays.locator('[data-testid="pipeline-notification"][data-by="notifier"]').count(), LIVE).toBe(1);
      await releasePage(page);
    });
  });

  // alone: the backlog of five orders to a worker slowed to 600 ms is at 4 or more for about a
  // second, and pages loading beside it made the page miss that (at load 21)
  describe.sequential('the other exercises, on the traffic the page really produced', () => {
    it('a slowed direct call, a backlog that drains, fan-out, and a retained order for a late subscriber', async ({ expect }) => {
      const page = await openPage(lab.browser);
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
      });
      const twoWays = await openLesson(expect, page, 'en');
      const notifier = consumerRow(twoWays, 'notifier');

      // Slowed to 600 ms: the direct call waits, and the answer is the server's waitedMs.
      await notifier.locator('[data-testid="pipeline-delay"]').fill('600');
      await notifier.locator('[data-testid="pipeline-delay-apply"]').click();
      await expect.poll(() => valueNow(notifier.locator('[data-testid="pipeline-delay"]')), LIVE).toBe('600');
      await twoWays.locator('[data-testid="pipeline-call"]').click();
      const ok = twoWays.locator('[data-testid="rt-log-entry"][data-event="rest-ok"]');
      await expect.poll(() => ok.count(), LIVE).toBe(1);
      const waited = page.locator('[data-testid="exercise"][data-exercise-id="direct-call-waits"]');
      await waited.locator('[data-testid="exercise-answer"]').fill('1');
      await waited.locator('[data-testid="exercise-answer"]').press('Enter');
      expect(await exerciseState(page, 'direct-call-waits')).not.toBe('passed');
      const answer = await page.evaluate(async () => {
        const response = await fetch('/api/v1/pipeline/notifications', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"order":0}',
        });
        return ((await response.json()) as { waitedMs: number }).waitedMs;
      });
      expect(answer).toBeGreaterThanOrEqual(600);
      await waited.locator('[data-testid="exercise-answer"]').fill(String(answer));
      await waited.locator('[data-testid="exercise-answer"]').press('Enter');
      await expect.poll(() => exerciseStateNow(page, 'direct-call-waits'), LIVE).toBe('passed');

      // Five at once to a slowed worker: its notifications count the backlog down to zero.
      await twoWays.locator('[data-testid="pipeline-publish-many"]').click();
      await expect.poll(async () => Number(await attributeNow(notifier, 'data-backlog')), LIVE).toBeGreaterThanOrEqual(4);
      await expect.poll(() => attributeNow(notifier, 'data-backlog'), { timeout: 30_000 }).toBe('0');
      await expect.poll(() => exerciseStateNow(page, 'backlog-drains'), LIVE).toBe('passed');

      // A second subscriber: the same order handled by both.
      const consumers = cell(page, 'consumers');
      await consumers.locator('[data-testid="pipeline-new-name"]').fill('audit');
      await consumers.locator('[data-testid="pipeline-add-subscriber"]').click();
      await expect.poll(() => attributeNow(consumerRow(consumers, 'audit'), 'data-running'), LIVE).toBe('true');
      expect(await exerciseState(page, 'fan-out')).not.toBe('passed');
      await consumers.locator('[data-testid="pipeline-publish"]').click();
      await expect.poll(() => exerciseStateNow(page, 'fan-out'), { timeout: 30_000 }).toBe('passed');

      // Retained, then a late subscriber: the broker hands it the order with RETAIN set.
      const retention = cell(page, 'retention');
      await retention.locator('[data-testid="pipeline-publish-retained"]').click();
      await expect.poll(() => retention.locator('[data-testid="rt-log-entry"][data-event="puback"]').count(), LIVE).toBe(1);
      expect(await exerciseState(page, 'late-subscriber')).not.toBe('passed');
      await retention.locator('[data-testid="pipeline-add-late"]').click();
      await expect.poll(() => exerciseStateNow(page, 'late-subscriber'), LIVE).toBe('passed');

      expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
      await releasePage(page);
    });
  });

  // alone: it looks again half a second after the last order, and pages loading beside it would
  // make that a shorter look
  describe.sequential('the consumer group', () => {
    it('two members share the orders, each to one member', async ({ expect }) => {
      const page = await openPage(lab.browser);
      await openLesson(expect, page, 'en');
      const consumers = cell(page, 'consumers');
      for (const name of ['w1', 'w2']) {
        await consumers.locator('[data-testid="pipeline-new-name"]').fill(name);
        await consumers.locator('[data-testid="pipeline-add-member"]').click();
        await expect.poll(() => attributeNow(consumerRow(consumers, name), 'data-running'), LIVE).toBe('true');
      }
      await expect.poll(() => consumers.locator('[data-testid="pipeline-partition"][data-owner="w2"]').count(), LIVE).toBe(1);
      await consumers.locator('[data-testid="pipeline-publish-many"]').click();
      await expect.poll(() => exerciseStateNow(page, 'competing-consumers'), LIVE).toBe('passed');
      // The exercise passes once both members have handled an order; the others may still be on
      // their way (each takes the lab's processing time): wait for all five, then none more.
      const handled = async (name: string) => Number(await consumerRow(consumers, name).getAttribute('data-processed'));
      await expect.poll(async () => (await handled('w1')) + (await handled('w2')), LIVE).toBe(5);
      expect(await handled('w2')).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await handled('w1')) + (await handled('w2'))).toBe(5);
      await releasePage(page);
    });
  });

  describe('the lab’s links to its bytes', () => {
    it('finds a REST call’s bytes that reached the page later than its first wait', async ({ expect }) => {
      // The capture channel held back 6 s (holdCaptureBack): the call's exchange was looked for
      // once, 5 s after the click, and both its rows said "not captured" for good, a click again too.
      const page = await openPage(lab.browser);
      await holdCaptureBack(page, 6_000);
      const twoWays = await openLesson(expect, page, 'en');
      await twoWays.locator('[data-testid="pipeline-call"]').click();
      const ok = twoWays.locator('[data-testid="rt-log-entry"][data-event="rest-ok"]');
      await ok.waitFor(LIVE);
      const link = ok.locator('[data-testid="rt-log-link"]');
      await link.click();
      // found: the link says "bytes" again (not "not captured"), and the inspector shows the POST
      // (which the inspector, left to itself, may show too as the newest exchange: the link decides)
      await expect.poll(() => textNow(link), { timeout: 20_000 }).toBe('bytes');
      await expect.poll(() => textNow(selectedExchange(page)), LIVE).toContain('POST /api/v1/pipeline/notifications');
      await releasePage(page);
    });
  });

  describe('a live lab moves nothing under the pointer', () => {
    it('the partitions and the notifications keep their height as the group forms and orders are handled (ru)', async ({ expect }) => {
      // The partitions appeared with the group's first member, and the notifications grew with each
      // one handled: everything under them (the log, its buttons, the cells below) moved down while
      // the student was clicking there. Russian: its longer lines wrap the most.
      const page = await openPage(lab.browser);
      await openLesson(expect, page, 'ru');
      const consumers = cell(page, 'consumers');
      await expect.poll(() => attributeNow(consumers.locator('[data-testid="pipeline-lab-state"]'), 'data-state'), LIVE).toBe('connected');
      // from the row that adds a consumer (under the consumers' table) down to the log's Clear button:
      // the partitions and the notifications are between them
      const span = () =>
        consumers.evaluate((section) => {
          const top = (selector: string) => section.querySelector(selector)!.getBoundingClientRect().top;
          return Math.round(top('[data-testid="rt-log"] header button') - top('[data-testid="pipeline-new-name"]'));
        });
      const before = await span();
      const moved: Record<string, number> = {};
      await consumers.locator('[data-testid="pipeline-new-name"]').fill('w1');
      await consumers.locator('[data-testid="pipeline-add-member"]').click();
      await expect.poll(() => consumers.locator('[data-testid="pipeline-partition"][data-owner="w1"]').count(), LIVE).toBe(3);
      moved['the group formed'] = (await span()) - before;
      await consumers.locator('[data-testid="pipeline-publish-many"]').click();
      const handled = consumers.locator('[data-testid="pipeline-notification"][data-by="w1"]');
      for (const count of [1, 3, 5]) {
        await expect.poll(() => handled.count(), LIVE).toBeGreaterThanOrEqual(count);
        moved[`${count} notifications`] = (await span()) - before;
      }
      expect(moved).toEqual({ 'the group formed': 0, '1 notifications': 0, '3 notifications': 0, '5 notifications': 0 });
      await releasePage(page);
    });
  });
});
