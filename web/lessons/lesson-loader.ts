import type { Lang } from '../kit/lang-context.ts';
import type { LessonIndexEntry, LessonJson } from './lesson-types.ts';
import type { LessonBlock, RenderedLesson } from './render-lesson.ts';

// One lazy chunk per lesson and language, fetched when opened: its lesson.json, its text rendered
// at build time down to a screen past its first cell, and those cells' starting texts
// (vite.config.ts, `?lesson-page`); the rest of the text in a second one (`more`).
const lessonPages = import.meta.glob<LoadedLesson>('../../lessons/*/*.md', { query: '?lesson-page', import: 'default' });

export interface LoadedLesson {
  json: LessonJson;
  rendered: RenderedLesson;
  /** cell id → its starting text */
  cells: Record<string, string>;
  /**
   * the rest of the text and its cells (web/lessons/lesson-split.ts), to fetch once the first
   * part is on the page; null when the first part is the whole text
   */
  more: (() => Promise<{ default: LessonMore }>) | null;
}

/** The blocks after the page's first part, and the starting texts of their cells. */
export interface LessonMore {
  blocks: LessonBlock[];
  cells: Record<string, string>;
}

export async function loadLesson(entry: LessonIndexEntry, lang: Lang): Promise<LoadedLesson> {
  const load = lessonPages[`../../lessons/${entry.folder}/${lang}.md`];
  if (!load) throw new Error(`lessons/${entry.folder} is incomplete`);
  return load();
}
