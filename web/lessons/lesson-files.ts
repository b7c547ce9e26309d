import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDirectives } from './source-excerpt.ts';
import type { Lang } from '../kit/lang-context.ts';
import { readLessonHeadline } from './lesson-summary.ts';
import type { LessonIndexEntry, LessonSummaries } from './lesson-types.ts';
import { lessonSlug } from './lesson-slug.ts';
import { lessonInterviewQuestions } from './lesson-interview.ts';
import { typesetRussian } from './typography-ru.ts';
import { expandFigures, type CodeFigures } from './lesson-figures.ts';

/** A lesson folder as it lies on disk (node only: the build and the format test read it). */
export interface LessonFolder {
  /** e.g. "02-rest" */
  folder: string;
  slug: string;
  dir: string;
  /** lesson.json's text, or null when the file is missing */
  lessonJson: string | null;
  markdown: Record<Lang, string | null>;
  /** paths relative to the lesson folder, e.g. "cells/create-user.http" */
  cellFiles: string[];
  /** each cell file's text, by its path in `cellFiles` (the format check reads JSON cells) */
  cellTexts?: Record<string, string>;
  /** the repository files its `::source` lines quote, by path from the repository root (absent: missing) */
  sourceTexts?: Record<string, string>;
  /** the capture files its questions ask about (captures/…), by path relative to the lesson folder */
  captureFiles?: Record<string, Uint8Array>;
}

/** Lesson folders are named `<nn>-<slug>`; anything else under lessons/ is not a lesson. */
const LESSON_FOLDER = /^\d+-[a-z0-9-]+$/;

/**
 * Every lesson folder under `lessonsRoot`. With `figures` (lessons/code-figures.ts: the build
 * passes them), the texts come with their `{{figure}}` names replaced by the code's values
 * (web/lessons/lesson-figures.ts); without, as written.
 */
export function readLessonFolders(lessonsRoot: string, figures?: CodeFigures): LessonFolder[] {
  if (!existsSync(lessonsRoot)) return [];
  return readdirSync(lessonsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && LESSON_FOLDER.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((folder) => {
      const dir = join(lessonsRoot, folder);
      const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : null);
      const text = (name: string) => {
        const written = read(name);
        return written !== null && figures ? expandFigures(written, figures).markdown : written;
      };
      const markdown = { en: text('en.md'), ru: text('ru.md') };
      const quoted = new Set([markdown.en, markdown.ru].flatMap((text) => (text ? sourceDirectives(text).map((directive) => directive.path) : [])));
      const repositoryFile = (path: string) => join(lessonsRoot, '..', path);
      const cellsDir = join(dir, 'cells');
      const cellFiles = existsSync(cellsDir)
        ? readdirSync(cellsDir, { withFileTypes: true })
            .filter((file) => file.isFile())
            .map((file) => `cells/${file.name}`)
        : [];
      return {
        folder,
        slug: lessonSlug(folder),
        dir,
        lessonJson: read('lesson.json'),
        markdown,
        cellFiles,
        cellTexts: Object.fromEntries(cellFiles.map((file) => [file, readFileSync(join(dir, file), 'utf8')])),
        sourceTexts: Object.fromEntries(
          [...quoted].filter((path) => existsSync(repositoryFile(path))).map((path) => [path, readFileSync(repositoryFile(path), 'utf8')]),
        ),
        captureFiles: filesIn(dir, 'captures'),
      };
    });
}

/** The files directly in `dir`/`folder`, by "folder/name", as bytes; {} when there is no such folder. */
function filesIn(dir: string, folder: string): Record<string, Uint8Array> {
  const path = join(dir, folder);
  if (!existsSync(path)) return {};
  const files = readdirSync(path, { withFileTypes: true }).filter((file) => file.isFile());
  return Object.fromEntries(files.map((file) => [`${folder}/${file.name}`, new Uint8Array(readFileSync(join(path, file.name)))]));
}

export function buildLessonIndex(folders: LessonFolder[]): LessonIndexEntry[] {
  return folders
    .filter((lesson) => lesson.lessonJson !== null && lesson.markdown.en !== null && lesson.markdown.ru !== null)
    .map((lesson) => {
      const json = JSON.parse(lesson.lessonJson!) as { exercises?: Record<string, unknown> };
      return {
        slug: lesson.slug,
        folder: lesson.folder,
        headline: { en: { title: readLessonHeadline(lesson.markdown.en!).title }, ru: { title: readLessonHeadline(lesson.markdown.ru!).title } },
        exercises: Object.keys(json.exercises ?? {}),
        interviewQuestions: lessonInterviewQuestions(lesson.markdown.en!).length,
      };
    });
}

/** The summaries the index leaves out: a lesson page loads titles only (issue 15, a light lesson page). */
export function buildLessonSummaries(folders: LessonFolder[]): LessonSummaries {
  const summaries: LessonSummaries = {};
  for (const lesson of folders) {
    if (lesson.lessonJson === null || lesson.markdown.en === null || lesson.markdown.ru === null) continue;
    summaries[lesson.slug] = { en: readLessonHeadline(lesson.markdown.en).summary, ru: readLessonHeadline(typesetRussian(lesson.markdown.ru)).summary };
  }
  return summaries;
}
