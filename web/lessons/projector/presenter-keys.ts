// The presenter's keyboard, as pure functions (no DOM): which key does what, and which heading
// "next" and "previous" go to. projector-mode.tsx applies them to the page.

export type PresenterAction = 'next-section' | 'previous-section' | 'run-cell' | 'toggle-inspector' | 'toggle-projector' | 'show-help';

/** The parts of a KeyboardEvent that decide. */
export interface PresenterKey {
  key: string;
  /** the physical key (`KeyN`): letters work whatever the layout, ЙЦУКЕН included */
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat?: boolean;
}

/** The shortcuts, for the legend, the help overlay and `presenterAction` alike. */
export const PRESENTER_SHORTCUTS: ReadonlyArray<{ action: PresenterAction; keys: readonly string[] }> = [
  { action: 'next-section', keys: ['N'] },
  { action: 'previous-section', keys: ['P'] },
  { action: 'run-cell', keys: ['R'] },
  { action: 'toggle-inspector', keys: ['I'] },
  { action: 'toggle-projector', keys: ['Alt', 'P'] },
  { action: 'show-help', keys: ['?'] },
];

const LETTER_ACTIONS: Record<string, PresenterAction> = {
  KeyN: 'next-section',
  KeyP: 'previous-section',
  KeyR: 'run-cell',
  KeyI: 'toggle-inspector',
};

/**
 * What a key press asks of the presenter flow, or null when it is not ours.
 * `typing`: the focus is in an editor, a text field or anything editable. There, bare letters
 * are the student's text (and Monaco's keys stay Monaco's): only the Alt shortcut applies.
 * Ctrl/Cmd combinations are always left to the browser and the editors (Ctrl+Enter runs a cell).
 */
export function presenterAction(event: PresenterKey, typing: boolean): PresenterAction | null {
  if (event.ctrlKey || event.metaKey) return null;
  if (event.altKey) return event.code === 'KeyP' && !event.shiftKey ? 'toggle-projector' : null;
  if (typing) return null;
  // '?' is Shift+/ on a US keyboard and Shift+7 on a Russian one: the character decides
  if (event.key === '?') return 'show-help';
  if (event.shiftKey) return null;
  // a held key would fly through the sections; running a cell twice by accident sends twice
  if (event.repeat) return null;
  return LETTER_ACTIONS[event.code] ?? null;
}

/**
 * The heading to scroll to. `tops`: each section heading's distance from the top of the
 * viewport, in document order; `anchor`: where a heading scrolled to rests (below the sticky
 * header). Returns the heading's index, 'start' (above the first heading: the lesson's title),
 * or null when there is nowhere further to go.
 * A heading within `slack` px of the anchor counts as the one being shown, so "next" after
 * "next" never stays put on rounding, and "previous" in the middle of a section goes back to
 * that section's own heading first, as a presenter expects.
 */
export function sectionTarget(tops: readonly number[], anchor: number, direction: 'next' | 'previous', slack = 4): number | 'start' | null {
  if (direction === 'next') {
    const index = tops.findIndex((top) => top > anchor + slack);
    return index === -1 ? null : index;
  }
  for (let index = tops.length - 1; index >= 0; index -= 1) {
    if (tops[index] < anchor - slack) return index;
  }
  return 'start';
}

/**
 * The section being shown: the last heading at or above the anchor (-1: still above the first).
 */
export function currentSection(tops: readonly number[], anchor: number, slack = 4): number {
  let current = -1;
  tops.forEach((top, index) => {
    if (top <= anchor + slack) current = index;
  });
  return current;
}

/** Whether a focused element takes typed text (bare letters must stay text there). */
export function isTypingTarget(element: { tagName: string; isContentEditable?: boolean; type?: string; closest?(selector: string): unknown } | null): boolean {
  if (!element) return false;
  if (element.isContentEditable) return true;
  const tag = element.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT')
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes((element.type ?? 'text').toLowerCase());
  // Monaco's own input is a textarea, but anything inside an editor counts
  return Boolean(element.closest?.('.monaco-editor'));
}

export { TOGGLE_INSPECTOR_EVENT } from './toggle-inspector-event.ts';
