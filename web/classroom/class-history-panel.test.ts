import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { ClassAction } from '../../contracts/class-channel/messages.ts';
import { LangContext } from '../kit/lang-context.ts';
import { ClassHistoryPanel } from './class-history-panel.tsx';

// The build's lesson index (vite.config.ts) is not needed by these lines: no exercise is named.
vi.mock('virtual:wirelab-lesson-index', () => ({ default: [] }));
vi.mock('virtual:wirelab-exercise-titles', () => ({ default: {} }));

// "Hide names (for the projector)" hides them in the history too (issue 35): a rename and a
// removal name students.
const history: ClassAction[] = [
  { ms: 2_000, kind: 'removed', text: 'Ольга П.' },
  { ms: 1_000, kind: 'renamed', from: 'Ольга', text: 'Ольга П.' },
  { ms: 500, kind: 'notice', text: 'Упражнение 3' },
  { ms: 100, kind: 'joins-limited', text: 'LIMIT_CLASS_JOINS_PER_ADDRESS', limit: 20 },
];
const render = (lang: 'ru' | 'en', namesHidden: boolean) =>
  renderToString(createElement(LangContext.Provider, { value: lang }, createElement(ClassHistoryPanel, { history, namesHidden })));

describe('<ClassHistoryPanel>', () => {
  it('names the students while names are shown', () => {
    expect(render('ru', false)).toContain('Переименовали Ольга в Ольга П.');
    expect(render('en', false)).toContain('Removed Ольга П.');
  });

  it('says which setting raises the per-address join limit when joins were refused, in both languages', () => {
    expect(render('en', false)).toContain('more than 20 a minute');
    expect(render('en', false)).toContain('LIMIT_CLASS_JOINS_PER_ADDRESS=&lt;more&gt;');
    expect(render('ru', false)).toContain('больше 20 входов в минуту');
    expect(render('ru', false)).toContain('LIMIT_CLASS_JOINS_PER_ADDRESS=&lt;больше&gt;');
  });

  it('names nobody while names are hidden, in both languages; the other lines stay', () => {
    for (const lang of ['ru', 'en'] as const) {
      const html = render(lang, true);
      expect(html).not.toContain('Ольга');
      expect(html).toContain('Упражнение 3');
    }
    expect(render('ru', true)).toContain('Переименовали студента (имена скрыты)');
    expect(render('en', true)).toContain('Removed a student (names are hidden)');
  });
});
