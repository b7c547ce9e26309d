import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readLessonFolders } from '../../web/lessons/lesson-files.ts';
import { MATRIX, PROTOCOLS, USE_CASES } from '../../web/course/matrix-data.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, evaluateNow, LIVE, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();

const folders = readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons'));
const exerciseCount = (folder: string) =>
  Object.keys((JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'lessons', folder, 'lesson.json'), 'utf8')) as { exercises: object }).exercises)
    .length;

const question = (page: Page, id: string) => page.locator(`[data-testid="quiz-question"][data-question-id="${id}"]`);

describe.each(['en', 'ru'] as const)('the course in %s', (lang) => {
  it('maps every lesson with its exercises, counts one the student solves, and links the lessons in order', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/`);
    expect(await page.locator('[data-testid="lesson-list-course-map"]').getAttribute('href')).toBe(`/${lang}/course`);
    await page.locator('[data-testid="header-course-map"]').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/${lang}/course`);
    const stops = page.locator('[data-testid="course-lesson"]');
    await expect.poll(() => stops.count()).toBe(folders.length);
    expect(await stops.evaluateAll((items) => items.map((item) => [item.getAttribute('data-slug'), Number(item.getAttribute('data-total'))]))).toEqual(
      folders.map((folder) => [folder.slug, exerciseCount(folder.folder)]),
    );
    expect(await page.locator('[data-testid="course-lesson"][data-slug="choosing-a-protocol"]').getAttribute('data-done')).toBe('0');

    // Solve an exercise of the closing lesson on real traffic: the body size of the REST answer.
    await page.locator('[data-testid="course-lesson"][data-slug="choosing-a-protocol"] a').click();
    const rest = cell(page, 'get-user-rest');
    await rest.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(rest.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    const contentLength = await rest
      .locator('.header-row', { has: page.locator('dt', { hasText: /^content-length$/i }) })
      .locator('dd')
      .textContent();
    expect(Number(contentLength)).toBeGreaterThan(100);
    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="rest-body-size"]');
    await exercise.locator('[data-testid="exercise-answer"]').fill(String(Number(contentLength) + 1));
    await exercise.locator('[data-testid="exercise-submit"]').click();
    expect(await exercise.getAttribute('data-state')).toBe('pending');
    await exercise.locator('[data-testid="exercise-answer"]').fill(contentLength!);
    await exercise.locator('[data-testid="exercise-submit"]').click();
    await expect.poll(() => attributeNow(exercise, 'data-state'), LIVE).toBe('passed');

    // The lesson's end: previous and next (or, for the last one, the course map), in the course's order.
    const index = folders.findIndex((folder) => folder.slug === 'choosing-a-protocol');
    const pager = page.locator('[data-testid="lesson-pager"]');
    expect(await pager.locator('[data-testid="lesson-previous"]').getAttribute('href')).toBe(`/${lang}/${folders[index - 1].slug}`);
    const onward = folders[index + 1] ? pager.locator('[data-testid="lesson-next"]') : pager.locator('[data-testid="lesson-all"]');
    expect(await onward.getAttribute('href')).toBe(folders[index + 1] ? `/${lang}/${folders[index + 1].slug}` : `/${lang}/course`);

    await page.locator('[data-testid="header-course-map"]').click();
    await expect.poll(() => attributeNow(page.locator('[data-testid="course-lesson"][data-slug="choosing-a-protocol"]'), 'data-done')).toBe('1');
    await page.reload();
    await expect.poll(() => attributeNow(page.locator('[data-testid="course-lesson"][data-slug="choosing-a-protocol"]'), 'data-done')).toBe('1');
    expect(await page.locator('[data-testid="course-total"]').getAttribute('data-done')).toBe('1');

    // A lesson in the middle links both ways.
    await page.goto(`${lab.server.origin}/${lang}/${folders[1].slug}`);
    await pager.waitFor();
    expect(await pager.locator('[data-testid="lesson-previous"]').getAttribute('href')).toBe(`/${lang}/${folders[0].slug}`);
    expect(await pager.locator('[data-testid="lesson-next"]').getAttribute('href')).toBe(`/${lang}/${folders[2].slug}`);
    await releasePage(page);
  });

  it('shows the decision matrix, whose links open the lesson at its section, and recommends from the questionnaire', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/course`);
    await page.locator('[data-testid="course-matrix-link"]').click();
    const cells = page.locator('[data-testid="matrix-cell"]');
    await expect.poll(() => cells.count()).toBe(USE_CASES.length * PROTOCOLS.length);
    expect(await page.locator('[data-testid="matrix-cell"][data-use-case="crud"][data-protocol="rest"]').getAttribute('data-verdict')).toBe(
      MATRIX.crud.rest.verdict,
    );

    // Every link goes to a lesson of this build (at a heading both languages have) or to the lab.
    const hrefs = await page
      .locator('[data-testid="matrix-cell"] [data-testid="proof-link"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
    expect(hrefs).toHaveLength(USE_CASES.length * PROTOCOLS.length);
    const slugs = new Set(folders.map((folder) => folder.slug));
    for (const href of hrefs) {
      const match = new RegExp(`^/${lang}/([a-z0-9-]+)(?:#([a-z0-9-]+))?$`).exec(href);
      expect(match, href).not.toBeNull();
      expect(match![1] === 'compare' || slugs.has(match![1]), href).toBe(true);
    }

    // Follow one: the lesson opens at that section.
    const durable = page.locator('[data-testid="matrix-cell"][data-use-case="durable-events"][data-protocol="sse"] [data-testid="proof-link"]');
    const [, slug, section] = /^\/\w+\/([^#]+)#(.+)$/.exec((await durable.getAttribute('href'))!)!;
    await durable.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/${lang}/${slug}`);
    const heading = page.locator(`[id="${section}"]`);
    await heading.waitFor(LIVE);
    await expect.poll(() => evaluateNow(heading, (element) => Math.round(element.getBoundingClientRect().top)), LIVE).toBeLessThan(200);
    await page.goBack();

    // Choose for me.
    const choose = page.locator('[data-testid="choose"]');
    await choose.waitFor();
    const answer = async (questionId: string, option: string) => choose.locator(`[data-question="${questionId}"] input[value="${option}"]`).check();
    await answer('clients', 'services');
    await choose.locator('[data-testid="choose-submit"]').click();
    await choose.locator('[role="alert"]').waitFor();
    await answer('sender', 'client');
    await answer('frequency', 'rare');
    await answer('durable', 'no');
    await answer('audience', 'internal');
    await choose.locator('[data-testid="choose-submit"]').click();
    const result = choose.locator('[data-testid="choose-result"]');
    await expect.poll(() => attributeNow(result, 'data-protocol')).toBe('grpc');
    expect(await result.textContent()).toContain('gRPC');
    expect(await result.locator('[data-reason] [data-testid="proof-link"]').count()).toBeGreaterThan(0);
    await answer('durable', 'yes');
    await choose.locator('[data-testid="choose-submit"]').click();
    await expect.poll(() => attributeNow(result, 'data-protocol')).toBe('queue');
    expect(await result.textContent()).toContain('MQTT');
    await releasePage(page);
  });

  it('keeps quiz answers with the rest of the progress: choice, find-it-in-the-bytes, open, a lesson’s question', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/quiz`);

    const choice = question(page, 'rest-vs-graphql');
    await choice.locator('input[data-option="binary"]').check();
    await choice.locator('[data-testid="quiz-check"]').click();
    expect(await choice.locator('[data-testid="quiz-verdict"]').getAttribute('data-right')).toBe('false');
    expect(await choice.getAttribute('data-state')).toBe('wrong');
    const score = page.locator('[data-testid="quiz-score"]');
    await expect.poll(() => attributeNow(score, 'data-answered')).toBe('1');
    expect(await score.getAttribute('data-right')).toBe('0');
    await choice.locator('input[data-option="fields"]').check();
    await choice.locator('[data-testid="quiz-check"]').click();
    await expect.poll(() => attributeNow(choice, 'data-state')).toBe('answered');
    await expect.poll(() => attributeNow(choice.locator('[data-testid="quiz-teach-link"]'), 'href')).toBe(`/${lang}/graphql#schema`);

    // Find it in the bytes: run the question's cell, point at an exchange in the inspector.
    const bytes = question(page, 'find-etag');
    const inspector = page.locator('[data-testid="inspector"]');
    expect(await bytes.locator('[data-testid="quiz-this-one"]').isDisabled()).toBe(true);
    await bytes.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(bytes.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    // First a wrong pick: the request of the page itself is not it — show the app's traffic and pick the session's.
    await inspector.locator('[data-testid="insp-show-app"]').check();
    await inspector.locator('[data-testid="insp-exchange"]', { hasText: '/_wirelab/session' }).first().click();
    await expect.poll(() => textNow(bytes.locator('[data-testid="quiz-pointed"]'))).toContain('/_wirelab/session');
    await bytes.locator('[data-testid="quiz-this-one"]').click();
    expect(await bytes.locator('[data-testid="quiz-verdict"]').getAttribute('data-right')).toBe('false');
    expect(await bytes.getAttribute('data-state')).toBe('wrong');
    await inspector.locator('[data-testid="insp-exchange"]', { hasText: '/api/v1/users/1' }).last().click();
    await expect.poll(() => textNow(bytes.locator('[data-testid="quiz-pointed"]'))).toContain('/api/v1/users/1');
    await bytes.locator('[data-testid="quiz-this-one"]').click();
    await expect.poll(() => attributeNow(bytes, 'data-state')).toBe('answered');

    // An open question: the model answer only after an attempt.
    const open = question(page, 'social-platform');
    await open.locator('[data-testid="quiz-reveal"]').click();
    await open.locator('[role="alert"]').waitFor();
    expect(await open.locator('[data-testid="quiz-model"]').count()).toBe(0);
    await open.locator('[data-testid="quiz-open-answer"]').fill('REST for posts, a WebSocket for chat, a queue behind');
    await open.locator('[data-testid="quiz-reveal"]').click();
    await open.locator('[data-testid="quiz-model"]').waitFor();
    await expect.poll(() => attributeNow(open, 'data-state')).toBe('answered');

    // A question the REST lesson carries, with its model answer from the lesson's own text.
    const fromLesson = question(page, 'lesson:rest:1');
    await fromLesson.waitFor(LIVE);
    await fromLesson.locator('[data-testid="quiz-open-answer"]').fill('PUT replaces the whole thing, PATCH a part of it');
    await fromLesson.locator('[data-testid="quiz-reveal"]').click();
    await expect.poll(() => textNow(fromLesson.locator('[data-testid="quiz-model"]'))).toMatch(/PATCH/);
    expect(await fromLesson.locator('[data-testid="quiz-teach-link"]').getAttribute('href')).toBe(`/${lang}/rest#interview`);

    await page.reload();
    for (const id of ['rest-vs-graphql', 'find-etag', 'social-platform', 'lesson:rest:1']) {
      await expect.poll(() => attributeNow(question(page, id), 'data-state'), LIVE).toBe('answered');
    }
    expect(await question(page, 'graphql-caching').getAttribute('data-state')).toBe('pending');
    // the chosen answers and the score came back with the page
    expect(await question(page, 'rest-vs-graphql').locator('input[data-option="fields"]').isChecked()).toBe(true);
    expect(await question(page, 'social-platform').locator('[data-testid="quiz-open-answer"]').inputValue()).toBe(
      'REST for posts, a WebSocket for chat, a queue behind',
    );
    await question(page, 'social-platform').locator('[data-testid="quiz-model"]').waitFor();
    const kept = page.locator('[data-testid="quiz-score"]');
    expect(await kept.getAttribute('data-right')).toBe('2');
    expect(await kept.getAttribute('data-answered')).toBe('2');
    expect(await kept.getAttribute('data-open')).toBe('2');
    expect(await kept.textContent()).toContain(lang === 'en' ? '2 right of 2 answered' : 'Верно: 2 из 2 отвеченных');

    await page.locator('[data-testid="header-course-map"]').click();
    await expect.poll(() => attributeNow(page.locator('[data-testid="course-quiz"]'), 'data-done')).toBe('4');
    await releasePage(page);
  });
});
