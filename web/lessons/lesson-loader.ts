import type { Lang } from '../app/lang-context.ts';
import type { LessonIndexEntry, LessonJson } from './lesson-types.ts';
import { expandSources, sourceDirectives } from './source-excerpt.ts';

// Lazy globs: each lesson's text and cells become their own small chunks, fetched when opened.
const lessonJsons = import.meta.glob<LessonJson>('../../lessons/*/lesson.json', { import: 'default' });
const markdowns = import.meta.glob<string>('../../lessons/*/*.md', { query: '?raw', import: 'default' });
const cellTexts = import.meta.glob<string>('../../lessons/*/cells/*', { query: '?raw', import: 'default' });
// What `::source` may quote (source-excerpt.ts): the contracts and the code generated from them.
const sourceTexts = import.meta.glob<string>(['../../proto/wirelab/**/*.proto', '../../proto/gen/wirelab/**/*.ts'], { query: '?raw', import: 'default' });

export interface LoadedLesson {
  json: LessonJson;
  markdown: string;
  /** cell id → its starting text */
  cells: Record<string, string>;
}

export async function loadLesson(entry: LessonIndexEntry, lang: Lang): Promise<LoadedLesson> {
  const base = `../../lessons/${entry.folder}`;
  const loadJson = lessonJsons[`${base}/lesson.json`];
  const loadMarkdown = markdowns[`${base}/${lang}.md`];
  if (!loadJson || !loadMarkdown) throw new Error(`lessons/${entry.folder} is incomplete`);
  const [json, rawMarkdown] = await Promise.all([loadJson(), loadMarkdown()]);
  const paths = [...new Set(sourceDirectives(rawMarkdown).map((directive) => directive.path))];
  const sources = new Map(await Promise.all(paths.map(async (path) => [path, await sourceTexts[`../../${path}`]?.()] as const)));
  // A missing file or declaration is a lesson-format error (lesson-format.ts); here it just shows nothing.
  const { markdown } = expandSources(rawMarkdown, (path) => sources.get(path));
  const cells = Object.fromEntries(
    await Promise.all(
      Object.entries(json.cells ?? {}).map(async ([id, cell]) => {
        const load = cellTexts[`${base}/${cell.file}`];
        if (!load) throw new Error(`lessons/${entry.folder}/${cell.file} is missing`);
        return [id, await load()] as const;
      }),
    ),
  );
  return { json, markdown, cells };
}
