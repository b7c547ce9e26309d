import type { Lang } from '../app/lang-context.ts';
import type { LessonIndexEntry, LessonJson } from './lesson-types.ts';
import type { RenderedLesson } from './render-lesson.ts';

// Lazy globs: each lesson's text and cells become their own small chunks, fetched when opened.
const lessonJsons = import.meta.glob<LessonJson>('../../lessons/*/lesson.json', { import: 'default' });
// The text comes rendered at build time (vite.config.ts, `?rendered`): no markdown parser in the page.
const renderedTexts = import.meta.glob<RenderedLesson>('../../lessons/*/*.md', { query: '?rendered', import: 'default' });
const cellTexts = import.meta.glob<string>('../../lessons/*/cells/*', { query: '?raw', import: 'default' });

export interface LoadedLesson {
  json: LessonJson;
  rendered: RenderedLesson;
  /** cell id → its starting text */
  cells: Record<string, string>;
}

export async function loadLesson(entry: LessonIndexEntry, lang: Lang): Promise<LoadedLesson> {
  const base = `../../lessons/${entry.folder}`;
  const loadJson = lessonJsons[`${base}/lesson.json`];
  const loadText = renderedTexts[`${base}/${lang}.md`];
  if (!loadJson || !loadText) throw new Error(`lessons/${entry.folder} is incomplete`);
  const [json, rendered] = await Promise.all([loadJson(), loadText()]);
  const cells = Object.fromEntries(
    await Promise.all(
      Object.entries(json.cells ?? {}).map(async ([id, cell]) => {
        const load = cellTexts[`${base}/${cell.file}`];
        if (!load) throw new Error(`lessons/${entry.folder}/${cell.file} is missing`);
        return [id, await load()] as const;
      }),
    ),
  );
  return { json, rendered, cells };
}
