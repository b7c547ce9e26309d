import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's source, evaluated in the page (the app's CSP forbids inline script tags, not the debugger's evaluation). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Which rules run where: by default every rule below on the whole document. */
export interface AxeScope {
  /** rules left out */
  readonly skipRules?: readonly string[];
  /** only these rules (still within the tags below) */
  readonly onlyRules?: readonly string[];
  /** a CSS selector: only the elements it matches (and what is inside them) */
  readonly include?: string;
}

/** Every rule of WCAG 2.1 A and AA, and axe's best practices, that the page breaks: `rule: node, node…`. */
export async function axeViolations(page: Page, scope: AxeScope = {}): Promise<string[]> {
  // axe's half a megabyte is parsed once per document, not once per run (a page checked at two widths)
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ skipRules, onlyRules, include }) => {
      const axe = (
        window as unknown as {
          axe: {
            run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }>;
          };
        }
      ).axe;
      const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
      // label-content-name-mismatch (WCAG 2.5.3) is tagged experimental, so the tags alone leave it out (issue 39 item 7)
      const rules: Record<string, { enabled: boolean }> = { 'label-content-name-mismatch': { enabled: true } };
      for (const rule of skipRules) rules[rule] = { enabled: false };
      // Only the violations are read: with resultTypes naming them, axe keeps one node of each pass,
      // incomplete and inapplicable result instead of every node, and so builds a CSS selector for
      // one node of each, not for every node of the page (4 % less CPU on a lesson page's three runs).
      const scopeOptions = onlyRules ? { runOnly: { type: 'rule', values: onlyRules } } : { runOnly: { type: 'tag', values: tags }, rules };
      const result = await axe.run(include ? { include: [[include]] } : document, { ...scopeOptions, resultTypes: ['violations'] });
      return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    },
    { skipRules: scope.skipRules ?? [], onlyRules: scope.onlyRules, include: scope.include },
  );
}
