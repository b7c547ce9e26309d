import { describe, expect, it } from 'vitest';
import { PRESENTER_SHORTCUTS, currentSection, isTypingTarget, presenterAction, sectionTarget, type PresenterKey } from './presenter-keys.ts';

const press = (code: string, key: string, extra: Partial<PresenterKey> = {}): PresenterKey => ({
  code,
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...extra,
});

describe('presenterAction', () => {
  it('maps the bare letters to the presenter flow', () => {
    expect(presenterAction(press('KeyN', 'n'), false)).toBe('next-section');
    expect(presenterAction(press('KeyP', 'p'), false)).toBe('previous-section');
    expect(presenterAction(press('KeyR', 'r'), false)).toBe('run-cell');
    expect(presenterAction(press('KeyI', 'i'), false)).toBe('toggle-inspector');
  });

  it('reads the physical key, so a Russian layout works the same (N is «т», P is «з»)', () => {
    expect(presenterAction(press('KeyN', 'т'), false)).toBe('next-section');
    expect(presenterAction(press('KeyP', 'з'), false)).toBe('previous-section');
    expect(presenterAction(press('KeyR', 'к'), false)).toBe('run-cell');
    expect(presenterAction(press('KeyI', 'ш'), false)).toBe('toggle-inspector');
  });

  it('opens the help on "?" whichever key makes it (Shift+/ in English, Shift+7 in Russian)', () => {
    expect(presenterAction(press('Slash', '?', { shiftKey: true }), false)).toBe('show-help');
    expect(presenterAction(press('Digit7', '?', { shiftKey: true }), false)).toBe('show-help');
    expect(presenterAction(press('Slash', '/'), false)).toBeNull();
  });

  it('fires no bare key while the user types in an editor or a field', () => {
    for (const [code, key] of [
      ['KeyN', 'n'],
      ['KeyP', 'p'],
      ['KeyR', 'r'],
      ['KeyI', 'i'],
      ['Slash', '?'],
    ] as const) {
      expect(presenterAction(press(code, key, { shiftKey: key === '?' }), true)).toBeNull();
    }
  });

  it('toggles projector mode with Alt+P, in an editor too (a modifier is not typing)', () => {
    expect(presenterAction(press('KeyP', 'p', { altKey: true }), false)).toBe('toggle-projector');
    expect(presenterAction(press('KeyP', 'π', { altKey: true }), true)).toBe('toggle-projector');
    expect(presenterAction(press('KeyP', 'P', { altKey: true, shiftKey: true }), false)).toBeNull();
  });

  it('leaves Ctrl and Cmd combinations to the browser and Monaco (Ctrl+Enter runs, Ctrl+M is the tab mode)', () => {
    expect(presenterAction(press('KeyN', 'n', { ctrlKey: true }), false)).toBeNull();
    expect(presenterAction(press('KeyR', 'r', { metaKey: true }), false)).toBeNull();
    expect(presenterAction(press('Enter', 'Enter', { ctrlKey: true }), false)).toBeNull();
    expect(presenterAction(press('KeyP', 'p', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(presenterAction(press('KeyM', 'm', { ctrlKey: true }), true)).toBeNull();
  });

  it('ignores Shift+letter, Tab, Esc and unknown keys (Tab and Esc stay the way out of an editor)', () => {
    expect(presenterAction(press('KeyN', 'N', { shiftKey: true }), false)).toBeNull();
    expect(presenterAction(press('Tab', 'Tab'), false)).toBeNull();
    expect(presenterAction(press('Tab', 'Tab'), true)).toBeNull();
    expect(presenterAction(press('Escape', 'Escape'), true)).toBeNull();
    expect(presenterAction(press('KeyX', 'x'), false)).toBeNull();
  });

  it('does not repeat a held key (no flying through sections, no cell sent twice)', () => {
    expect(presenterAction(press('KeyN', 'n', { repeat: true }), false)).toBeNull();
    expect(presenterAction(press('KeyR', 'r', { repeat: true }), false)).toBeNull();
  });

  it('lists every action it can return, once', () => {
    const actions = PRESENTER_SHORTCUTS.map((shortcut) => shortcut.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions.sort()).toEqual(['next-section', 'previous-section', 'run-cell', 'show-help', 'toggle-inspector', 'toggle-projector']);
  });
});

describe('sectionTarget', () => {
  // three headings; the one scrolled to rests 80 px from the top (below the sticky header)
  const anchor = 80;

  it('goes from the title to the first heading, then heading by heading', () => {
    expect(sectionTarget([300, 1200, 2400], anchor, 'next')).toBe(0);
    expect(sectionTarget([80, 980, 2180], anchor, 'next')).toBe(1);
    // a heading that rests a pixel off after scrolling still counts as the one shown
    expect(sectionTarget([-820, 81.5, 1281], anchor, 'next')).toBe(2);
  });

  it('has nowhere to go after the last heading', () => {
    expect(sectionTarget([-2000, -800, 80], anchor, 'next')).toBeNull();
  });

  it('goes back to the previous heading, and from the first one to the title', () => {
    expect(sectionTarget([-820, 80, 1280], anchor, 'previous')).toBe(0);
    expect(sectionTarget([80, 980, 2180], anchor, 'previous')).toBe('start');
    expect(sectionTarget([300, 1200], anchor, 'previous')).toBe('start');
  });

  it('from the middle of a section goes back to its own heading first', () => {
    expect(sectionTarget([-1500, -300, 900], anchor, 'previous')).toBe(1);
  });

  it('does nothing on a lesson without sections but go to the title', () => {
    expect(sectionTarget([], anchor, 'next')).toBeNull();
    expect(sectionTarget([], anchor, 'previous')).toBe('start');
  });
});

describe('currentSection', () => {
  it('is the last heading at or above the resting line', () => {
    expect(currentSection([300, 1200], 80)).toBe(-1);
    expect(currentSection([80, 980], 80)).toBe(0);
    expect(currentSection([-500, 82, 900], 80)).toBe(1);
    expect(currentSection([-2000, -900, -10], 80)).toBe(2);
  });
});

describe('isTypingTarget', () => {
  const element = (tagName: string, extra: { type?: string; isContentEditable?: boolean; inEditor?: boolean } = {}) => ({
    tagName,
    type: extra.type,
    isContentEditable: extra.isContentEditable ?? false,
    closest: (selector: string) => (extra.inEditor && selector === '.monaco-editor' ? {} : null),
  });

  it('counts text fields, text areas, selects, editable content and anything in Monaco', () => {
    expect(isTypingTarget(element('textarea'))).toBe(true);
    expect(isTypingTarget(element('INPUT'))).toBe(true);
    expect(isTypingTarget(element('input', { type: 'search' }))).toBe(true);
    expect(isTypingTarget(element('SELECT'))).toBe(true);
    expect(isTypingTarget(element('DIV', { isContentEditable: true }))).toBe(true);
    expect(isTypingTarget(element('DIV', { inEditor: true }))).toBe(true);
  });

  it('does not count buttons, checkboxes, links, headings or the page itself', () => {
    expect(isTypingTarget(element('BUTTON'))).toBe(false);
    expect(isTypingTarget(element('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(element('A'))).toBe(false);
    expect(isTypingTarget(element('H2'))).toBe(false);
    expect(isTypingTarget(element('BODY'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
