import { currentSection, sectionTarget } from './presenter-keys.ts';

/** The sections a presenter steps through: the lesson's h2 headings (they carry ids). */
const SECTION_HEADINGS = 'article.lesson h2[id]';

/** Where a heading scrolled to the top rests: the page's scroll padding (below the sticky header). */
function restingTop(): number {
  return parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
}

function sectionHeadings(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(SECTION_HEADINGS)];
}

function showHeading(heading: HTMLElement): void {
  heading.scrollIntoView({ block: 'start' });
  // the keyboard's place moves with the view: Tab continues from this section, and the next
  // "run" is this section's cell, not the one that had the focus before
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
}

export function goToSection(direction: 'next' | 'previous'): void {
  const headings = sectionHeadings();
  const target = sectionTarget(
    headings.map((heading) => heading.getBoundingClientRect().top),
    restingTop(),
    direction,
  );
  if (target === null) return;
  if (target !== 'start') {
    showHeading(headings[target]);
    return;
  }
  window.scrollTo({ top: 0 });
  const title = document.querySelector<HTMLElement>('.lesson-header h1');
  if (title) {
    if (!title.hasAttribute('tabindex')) title.setAttribute('tabindex', '-1');
    title.focus({ preventScroll: true });
  }
}

const follows = (a: Node, b: Node) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);

/** The cell the focus is in; else the first cell of the section being shown; else the first one in view. */
export function cellToRun(): HTMLElement | null {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>('.cell-slot') : null;
  if (focused) return focused;
  const slots = [...document.querySelectorAll<HTMLElement>('article.lesson .cell-slot')];
  const headings = sectionHeadings();
  const index = currentSection(
    headings.map((heading) => heading.getBoundingClientRect().top),
    restingTop(),
  );
  const start = index >= 0 ? headings[index] : null;
  const end = headings[index + 1] ?? null;
  const inSection = slots.find((slot) => (!start || follows(start, slot)) && (!end || follows(slot, end)));
  if (inSection) return inSection;
  return (
    slots.find((slot) => {
      const box = slot.getBoundingClientRect();
      return box.bottom > restingTop() && box.top < window.innerHeight;
    }) ?? null
  );
}

/** A cell's main action: its Run button, or (consoles) its first enabled primary button: Connect, Start. */
export function runButton(slot: HTMLElement): HTMLButtonElement | null {
  const run = slot.querySelector<HTMLButtonElement>('[data-testid="cell-run"]:not(:disabled)');
  return run ?? slot.querySelector<HTMLButtonElement>('button.button-primary:not(:disabled)');
}

/** The section heading at the top of the view now, if any. */
export function shownHeading(): HTMLElement | undefined {
  const headings = sectionHeadings();
  return headings[
    currentSection(
      headings.map((heading) => heading.getBoundingClientRect().top),
      restingTop(),
    )
  ];
}
