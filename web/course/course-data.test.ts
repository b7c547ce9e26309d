import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingsOf } from '../lessons/lesson-directives.ts';
import { readLessonFolders } from '../lessons/lesson-files.ts';
import { chooseTextEn } from './choose-text.en.ts';
import { chooseTextRu } from './choose-text.ru.ts';
import { QUESTIONS, QUESTION_IDS, REASONS, recommend, type Answers } from './choose-protocol.ts';
import { lessonInterviewQuestions } from '../lessons/lesson-interview.ts';
import { MATRIX, PROTOCOLS, USE_CASES, VERDICTS, matrixProofs, proofHref, type Proof } from './matrix-data.ts';
import { matrixTextEn } from './matrix-text.en.ts';
import { matrixTextRu } from './matrix-text.ru.ts';
import { QUIZ_QUESTIONS } from './quiz-data.ts';
import { quizTextEn } from './quiz-text.en.ts';
import { quizTextRu } from './quiz-text.ru.ts';

const lessons = readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons'));

/** slug → the heading ids both languages of the lesson share */
const sectionIds = new Map(
  lessons.map((lesson) => {
    const ids = (lang: 'en' | 'ru') => new Set(headingsOf(lesson.markdown[lang] ?? '').flatMap((heading) => (heading.id ? [heading.id] : [])));
    const en = ids('en');
    const ru = ids('ru');
    return [lesson.slug, new Set([...en].filter((id) => ru.has(id)))];
  }),
);

function proofProblem(proof: Proof): string | null {
  if ('lab' in proof) return proof.lab === 'compare' ? null : `unknown lab page ${proof.lab}`;
  const ids = sectionIds.get(proof.lesson);
  if (!ids) return `no lesson ${proof.lesson}`;
  return ids.has(proof.section) ? null : `${proof.lesson} has no section #${proof.section} in both languages`;
}

/** Every key path of a value (objects walked), for parity between languages. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

function leaves(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object') return [value];
  return Object.values(value).flatMap(leaves);
}

describe('the decision matrix', () => {
  it('has a verdict and a proof for every use case × protocol', () => {
    for (const useCase of USE_CASES) {
      for (const protocol of PROTOCOLS) {
        expect(VERDICTS, `${useCase} × ${protocol}`).toContain(MATRIX[useCase][protocol].verdict);
      }
    }
    expect(Object.keys(MATRIX).sort()).toEqual([...USE_CASES].sort());
  });

  it('says the same things in English and Russian, none of them empty', () => {
    expect(keyPaths(matrixTextRu).sort()).toEqual(keyPaths(matrixTextEn).sort());
    for (const text of [matrixTextEn, matrixTextRu]) {
      for (const useCase of USE_CASES)
        for (const protocol of PROTOCOLS) expect(text.reasons[useCase][protocol]?.trim(), `${useCase} × ${protocol}`).toBeTruthy();
      expect(leaves(text).every((leaf) => typeof leaf === 'string' && leaf.trim() !== '')).toBe(true);
    }
  });

  it('links every cell to a lesson section that exists in both languages, or to the lab', () => {
    const problems = matrixProofs().map(proofProblem).filter(Boolean);
    expect(problems).toEqual([]);
    expect(matrixProofs().some((proof) => 'lab' in proof)).toBe(true);
  });

  it('writes the links as the app routes them', () => {
    expect(proofHref({ lesson: 'rest', section: 'methods' }, 'ru')).toBe('/ru/rest#methods');
    expect(proofHref({ lab: 'compare' }, 'en')).toBe('/en/compare');
  });

  it('fails a proof that points nowhere (the check above can fail)', () => {
    expect(proofProblem({ lesson: 'rest', section: 'no-such-section' })).toMatch(/no section/);
    expect(proofProblem({ lesson: 'no-such-lesson', section: 'x' })).toMatch(/no lesson/);
  });
});

describe('"choose for me"', () => {
  const every: Answers[] = [];
  const walk = (index: number, partial: Partial<Answers>) => {
    if (index === QUESTION_IDS.length) return void every.push(partial as Answers);
    const id = QUESTION_IDS[index];
    for (const option of QUESTIONS[id]) walk(index + 1, { ...partial, [id]: option });
  };
  walk(0, {});

  it('has words for every question, option and reason in both languages', () => {
    expect(keyPaths(chooseTextRu).sort()).toEqual(keyPaths(chooseTextEn).sort());
    for (const id of QUESTION_IDS) expect(Object.keys(chooseTextEn.questions[id].options).sort()).toEqual([...QUESTIONS[id]].sort());
    expect(Object.keys(chooseTextEn.reasons).sort()).toEqual(Object.keys(REASONS).sort());
  });

  it('recommends something with reasons for each of the combinations, its proofs resolving', () => {
    expect(every).toHaveLength(3 * 3 * 2 * 2 * 2);
    for (const answers of every) {
      const result = recommend(answers);
      expect(PROTOCOLS).toContain(result.protocol);
      expect(result.reasons.length).toBeGreaterThan(0);
      expect(result.alternatives).not.toContain(result.protocol);
    }
    expect(Object.values(REASONS).map(proofProblem).filter(Boolean)).toEqual([]);
  });

  it('lands where the course argues it should', () => {
    const base: Answers = { clients: 'browsers', sender: 'client', frequency: 'rare', durable: 'no', audience: 'public' };
    expect(recommend(base).protocol).toBe('rest');
    expect(recommend({ ...base, clients: 'services', audience: 'internal' }).protocol).toBe('grpc');
    expect(recommend({ ...base, sender: 'server' }).protocol).toBe('sse');
    expect(recommend({ ...base, sender: 'both', frequency: 'often' }).protocol).toBe('websocket');
    expect(recommend({ ...base, durable: 'yes' }).protocol).toBe('queue');
    expect(recommend({ ...base, durable: 'yes' }).reasons).toContain('queue-survives');
    expect(recommend({ ...base, clients: 'mobile', audience: 'internal' }).protocol).toBe('graphql');
  });
});

describe('the interview quiz', () => {
  it('has its text in both languages, with the same options and items', () => {
    for (const question of QUIZ_QUESTIONS) {
      for (const [lang, text] of [
        ['en', quizTextEn[question.id]],
        ['ru', quizTextRu[question.id]],
      ] as const) {
        expect(text, `${question.id} in ${lang}`).toBeDefined();
        expect(text.prompt.trim() && text.answer.trim(), `${question.id} in ${lang}`).toBeTruthy();
        if (question.kind === 'choice')
          expect(Object.keys(text.options ?? {}).sort(), `${question.id} options in ${lang}`).toEqual([...question.options].sort());
        if (question.kind === 'order') expect(Object.keys(text.items ?? {}).sort(), `${question.id} items in ${lang}`).toEqual([...question.items].sort());
      }
    }
    expect(Object.keys(quizTextEn).sort()).toEqual(QUIZ_QUESTIONS.map((question) => question.id).sort());
    expect(Object.keys(quizTextRu).sort()).toEqual(Object.keys(quizTextEn).sort());
  });

  it('has unique ids, right answers among the options, and every kind at every level it needs', () => {
    const ids = QUIZ_QUESTIONS.map((question) => question.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const question of QUIZ_QUESTIONS) if (question.kind === 'choice') for (const right of question.correct) expect(question.options).toContain(right);
    for (const level of ['basic', 'intermediate', 'advanced']) expect(QUIZ_QUESTIONS.some((question) => question.level === level)).toBe(true);
    for (const kind of ['choice', 'order', 'bytes', 'open']) expect(QUIZ_QUESTIONS.some((question) => question.kind === kind)).toBe(true);
  });

  it('links every answer to the lesson section that teaches it', () => {
    expect(QUIZ_QUESTIONS.map((question) => proofProblem(question.teach)).filter(Boolean)).toEqual([]);
  });

  it('takes the lessons’ own interview questions, the same number in both languages', () => {
    let total = 0;
    for (const lesson of lessons) {
      const en = lessonInterviewQuestions(lesson.markdown.en ?? '');
      const ru = lessonInterviewQuestions(lesson.markdown.ru ?? '');
      expect(ru.length, lesson.folder).toBe(en.length);
      expect(
        ru.map((question) => question.answer === null),
        lesson.folder,
      ).toEqual(en.map((question) => question.answer === null));
      for (const question of en) expect(sectionIds.get(lesson.slug)?.has(question.section), `${lesson.folder}#${question.section}`).toBe(true);
      total += en.length;
    }
    expect(total).toBeGreaterThan(30);
  });
});
