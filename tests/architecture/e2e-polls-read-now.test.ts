// Every expect.poll of the end-to-end tests reads an element through the reads that do not wait
// (tests/e2e/lesson-page.ts: textNow, attributeNow, valueNow, enabledNow, checkedNow, evaluateNow,
// exerciseStateNow). Playwright's own reads wait 30 s for an absent element: a poll over one made a
// read, then a last one after its time ran out, and the test hit its 60 s timeout without naming
// what it waited for (tests/README.md, "Polls in the end-to-end tests"). A negative poll (.not) is
// the other way round: a null for a missing element would pass it, so it reads the waiting way.
// A locator's evaluate() waits too, but a page's does not, and the source alone cannot tell them
// apart: that one is left to review.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './function-lengths.ts';

/** Playwright's locator reads that wait for their element, and the read to use in a poll instead. */
const WAITING_READS: Record<string, string> = {
  textContent: 'textNow',
  innerText: 'textNow',
  getAttribute: 'attributeNow',
  inputValue: 'valueNow',
  isEnabled: 'enabledNow',
  isChecked: 'checkedNow',
  exerciseState: 'exerciseStateNow',
};
const NOW_READS = new Set(Object.values(WAITING_READS).concat('evaluateNow'));
/** Calls whose function arguments run in the browser, where getAttribute is the DOM's own. */
const RUN_IN_THE_BROWSER = new Set(['evaluate', 'evaluateAll', 'evaluateHandle', 'waitForFunction', 'evaluateNow']);

/** "file read" of a poll that still reads the waiting way, and why. */
const STILL_WAITING: Record<string, string> = {};

/** The name a call is made by: `textContent` of `x.textContent()`, `exerciseState` of `exerciseState(page, id)`. */
function calledName(call: ts.CallExpression): string | undefined {
  if (ts.isPropertyAccessExpression(call.expression)) return call.expression.name.text;
  return ts.isIdentifier(call.expression) ? call.expression.text : undefined;
}

/** The reads a poll's callback makes in Node (not in the functions it hands to the browser). */
function readsIn(callback: ts.Node): ts.CallExpression[] {
  const reads: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = calledName(node) ?? '';
      if (name in WAITING_READS || NOW_READS.has(name)) reads.push(node);
      if (RUN_IN_THE_BROWSER.has(name)) {
        visit(node.expression);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(callback);
  return reads;
}

/** What breaks the rule in one file's source: "file:line what" for each. */
function waitingReadsInPolls(file: string, text: string, allowed: Record<string, string> = STILL_WAITING): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText(source).replace(/\s/g, '') === 'expect.poll' && node.arguments[0]) {
      const negative = ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === 'not';
      const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      for (const read of readsIn(node.arguments[0])) {
        const name = calledName(read)!;
        const shown = read.getText(source).replace(/\s+/g, ' ');
        if (negative && NOW_READS.has(name)) found.push(`${where} a negative poll reads ${shown}: a missing element would pass it`);
        const key = `${file} ${read.expression.getText(source)}(${read.arguments.map((arg) => arg.getText(source)).join(', ')})`;
        if (!negative && name in WAITING_READS && !(key in allowed))
          found.push(`${where} ${shown} waits 30 s for an absent element: read it with ${WAITING_READS[name]}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the end-to-end polls read an element without waiting for it', () => {
  it('in every file of tests/e2e, but for the listed reads', () => {
    const folder = join(ROOT, 'tests/e2e');
    const files = readdirSync(folder).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((name) => waitingReadsInPolls(name, readFileSync(join(folder, name), 'utf8')))).toEqual([]);
  });

  it('fails on a waiting read in a poll and on a Now read in a negative one (the check can fail)', () => {
    const source = `
      await expect.poll(() => cell.locator('x').textContent(), LIVE).toMatch(/201/);
      await expect.poll(() => exerciseState(page, 'a'), LIVE).toBe('passed');
      await expect.poll(() => exerciseStateNow(page, 'b'), LIVE).not.toBe('passed');
      await expect.poll(() => textNow(cell.locator('x')), LIVE).toMatch(/201/);
      await expect.poll(() => exerciseState(page, 'c'), LIVE).not.toBe('passed');
      await expect.poll(() => page.locator('y').evaluateAll((rows) => rows.map((row) => row.getAttribute('z'))), LIVE).toEqual([]);
      await expect.poll(() => row.getAttribute('listed'), LIVE).toBe('1');
      expect(await cell.locator('x').textContent()).toBe('after an explicit wait');
    `;
    const found = waitingReadsInPolls('x.test.ts', source, { "x.test.ts row.getAttribute('listed')": 'a reason' });
    expect(found).toEqual([
      "x.test.ts:2 cell.locator('x').textContent() waits 30 s for an absent element: read it with textNow",
      "x.test.ts:3 exerciseState(page, 'a') waits 30 s for an absent element: read it with exerciseStateNow",
      "x.test.ts:4 a negative poll reads exerciseStateNow(page, 'b'): a missing element would pass it",
    ]);
  });
});
