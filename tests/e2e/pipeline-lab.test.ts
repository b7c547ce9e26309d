import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser } from './browser.ts';
import { cell, exerciseState, LIVE } from './lesson-page.ts';

// The pipeline lab of lesson 13 in real Chromium, in both languages: the worker stopped, the
// direct call failing with 503, orders published to the broker meanwhile, the worker restarted
// and its backlog drained — and the exercises passing on the captured REST and MQTT traffic.

const lab = useAppAndBrowser();

function consumerRow(scope: Locator, name: string): Locator {
  return scope.locator(`[data-testid="pipeline-consumer"][data-name="${name}"]`);
}

async function openLesson(page: Page, lang: 'en' | 'ru'): Promise<Locator> {
  await page.goto(`${lab.server.origin}/${lang}/message-queues`);
  const twoWays = cell(page, 'two-ways');
  await expect.poll(() => twoWays.locator('[data-testid="pipeline-lab-state"]').getAttribute('data-state'), LIVE).toBe('connected');
  await expect.poll(() => twoWays.locator('[data-testid="pipeline-broker-state"]').getAttribute('data-state'), LIVE).toBe('connected');
  await expect.poll(() => consumerRow(twoWays, 'notifier').getAttribute('data-running'), LIVE).toBe('true');
  return twoWays;
}

const TEXTS = {
  en: { heading: 'Message queues vs direct calls', call: 'Call the worker', failed: /503 after \d+ ms, Retry-After: 5 s: The notification worker is stopped/ },
  ru: { heading: 'Очереди сообщений и прямые вызовы', call: 'Вызвать сервис', failed: /503 через \d+ мс, Retry-After: 5 с: Сервис уведомлений остановлен/ },
} as const;

describe.each(['en', 'ru'] as const)('the pipeline lab (%s)', (lang) => {
  it('stop the worker: the REST call fails with 503; publish meanwhile; restart: the backlog drains and nothing is lost', async () => {
    const page = await openPage(lab.browser);
    const twoWays = await openLesson(page, lang);
    expect(await page.locator('h1').first().textContent()).toContain(TEXTS[lang].heading);
    const notifier = consumerRow(twoWays, 'notifier');

    await notifier.locator('[data-testid="pipeline-toggle"]').click();
    await expect.poll(() => notifier.getAttribute('data-running'), LIVE).toBe('false');

    const call = twoWays.locator('[data-testid="pipeline-call"]');
    expect(await call.textContent()).toBe(TEXTS[lang].call);
    await call.click();
    const failed = twoWays.locator('[data-testid="rt-log-entry"][data-event="rest-failed"]');
    await expect.poll(() => failed.first().getAttribute('data-status'), LIVE).toBe('503');
    expect(await failed.first().textContent()).toMatch(TEXTS[lang].failed);
    await expect.poll(() => exerciseState(page, 'direct-call-503'), LIVE).toBe('passed');

    // Three orders while the worker is down: each acknowledged by the broker at once, each waiting.
    const publish = twoWays.locator('[data-testid="pipeline-publish"]');
    for (let i = 0; i < 3; i++) await publish.click();
    await expect.poll(() => twoWays.locator('[data-testid="rt-log-entry"][data-event="puback"]').count(), LIVE).toBe(3);
    await expect.poll(() => notifier.getAttribute('data-backlog'), LIVE).toBe('3');
    expect(await exerciseState(page, 'nothing-lost')).not.toBe('passed');

    await notifier.locator('[data-testid="pipeline-toggle"]').click();
    await expect.poll(() => notifier.getAttribute('data-backlog'), LIVE).toBe('0');
    await expect.poll(() => notifier.getAttribute('data-processed'), LIVE).toBe('3');
    await expect.poll(() => twoWays.locator('[data-testid="pipeline-notification"][data-by="notifier"]').count(), LIVE).toBe(3);
    // Checked on the worker's own PUBLISH packets, captured on its TCP connection to the broker.
    await expect.poll(() => exerciseState(page, 'nothing-lost'), LIVE).toBe('passed');
    await page.context().close();
  });
});

describe('the consumer group', () => {
  it('two members share the orders, each to one member', async () => {
    const page = await openPage(lab.browser);
    await openLesson(page, 'en');
    const consumers = cell(page, 'consumers');
    for (const name of ['w1', 'w2']) {
      await consumers.locator('[data-testid="pipeline-new-name"]').fill(name);
      await consumers.locator('[data-testid="pipeline-add-member"]').click();
      await expect.poll(() => consumerRow(consumers, name).getAttribute('data-running'), LIVE).toBe('true');
    }
    await expect.poll(() => consumers.locator('[data-testid="pipeline-partition"][data-owner="w2"]').count(), LIVE).toBe(1);
    await consumers.locator('[data-testid="pipeline-publish-many"]').click();
    await expect.poll(() => exerciseState(page, 'competing-consumers'), LIVE).toBe('passed');
    const handledByW1 = Number(await consumerRow(consumers, 'w1').getAttribute('data-processed'));
    const handledByW2 = Number(await consumerRow(consumers, 'w2').getAttribute('data-processed'));
    expect(handledByW1 + handledByW2).toBe(5);
    expect(handledByW2).toBeGreaterThan(0);
    await page.context().close();
  });
});
