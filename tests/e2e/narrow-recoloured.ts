import type { Page } from 'playwright-core';

/**
 * What colour contrast depends on (WCAG 1.4.3: the text's colour, the backgrounds behind it, and
 * whether it counts as large text), per element of the page, as the browser computes it now.
 */
const CONTRAST_INPUTS = [
  'color',
  'backgroundColor',
  'backgroundImage',
  'opacity',
  'filter',
  'mixBlendMode',
  'visibility',
  'display',
  'fontSize',
  'fontWeight',
] as const;

/** Marks the page's elements with their contrast inputs at the current width (read back by markRecoloured). */
export async function rememberContrastInputs(page: Page): Promise<void> {
  await page.evaluate((inputs) => {
    const seen = new WeakMap<Element, string>();
    for (const element of document.querySelectorAll('body *')) {
      const style = getComputedStyle(element);
      seen.set(element, inputs.map((input) => style[input]).join('|'));
    }
    (window as unknown as { contrastInputsBefore: WeakMap<Element, string> }).contrastInputsBefore = seen;
  }, CONTRAST_INPUTS);
}

/**
 * After a resize: marks with `data-axe-recoloured` every element whose contrast inputs changed (or
 * that is new), and everything inside one whose background or opacity changed (a background is
 * not inherited, so the text inside keeps its own computed style while what is behind it changes).
 * Returns how many it marked; the selector for axe's context is `[data-axe-recoloured]`.
 */
export async function markRecoloured(page: Page): Promise<number> {
  return page.evaluate((inputs) => {
    const before = (window as unknown as { contrastInputsBefore?: WeakMap<Element, string> }).contrastInputsBefore;
    let marked = 0;
    for (const element of document.querySelectorAll('body *')) {
      const style = getComputedStyle(element);
      const now = inputs.map((input) => style[input]).join('|');
      if (before?.get(element) === now) continue;
      for (const inner of [element, ...element.querySelectorAll('*')]) {
        if (inner.hasAttribute('data-axe-recoloured')) continue;
        inner.setAttribute('data-axe-recoloured', '');
        marked += 1;
      }
    }
    return marked;
  }, CONTRAST_INPUTS);
}
