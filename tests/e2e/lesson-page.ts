import type { Locator, Page } from 'playwright-core';

// What every lesson's end-to-end test reads or drives on a lesson page: cells, exercise cards,
// the inspector, and the editors (set through the page's editor registry, because typing into
// Monaco races with its auto-closing brackets).

/** How long to wait for something live: a response, a pushed frame, a decoded message. */
export const LIVE = { timeout: 15_000 };

export function cell(page: Page, id: string): Locator {
  return page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);
}

/** The lesson's exercise card: "passed" once the traffic the page produced satisfies its check. */
export function exerciseState(page: Page, id: string): Promise<string | null> {
  return page.locator(`[data-testid="exercise"][data-exercise-id="${id}"]`).getAttribute('data-state');
}

/** The inspector's selected message row, once a log link or a click put it there. */
export function selectedMessage(page: Page): Locator {
  return page.locator('[data-testid="inspector"] [data-testid="insp-message"][aria-pressed="true"]');
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
  await page.waitForFunction((id) => (window as unknown as { __wirelabEditors?: EditorRegistry }).__wirelabEditors?.has(id), cellId);
  await page.evaluate(([id, value]) => (window as unknown as { __wirelabEditors: EditorRegistry }).__wirelabEditors.get(id)!.setValue(value), [
    cellId,
    text,
  ] as const);
}

export function editorText(page: Page, cellId: string): Promise<string> {
  return page.evaluate((id) => (window as unknown as { __wirelabEditors: EditorRegistry }).__wirelabEditors.get(id)!.getValue(), cellId);
}
