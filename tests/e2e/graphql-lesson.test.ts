import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, it, type OnTestFinishedHandler } from 'vitest';
import { describePage, openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, editorText, holdCaptureBack, inspectorNode, LIVE, pollEvery, selectedExchange, setEditorText, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();
// the page asked every 250 ms while a test waits, not every 50 ms (lesson-page.ts)
pollEvery(250);

/** The test's own browser profile (its own session and sandbox), closed when the test ends, passed or failed. */
async function openTestPage(onTestFinished: (handler: OnTestFinishedHandler) => void): Promise<Page> {
  const page = await openPage(lab.browser);
  onTestFinished(() => releasePage(page));
  return page;
}

/**
 * The server's word that a subscription of this page's sandbox (its session cookie) started or
 * ended: the tests run side by side, and another test's subscription must not answer for it.
 * Listens from the call on, so call it before the click.
 */
function subscriptionOfPage(page: Page, event: 'started' | 'ended'): Promise<void> {
  const tracker = lab.server.app.graphqlSubscriptions;
  return new Promise((resolve) => {
    const listener = async (_field: string, sandboxId: string) => {
      // a page closed meanwhile (its test failed) has no cookies to read: it waits no more
      const cookies = await page
        .context()
        .cookies()
        .catch(() => null);
      if (cookies !== null && sandboxId !== cookies.find((cookie) => cookie.name === 'wirelab_session')?.value) return;
      tracker.off(event, listener);
      resolve();
    };
    tracker.on(event, listener);
  });
}

// The first six each in a browser profile of its own, two at a time (vitest.config.ts): they mostly
// wait, on the server, on a capture held back 6 s, on the language service; and they use cells
// (cached-user, post-added, users-with-posts, first-query) and pass exercises the last five use too
describe.concurrent('the GraphQL lesson', () => {
  it('finds the bytes of a query that reach the page after its wait: a click looks again', async ({ expect, onTestFinished }) => {
    // The capture channel held back 6 s: the query's bytes were looked for once, 3 s after its
    // answer, and the result said "not captured" for good, with nothing to click.
    const page = await openTestPage(onTestFinished);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/en/graphql`);
    const first = cell(page, 'first-query');
    await first.scrollIntoViewIfNeeded();
    await first.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    await setEditorText(page, 'first-query', '{\n  user(id: 1) {\n    name\n    email\n  }\n}');
    await first.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(first.locator('[data-testid="graphql-data"]')), LIVE).toContain('ada@example.com');

    const lookAgain = first.locator('[data-testid="capture-missing"] [data-testid="capture-look-again"]');
    await expect.poll(() => textNow(lookAgain), LIVE).toBe('Look again');
    await lookAgain.click();
    await expect.poll(() => textNow(selectedExchange(page)), { timeout: 20_000 }).toMatch(/POST \/graphql/);
    // found: the result links to them now and no longer says they are missing
    await first.locator('.graphql-result-summary .link-button').waitFor(LIVE);
    expect(await first.locator('[data-testid="capture-missing"]').count()).toBe(0);
  });

  // alone: it waits 6 s for the look-again to have answered, and pages loading beside it would
  // make those seconds a shorter wait
  it.sequential('a Run refused while the last query’s bytes are looked for again keeps its problem on screen', async ({ expect, onTestFinished }) => {
    // A refused Run took no number: the last query's look-again found its bytes seconds later and
    // put that query's result back over the problem the student was reading.
    const page = await openTestPage(onTestFinished);
    await holdCaptureBack(page, 6_000);
    await page.goto(`${lab.server.origin}/en/graphql`);
    const first = cell(page, 'first-query');
    await first.scrollIntoViewIfNeeded();
    await first.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    await setEditorText(page, 'first-query', '{\n  user(id: 1) {\n    name\n  }\n}');
    await first.locator('[data-testid="cell-run"]').click();
    const lookAgain = first.locator('[data-testid="capture-missing"] [data-testid="capture-look-again"]');
    await expect.poll(() => textNow(lookAgain), LIVE).toBe('Look again');
    await lookAgain.click();
    await setEditorText(page, 'first-query', '{\n  user(id: 1) {\n    name\n');
    await first.locator('[data-testid="cell-run"]').click();
    const problem = first.locator('[data-testid="graphql-problem"]');
    await problem.waitFor(LIVE);
    // the look-again waits 5 s at most, and the bytes come 6 s after the query: it has answered by now
    await page.waitForTimeout(6_000);
    expect(await problem.count()).toBe(1);
    expect(await first.locator('[data-testid="graphql-data"]').count()).toBe(0);
  });

  it('answers a repeated cache-first query from urql’s cache without a request', async ({ expect, onTestFinished }) => {
    const page = await openTestPage(onTestFinished);
    await page.goto(`${lab.server.origin}/en/graphql`);
    const cached = cell(page, 'cached-user');
    await cached.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => attributeNow(cached.locator('[data-testid="graphql-result"]'), 'data-source'), LIVE).toBe('network');
    await cached.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => attributeNow(cached.locator('[data-testid="graphql-result"]'), 'data-source'), LIVE).toBe('cache');
    // A mutation that returns a User makes urql drop every cached result holding a User.
    const rename = cell(page, 'rename-user');
    await rename.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(rename.locator('[data-testid="graphql-data"]')), LIVE).toContain('Grace B. Hopper');
    await cached.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cached.locator('[data-testid="graphql-data"]')), LIVE).toContain('Grace B. Hopper');
    expect(await cached.locator('[data-testid="graphql-result"]').getAttribute('data-source')).toBe('network');
    await cached.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => attributeNow(cached.locator('[data-testid="graphql-result"]'), 'data-source'), LIVE).toBe('cache');
    await cached.locator('[data-testid="graphql-policy"]').selectOption('network-only');
    await cached.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => attributeNow(cached.locator('[data-testid="graphql-result"]'), 'data-source'), LIVE).toBe('network');
  });

  it('receives a post created over REST on a GraphQL subscription (in Russian)', async ({ expect, onTestFinished }) => {
    const page = await openTestPage(onTestFinished);
    await page.goto(`${lab.server.origin}/ru/graphql`);
    const subscription = cell(page, 'post-added');
    await subscription.scrollIntoViewIfNeeded();
    await subscription.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    expect(await subscription.locator('[data-testid="cell-run"]').textContent()).toContain('Подписаться');

    // The server says when the subscription is live: only then is the event created.
    const started = subscriptionOfPage(page, 'started');
    await subscription.locator('[data-testid="cell-run"]').click();
    await started;
    expect(await subscription.locator('[data-testid="graphql-subscription"]').getAttribute('data-status')).toBe('active');

    const rest = cell(page, 'create-post-rest');
    await rest.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(rest.locator('[data-testid="response-status"]')), LIVE).toMatch(/201/);
    const event = subscription.locator('[data-testid="graphql-event"]').first();
    await expect.poll(() => textNow(event), LIVE).toContain('Hello from REST');

    // The same event as the server sent it: a graphql-ws "next" message inside a WebSocket frame.
    const next = page.locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="graphql-ws"][data-dir="out"]', { hasText: 'next' }).last();
    await next.waitFor(LIVE);
    await expect.poll(() => attributeNow(page.locator('[data-testid="exercise"][data-exercise-id="receive-post"]'), 'data-state'), LIVE).toBe('passed');

    const ended = subscriptionOfPage(page, 'ended');
    await subscription.locator('[data-testid="cell-stop"]').click();
    await ended;
    expect(await subscription.locator('[data-testid="graphql-subscription"]').getAttribute('data-status')).toBe('ended');
  });

  it('"down to two" needs network-only, as its hint says: cache-first answers the second run from the cache', async ({ expect, onTestFinished }) => {
    const page = await openTestPage(onTestFinished);
    await page.goto(`${lab.server.origin}/en/graphql`);
    const users = cell(page, 'users-with-posts');
    const extensions = users.locator('[data-testid="graphql-extensions"]');
    // the browser's own record of what it sent: the query's requests, not the schema's introspection
    let sent = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && (request.postData() ?? '').includes('UsersWithPosts')) sent += 1;
    });
    await users.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(extensions), LIVE).toMatch(/wirelab\.batching\s*false/);
    expect(sent).toBe(1);

    // batching on, policy still cache-first: the same query and variables are answered from the cache
    await users.locator('[data-testid="graphql-batching"]').check();
    await users.locator('[data-testid="cell-run"]').click();
    await users.locator('[data-testid="graphql-policy"]').selectOption('network-only');
    await users.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(extensions), LIVE).toMatch(/wirelab\.batching\s*true/);
    // the network-only run's answer is in, so a request of the cache-first run would have been sent before it
    expect(sent).toBe(2);
    await expect.poll(() => attributeNow(page.locator('[data-testid="exercise"][data-exercise-id="down-to-two"]'), 'data-state'), LIVE).toBe('passed');
  });

  it('a query that is too deep is refused with the error in the page’s language', async ({ expect, onTestFinished }) => {
    const page = await openTestPage(onTestFinished);
    await page.goto(`${lab.server.origin}/ru/graphql`);
    const deep = cell(page, 'too-deep');
    await deep.scrollIntoViewIfNeeded();
    await deep.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    const text = await editorText(page, 'too-deep');
    // one more author { posts { … } } pair inside the innermost posts
    await setEditorText(page, 'too-deep', text.replace('title', 'author { posts(first: 1) { title } }'));
    await deep.locator('[data-testid="cell-run"]').click();
    const error = deep.locator('[data-testid="graphql-error"]').first();
    await expect.poll(() => attributeNow(error, 'data-code'), LIVE).toBe('QUERY_TOO_DEEP');
    // The server's Russian text (extensions.localized.ru) first, its English message beside it.
    const message = (await error.locator('.graphql-error-message').textContent())!;
    expect(message).toMatch(/[а-яё]/i);
    expect(message).toContain('9');
    expect(await error.locator('.graphql-error-original').textContent()).toMatch(/nested 9 levels/);
    expect(await deep.locator('[data-testid="graphql-status"]').textContent()).toBe('400');
    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="too-deep"]');
    await exercise.locator('[data-testid="exercise-answer"]').fill('9');
    await exercise.locator('[data-testid="exercise-answer"]').press('Enter');
    await expect.poll(() => attributeNow(exercise, 'data-state'), LIVE).toBe('passed');
  });

  // The last five, one after another on one English page: each runs cells and passes exercises
  // no other test on that page touches (first-query, users-with-posts, cached-user over GET,
  // post-added with create-post, fragments), and the lesson, Monaco and GraphQL's language service
  // load once for the five, not five times. One after another: they click, type and hover.
  const englishLesson = describePage(lab, '/en/graphql');

  it.sequential('completes a field from the schema, runs the query, and decodes it in the inspector', async ({ expect }) => {
    const page = await englishLesson();
    const first = cell(page, 'first-query');
    await first.scrollIntoViewIfNeeded();
    const editor = first.locator('[data-testid="graphql-editor-ready"]');
    await editor.waitFor(LIVE);

    // The schema explorer lists what introspection returned: the schema is loaded.
    await first.locator('[data-testid="graphql-docs"]').click();
    await first.locator('[data-testid="graphql-docs-type"]', { hasText: 'Query' }).first().click();
    await expect.poll(() => textNow(first.locator('[data-testid="graphql-docs-field"][data-field="user"]')), LIVE).toContain('user(id: ID!): User');

    // Type the start of a field and take the completion the language service offers.
    await setEditorText(page, 'first-query', '{\n  user(id: 1) {\n    name\n    em');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'email' }).first();
    await suggestion.waitFor(LIVE);
    await page.keyboard.press('Enter');
    await expect.poll(() => editorText(page, 'first-query')).toMatch(/^\s*email$/m);
    // Close the document. Set, not typed: Monaco's EditContext in headless Chromium drops keys
    // sent in a quick run on a loaded machine, and the typing is not what this test is about.
    await page.keyboard.press('Escape');
    await setEditorText(page, 'first-query', '{\n  user(id: 1) {\n    name\n    email\n  }\n}');
    // The document is complete now: the squiggle of the unfinished one goes away.
    await expect.poll(() => first.locator('.squiggly-error').count(), LIVE).toBe(0);

    await first.locator('[data-testid="cell-run"]').click();
    const data = first.locator('[data-testid="graphql-data"]');
    await expect.poll(() => textNow(data), LIVE).toContain('ada@example.com');
    expect(await first.locator('[data-testid="graphql-source"]').textContent()).toMatch(/Sent: POST \/graphql/);
    expect(await first.locator('[data-testid="graphql-extensions"]').textContent()).toMatch(/storageQueries/);

    // The inspector holds the captured request: the GraphQL document inside the JSON body, down to the field.
    const request = page
      .locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="graphql-http"][data-dir="in"]', { hasText: 'user{name email' })
      .last();
    await request.waitFor(LIVE);
    await request.click();
    for (const kind of ['graphql-query', 'graphql-document', 'graphql-operation']) await inspectorNode(page, kind).click();
    await inspectorNode(page, 'graphql-field', 'user(id: 1)').click();
    const email = inspectorNode(page, 'graphql-field', 'email');
    await email.hover();
    const lit = page.locator('[data-testid="inspector"] [data-testid="insp-hex-byte"][data-highlighted="true"]');
    await expect.poll(() => lit.count(), LIVE).toBe('email'.length);

    // Only name and email were asked for: the exercise sees it in the same captured traffic.
    await expect.poll(() => attributeNow(page.locator('[data-testid="exercise"][data-exercise-id="name-and-email"]'), 'data-state'), LIVE).toBe('passed');
  });

  it.sequential('shows N+1 in the cost report, then batching brings it down to 2 (exercises checked on that traffic)', async ({ expect }) => {
    const page = await englishLesson();
    const users = cell(page, 'users-with-posts');
    const extensions = users.locator('[data-testid="graphql-extensions"]');
    expect(await users.locator('[data-testid="graphql-batching"]').isChecked()).toBe(false);
    await users.locator('[data-testid="graphql-policy"]').selectOption('network-only');
    await users.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(extensions), LIVE).toMatch(/wirelab\.batching\s*false/);
    const naive = Number(/storageQueries\s*(\d+)/.exec((await extensions.textContent())!)![1]);
    expect(naive).toBeGreaterThan(2);

    // The answer exercise compares the typed number with the captured response.
    const count = page.locator('[data-testid="exercise"][data-exercise-id="count-n-plus-one"]');
    await count.locator('[data-testid="exercise-answer"]').fill(String(naive));
    await count.locator('[data-testid="exercise-answer"]').press('Enter');
    await expect.poll(() => attributeNow(count, 'data-state'), LIVE).toBe('passed');

    await users.locator('[data-testid="graphql-batching"]').check();
    await users.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(extensions), LIVE).toMatch(/wirelab\.batching\s*true/);
    expect(await extensions.textContent()).toMatch(/storageQueries\s*2(?!\d)/);
    await expect.poll(() => attributeNow(page.locator('[data-testid="exercise"][data-exercise-id="down-to-two"]'), 'data-state'), LIVE).toBe('passed');
  });

  it.sequential('GET puts the query in the URL and the second run is revalidated with a 304', async ({ expect }) => {
    const page = await englishLesson();
    const cached = cell(page, 'cached-user');
    await cached.locator('[data-testid="graphql-method"]').selectOption('GET');
    await cached.locator('[data-testid="graphql-policy"]').selectOption('network-only');
    await cached.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cached.locator('[data-testid="graphql-source"]')), LIVE).toMatch(/Sent: GET \/graphql\?query=/);
    await cached.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cached.locator('[data-testid="graphql-revalidated"]')), LIVE).toMatch(/answered 304, the page got 200/);
    await expect.poll(() => attributeNow(page.locator('[data-testid="exercise"][data-exercise-id="etag-304"]'), 'data-state'), LIVE).toBe('passed');
    // The operation in the query string is decoded too.
    await page
      .locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="graphql-http"][data-dir="in"]', { hasText: 'GET · query CachedUser' })
      .last()
      .waitFor(LIVE);
  });

  it.sequential('subscribes with the legacy graphql-ws subprotocol too', async ({ expect }) => {
    const page = await englishLesson();
    const subscription = cell(page, 'post-added');
    await subscription.scrollIntoViewIfNeeded();
    await subscription.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    await subscription.locator('[data-testid="graphql-protocol"]').selectOption('graphql-ws');
    const started = subscriptionOfPage(page, 'started');
    await subscription.locator('[data-testid="cell-run"]').click();
    await started;
    const mutation = cell(page, 'create-post');
    await mutation.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(mutation.locator('[data-testid="graphql-data"]')), LIVE).toContain('createPost');
    await expect.poll(() => textNow(subscription.locator('[data-testid="graphql-event"]').first()), LIVE).toContain('Hello from GraphQL');
    await expect.poll(() => attributeNow(page.locator('[data-testid="exercise"][data-exercise-id="legacy-protocol"]'), 'data-state'), LIVE).toBe('passed');
    await expect.poll(() => attributeNow(page.locator('[data-testid="exercise"][data-exercise-id="create-post"]'), 'data-state'), LIVE).toBe('passed');
    await subscription.locator('[data-testid="cell-stop"]').click();
  });

  it.sequential('hover shows a field’s description; the operation picker sends only the chosen operation and its fragment', async ({ expect }) => {
    const page = await englishLesson();
    const fragments = cell(page, 'fragments');
    await fragments.scrollIntoViewIfNeeded();
    const editor = fragments.locator('[data-testid="graphql-editor-ready"]').first();
    await editor.waitFor(LIVE);
    await fragments.locator('[data-testid="graphql-docs"]').click();
    await fragments.locator('[data-testid="graphql-docs-type"]').first().waitFor(LIVE);

    // A field whose schema has a description: the hover box shows it.
    await setEditorText(page, 'fragments', '{ user(id: 1) { version } }');
    await expect.poll(() => editor.locator('.view-line span', { hasText: 'version' }).count(), LIVE).toBeGreaterThan(0);
    // Hover again on each try, as a person moves the mouse again: a hover that came while the
    // editor's language service was still starting shows nothing, and a mouse that stays put
    // never asks again.
    await expect
      .poll(
        async () => {
          await page.mouse.move(0, 0);
          await editor.locator('.view-line span', { hasText: 'version' }).last().hover();
          await page
            .locator('.monaco-hover-content')
            .first()
            .waitFor({ timeout: 1_500 })
            .catch(() => undefined);
          return (await page.locator('.monaco-hover-content').allTextContents()).join(' ');
        },
        { ...LIVE, interval: 250 },
      )
      .toContain('Bumped on every change');

    await setEditorText(page, 'fragments', readFileSync(new URL('../../lessons/10-graphql/cells/fragments.graphql', import.meta.url), 'utf8'));
    await fragments.locator('[data-testid="graphql-operation"]').selectOption({ label: 'query PostWithAuthor' });
    await fragments.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(fragments.locator('[data-testid="graphql-data"]')), LIVE).toContain('"author"');
    const sent = page
      .locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="graphql-http"][data-dir="in"]', { hasText: 'PostWithAuthor' })
      .last();
    await sent.waitFor(LIVE);
    expect(await sent.textContent()).not.toContain('TwoUsers');
  });
});
