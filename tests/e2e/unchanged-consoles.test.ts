import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it, type ExpectStatic } from 'vitest';
import type { Check } from '../../contracts/exercise-checks/check-types.ts';
import { lessonSlug } from '../../web/lessons/lesson-slug.ts';
import type { LessonJson } from '../../web/lessons/lesson-types.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseState, exerciseStateNow, pollEvery } from './lesson-page.ts';

// "Use the cell as it is" for the realtime consoles and the protobuf workbench, in Chromium
// against the real server: lessons/unchanged-cells.test.ts does it for HTTP, Connect and GraphQL
// cells through app.inject; a console's checks read frames that only a browser's traffic has.
//
// A student who changes nothing in a console presses what it offers: Connect (Start), Send
// with the message field as the lesson left it, every preset, waits, then Disconnect (Stop).
// Every exercise of that cell marked `runOnly` must pass that way, and every other exercise of
// it that a check of traffic can pass (not the answer checks) must not: it asks for a change.
// Each cell is used in a fresh browser profile (its own session and sandbox), so nothing else
// counts. The workbench sends nothing at all, so no exercise on it can be runOnly.

const lab = useAppAndBrowser();
// the page asked every 250 ms while a test waits, not every 50 ms (lesson-page.ts)
pollEvery(250);

const LESSONS_ROOT = join(import.meta.dirname, '..', '..', 'lessons');
const CONSOLE_KINDS = ['websocket', 'socket-io', 'sse', 'long-polling'] as const;
type ConsoleKind = (typeof CONSOLE_KINDS)[number];

interface CellUse {
  slug: string;
  cellId: string;
  kind: ConsoleKind | 'protobuf';
  runOnly: Array<{ id: string; check: Check }>;
  /** exercises of the cell a check of traffic could pass (answer checks need the student's answer) */
  others: Array<{ id: string; check: Check }>;
}

function cellsToUse(): CellUse[] {
  const uses: CellUse[] = [];
  for (const dir of readdirSync(LESSONS_ROOT)
    .filter((name) => /^\d{2}-[a-z0-9-]+$/.test(name))
    .sort()) {
    const lesson = JSON.parse(readFileSync(join(LESSONS_ROOT, dir, 'lesson.json'), 'utf8')) as LessonJson;
    for (const [cellId, cellInfo] of Object.entries(lesson.cells ?? {})) {
      const kind = cellInfo.kind;
      if (!(CONSOLE_KINDS as readonly string[]).includes(kind) && kind !== 'protobuf') continue;
      const exercises = Object.entries(lesson.exercises ?? {}).filter(([, exercise]) => exercise.cell === cellId);
      if (exercises.length === 0) continue;
      uses.push({
        slug: lessonSlug(dir),
        cellId,
        kind: kind as CellUse['kind'],
        runOnly: exercises.filter(([, exercise]) => exercise.runOnly).map(([id, exercise]) => ({ id, check: exercise.check })),
        others: exercises
          .filter(([, exercise]) => !exercise.runOnly && !['answer', 'message-answer'].includes(exercise.check.type))
          .map(([id, exercise]) => ({ id, check: exercise.check })),
      });
    }
  }
  return uses;
}

/** A WebSocket check on the client's close frame: it can pass only after Disconnect, the last button pressed. */
function needsClientClose(check: Check): boolean {
  const steps = check.type === 'message' ? [check.match] : check.type === 'message-sequence' ? check.steps : [];
  return steps.some((step) => step.layer === 'ws-frame' && step.dir === 'in' && step.fields?.opcode === 'close');
}

/** What each console offers: its connect, send and stop buttons, and the states that end connecting. */
const BUTTONS: Record<ConsoleKind, { connect: string; state: string; settled: RegExp; send: string[]; stop: string }> = {
  websocket: { connect: 'ws-connect', state: 'ws-state', settled: /^(OPEN|CLOSED)$/, send: ['ws-send', 'ws-preset'], stop: 'ws-disconnect' },
  'socket-io': {
    connect: 'sio-connect',
    state: 'sio-state',
    settled: /^(connected|closed|reconnecting)$/,
    send: ['sio-emit', 'sio-preset'],
    stop: 'sio-disconnect',
  },
  sse: { connect: 'sse-connect', state: 'sse-state', settled: /^(connected|closed|reconnecting)$/, send: [], stop: 'sse-disconnect' },
  'long-polling': { connect: 'poll-start', state: 'poll-state', settled: /^running$/, send: [], stop: 'poll-stop' },
};

/**
 * Heartbeats come on timers (WebSocket ping 10 s, SSE comment 15 s, Engine.IO ping 25 s): waiting for them is part of the step.
 * Asked every half second, not every 50 ms (vitest's own interval): each ask is a round trip to the
 * page, and two pages waiting 25 s for a ping cost the renderer and the worker more than the wait
 * itself; a pass is seen at most half a second late.
 */
const HEARTBEAT = { timeout: 45_000, interval: 500 };
const LIVE = { timeout: 15_000 };

async function pressIfEnabled(button: Locator): Promise<void> {
  if ((await button.count()) > 0 && (await button.isEnabled())) await button.click();
}

async function useUnchanged(page: Page, use: CellUse & { kind: ConsoleKind }, expect: ExpectStatic): Promise<void> {
  const consoleCell = cell(page, use.cellId);
  // Scrolled to, as a student reaches a cell: one far down the page mounts otherwise only in its
  // turn once the page settled, one cell per idle moment (web/editors/cell-when-near.tsx), and with
  // this file's nine pages loading at once on a loaded machine there are few idle moments:
  // choosing-a-protocol's poll console (its fifth cell) was once not there after 15 s.
  await page.locator(`#cell-${use.cellId}`).scrollIntoViewIfNeeded(LIVE);
  await consoleCell.waitFor(LIVE);
  const buttons = BUTTONS[use.kind];
  await consoleCell.locator(`[data-testid="${buttons.connect}"]`).click();
  await expect
    .poll(async () => (await attributeNow(consoleCell.locator(`[data-testid="${buttons.state}"]`), 'data-state')) ?? '', LIVE)
    .toMatch(buttons.settled);
  for (const testId of buttons.send) {
    const all = consoleCell.locator(`[data-testid="${testId}"]`);
    for (let index = 0; index < (await all.count()); index += 1) await pressIfEnabled(all.nth(index));
  }
  // stay connected (doing nothing) until what needs time has passed, then press Disconnect / Stop
  for (const { id, check } of use.runOnly) {
    if (!needsClientClose(check))
      await expect
        .poll(() => exerciseStateNow(page, id), { ...HEARTBEAT, message: `${use.slug} ${id} (runOnly) did not pass on the unchanged ${use.cellId} console` })
        .toBe('passed');
  }
  await pressIfEnabled(consoleCell.locator(`[data-testid="${buttons.stop}"]`));
  for (const { id } of use.runOnly) {
    await expect
      .poll(() => exerciseStateNow(page, id), { ...LIVE, message: `${use.slug} ${id} (runOnly) did not pass on the unchanged ${use.cellId} console` })
      .toBe('passed');
  }
}

const uses = cellsToUse();

describe('exercises on a realtime console or the protobuf workbench, with the cell used unchanged', () => {
  it("finds the consoles' exercises in the lessons", () => {
    const consoles = uses.filter((use) => use.kind !== 'protobuf');
    expect(consoles.flatMap((use) => use.runOnly).length).toBeGreaterThan(5);
    expect(consoles.flatMap((use) => use.others).length).toBeGreaterThan(0);
  });

  it('has no runOnly exercise on a protobuf workbench: it sends nothing a check could see', () => {
    expect(uses.filter((use) => use.kind === 'protobuf').flatMap((use) => use.runOnly.map(({ id }) => `${use.slug} ${id}`))).toEqual([]);
  });

  const consoles = uses.filter((use): use is CellUse & { kind: ConsoleKind } => use.kind !== 'protobuf');
  it('lets the exercises that ask for a change pass once it is made (their checks can pass at all)', async () => {
    const page = await openPage(lab.browser);
    try {
      await page.goto(`${lab.server.origin}/en/websockets`);
      const echo = cell(page, 'echo');
      await echo.locator('[data-testid="ws-connect"]').click();
      await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
      // length-16: a message of 126 bytes or more; close-1009: one over the echo endpoint's 16 KiB
      await echo.locator('[data-testid="ws-message"]').fill('x'.repeat(200));
      await echo.locator('[data-testid="ws-send"]').click();
      await expect.poll(() => exerciseStateNow(page, 'length-16'), LIVE).toBe('passed');
      await echo.locator('[data-testid="ws-message"]').fill('x'.repeat(20 * 1024));
      await echo.locator('[data-testid="ws-send"]').click();
      await expect.poll(() => exerciseStateNow(page, 'close-1009'), LIVE).toBe('passed');
    } finally {
      await releasePage(page);
    }
  });

  // one browser profile per console, two at a time (vitest.config.ts): most of the time is spent waiting for heartbeats
  it.concurrent.for(consoles.map((use) => [`${use.slug}/${use.cellId}`, use] as const))(
    '%s: its runOnly exercises pass, and no other one does',
    { timeout: 90_000 },
    async ([, use], { expect }) => {
      const page = await openPage(lab.browser);
      try {
        await page.goto(`${lab.server.origin}/en/${use.slug}`);
        await useUnchanged(page, use, expect);
        // The traffic must have been checked before "still pending" means anything: a passed
        // runOnly exercise after the last button shows it, and without one, a card that shows a
        // miss about that traffic (a check ran on it and found too little) or passed.
        if (use.others.length > 0 && use.runOnly.length === 0) {
          const checked = use.others
            .map(
              ({ id }) =>
                `[data-testid="exercise"][data-exercise-id="${id}"] .exercise-feedback.is-miss, [data-testid="exercise"][data-exercise-id="${id}"][data-state="passed"]`,
            )
            .join(', ');
          await expect
            .poll(() => page.locator(checked).count(), { ...LIVE, message: `${use.slug}/${use.cellId}: no card shows that this console's traffic was checked` })
            .toBeGreaterThan(0);
        }
        const passedUnchanged: string[] = [];
        for (const { id } of use.others) if ((await exerciseState(page, id)) !== 'pending') passedUnchanged.push(id);
        expect(passedUnchanged, `these pass on the unchanged ${use.slug}/${use.cellId} console: mark them runOnly or make them need a change`).toEqual([]);
      } finally {
        await releasePage(page);
      }
    },
  );
});
