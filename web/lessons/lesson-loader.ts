import type { Lang } from '../kit/lang-context.ts';
import type { LessonIndexEntry, LessonJson } from './lesson-types.ts';
import type { RenderedLesson } from './render-lesson.ts';

// One lazy chunk per lesson and language, fetched when opened: its lesson.json, its cells'
// starting texts and its text rendered at build time (vite.config.ts, `?lesson-page`).
const lessonPages = import.meta.glob<LoadedLesson>('../../lessons/*/*.md', { query: '?lesson-page', import: 'default' });

export interface LoadedLesson {
  json: LessonJson;
  rendered: RenderedLesson;
  /** cell id → its starting text */
  cells: Record<string, string>;
}

export async function loadLesson(entry: LessonIndexEntry, lang: Lang): Promise<LoadedLesson> {
  const load = lessonPages[`../../lessons/${entry.folder}/${lang}.md`];
  if (!load) throw new Error(`lessons/${entry.folder} is incomplete`);
  return load();
}
