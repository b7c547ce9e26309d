import type { Locator, Page } from 'playwright-core';
import { vi } from 'vitest';

// What every lesson's end-to-end test reads or drives on a lesson page: cells, exercise cards,
// the inspector, and the editors (set through the page's editor registry, because typing into
// Monaco races with its auto-closing brackets).

/** How long to wait for something live: a response, a pushed frame, a decoded message. */
export const LIVE = { timeout: 15_000 };

/**
 * Makes the file's `expect.poll`s ask every `ms`, not every 50 ms (vitest's own interval), with the
 * e2e project's timeout (LIVE) unchanged: each ask is one or two round trips through playwright
 * to the page's renderer, and a test that waits seconds for a frame, a heartbeat or a capture held
 * back asked a hundred times a wait. A poll that passes is seen at most `ms` later. Call it at
 * the top of the file; vitest resets the config after the file, so the next file in the worker polls as before.
 */
export function pollEvery(ms: number): void {
  vi.setConfig({ expect: { poll: { timeout: LIVE.timeout, interval: ms } } });
}

/**
 * How long a read of an element that is there may take. Playwright's own reads wait 30 s for an
 * element to appear; in an `expect.poll` whose element never came, that was one 30 s read, then
 * a last one after the poll's time ran out: the test hit its 60 s timeout, with no name of what
 * was missing. The reads below answer null at once for an element that is absent, so the poll
 * fails in its own time, saying what it read.
 */
const PRESENT_READ = { timeout: 2_000 };

/** The element's text now, or null while no element matches (for `expect.poll`). */
export async function textNow(locator: Locator): Promise<string | null> {
  return (await locator.count()) === 0 ? null : locator.textContent(PRESENT_READ);
}

/** The element's attribute now, or null while no element matches (for `expect.poll`). */
export async function attributeNow(locator: Locator, name: string): Promise<string | null> {
  return (await locator.count()) === 0 ? null : locator.getAttribute(name, PRESENT_READ);
}

/** A text field's value now, or null while no element matches (for `expect.poll`). */
export async function valueNow(locator: Locator): Promise<string | null> {
  return (await locator.count()) === 0 ? null : locator.inputValue(PRESENT_READ);
}

/** Whether the control is enabled now, or null while no element matches (for `expect.poll`). */
export async function enabledNow(locator: Locator): Promise<boolean | null> {
  return (await locator.count()) === 0 ? null : locator.isEnabled(PRESENT_READ);
}

/** Whether the checkbox or radio button is checked now, or null while no element matches (for `expect.poll`). */
export async function checkedNow(locator: Locator): Promise<boolean | null> {
  return (await locator.count()) === 0 ? null : locator.isChecked(PRESENT_READ);
}

/** What `read` answers of the element now, or null while no element matches (for `expect.poll`). */
export async function evaluateNow<Result>(locator: Locator, read: (element: SVGElement | HTMLElement) => Result): Promise<Result | null> {
  return (await locator.count()) === 0 ? null : locator.evaluate(read, undefined, PRESENT_READ);
}

export function cell(page: Page, id: string): Locator {
  return page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);
}

export function exerciseCard(page: Page, id: string): Locator {
  return page.locator(`[data-testid="exercise"][data-exercise-id="${id}"]`);
}

/**
 * The lesson's exercise card: "passed" once the traffic the page produced satisfies its check.
 * Waits for the card to be on the page (an assertion that it has not passed needs the card).
 */
export function exerciseState(page: Page, id: string): Promise<string | null> {
  return exerciseCard(page, id).getAttribute('data-state');
}

/** The exercise card's state now, or null while the card is not on the page (for `expect.poll`). */
export function exerciseStateNow(page: Page, id: string): Promise<string | null> {
  return attributeNow(exerciseCard(page, id), 'data-state');
}

/**
 * Holds back what the server sends on the page's capture channel (/_wirelab/tap) by `ms`, as a
 * loaded machine or a slow network can: a console's bytes then reach the page after its first
 * 5 s wait for them. Call before the page loads.
 */
export async function holdCaptureBack(page: Page, ms: number): Promise<void> {
  await page.routeWebSocket(/\/_wirelab\/tap/, (browserSide) => {
    const server = browserSide.connectToServer();
    server.onMessage((message) => setTimeout(() => browserSide.send(message), ms));
    browserSide.onMessage((message) => server.send(message));
  });
}

/** The inspector's exchange row the page selected (a log link's, a poll's "show"). */
export function selectedExchange(page: Page): Locator {
  return page.locator('[data-testid="inspector"] [data-testid="insp-exchange"][aria-pressed="true"]');
}

/** The inspector's selected message row, once a log link or a click put it there. */
export function selectedMessage(page: Page): Locator {
  return page.locator('[data-testid="inspector"] [data-testid="insp-message"][aria-pressed="true"]');
}

/**
 * What the inspector shows, read at once for a poll: the selected message's layer, else
 * "exchange: " and the selected exchange row's text, so that a poll waiting for a message names
 * what it found instead. An SSE event's link in a lesson's console, clicked after the REST call
 * that caused the event, found the event and yet left no message selected, now and then under
 * load: this read named the POST's exchange, found after the click (tests/README.md, "Stop 76 and
 * run 50").
 */
export async function inspectorShowsNow(page: Page): Promise<string> {
  return (await attributeNow(selectedMessage(page), 'data-layer')) ?? `exchange: ${await textNow(selectedExchange(page))}`;
}

/** Resolves once the page has rendered two more frames: what a requestAnimationFrame callback (a scroll, a layout read) scheduled has run. */
export async function twoFramesLater(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** The first decoded node of a kind in the inspector's tree (optionally with this text). */
export function inspectorNode(page: Page, kind: string, text?: string): Locator {
  const nodes = page.locator(`[data-testid="inspector"] [data-testid="insp-tree-node"][data-kind="${kind}"]`);
  return (text ? nodes.filter({ hasText: text }) : nodes).first();
}

type EditorRegistry = Map<string, { getValue(): string; setValue(value: string): void }>;

export async function setEditorText(page: Page, cellId: string, text: string): Promise<void> {
  // Scrolled to first, as a student reaches a cell before typing in it: a cell far down the page
  // mounts otherwise only in its turn once the page has settled, one cell per idle moment
  // (web/editors/cell-when-near.tsx), and a loaded machine has few (grpc-extra-lessons once spent
  // its 60 s waiting for the connect-by-hand editor).
  await page.evaluate((id) => document.getElementById(`cell-${id}`)?.scrollIntoView({ block: 'center' }), cellId);
  // Playwright's own message ("Timeout 30000ms exceeded") names no cell: the failure says which
  await page
    .waitForFunction((id) => (window as unknown as { __wirelabEditors?: EditorRegistry }).__wirelabEditors?.has(id), cellId)
    .catch((error: Error) => {
      throw new Error(`the editor of cell "${cellId}" never came on the page: ${error.message.split('\n')[0]}`);
    });
  await page.evaluate(([id, value]) => (window as unknown as { __wirelabEditors: EditorRegistry }).__wirelabEditors.get(id)!.setValue(value), [
    cellId,
    text,
  ] as const);
}

/** Whether the focused element sits inside a Monaco editor. */
export function focusInEditor(page: Page): Promise<boolean> {
  return page.evaluate(() => Boolean(document.activeElement?.closest('.monaco-editor')));
}

/** The cell's editor text; throws, naming the cell, while its editor is not on the page (an `expect.poll` says which). */
export function editorText(page: Page, cellId: string): Promise<string> {
  return page.evaluate((id) => {
    const editor = (window as unknown as { __wirelabEditors?: EditorRegistry }).__wirelabEditors?.get(id);
    if (!editor) throw new Error(`no editor of cell "${id}" on the page`);
    return editor.getValue();
  }, cellId);
}
