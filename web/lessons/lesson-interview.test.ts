import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLessonIndex, readLessonFolders } from './lesson-files.ts';
import { lessonInterviewQuestions } from './lesson-interview.ts';

const folders = readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons'));

/** The one wording of the two closing headings each lesson may have (issue 39 item 3). */
const HEADINGS = {
  en: { interview: 'Interview questions', 'ideal-for': 'Ideal for' },
  ru: { interview: 'Вопросы на собеседовании', 'ideal-for': 'Идеально подходит для' },
} as const;

describe('the interview quiz (/ru/quiz, /en/quiz) takes questions from every lesson', () => {
  it('finds all 15 lessons in the index the quiz reads, each with questions', () => {
    const index = buildLessonIndex(folders);
    expect(index).toHaveLength(15);
    expect(index.filter((entry) => entry.interviewQuestions === 0).map((entry) => entry.folder)).toEqual([]);
  });

  for (const lesson of folders) {
    it(`${lesson.folder}: at least three questions, in both languages`, () => {
      for (const lang of ['en', 'ru'] as const) {
        const questions = lessonInterviewQuestions(lesson.markdown[lang] ?? '');
        expect(questions.length, `${lesson.folder}/${lang}.md`).toBeGreaterThanOrEqual(3);
      }
    });
  }

  it('gives every lesson its own "Interview questions" section (## … {#interview}), not a subsection of another', () => {
    const without = folders.flatMap((lesson) =>
      (['en', 'ru'] as const).filter((lang) => !/^## .+ \{#interview\}$/m.test(lesson.markdown[lang] ?? '')).map((lang) => `${lesson.folder}/${lang}.md`),
    );
    expect(without).toEqual([]);
  });

  it('words the interview and "ideal for" headings one way in each language', () => {
    const drift: string[] = [];
    for (const lesson of folders) {
      for (const lang of ['en', 'ru'] as const) {
        for (const match of (lesson.markdown[lang] ?? '').matchAll(/^#{2,3} (.+?) \{#(interview|questions|ideal-for)\}$/gm)) {
          const wanted = HEADINGS[lang][match[2] === 'ideal-for' ? 'ideal-for' : 'interview'];
          if (match[1] !== wanted) drift.push(`${lesson.folder}/${lang}.md: «${match[1]}» — write «${wanted}»`);
        }
      }
    }
    expect(drift).toEqual([]);
  });
});
