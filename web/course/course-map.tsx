import { useEffect } from 'react';
import lessonSummaries from 'virtual:wirelab-lesson-summaries';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import type { LessonIndexEntry } from '../lessons/lesson-types.ts';
import { useProgress } from '../lessons/progress.ts';
import { QUIZ_QUESTIONS } from './quiz-data.ts';
import { allQuizQuestionIds, courseProgress } from './course-progress.ts';
import { MY_PROGRESS_ID, MyProgress } from './my-progress.tsx';
import { courseStrings } from './strings.ts';
import { glossaryStrings } from '../glossary/strings.ts';
import './course.css';

/**
 * The course at a glance: every lesson the build found, in the folders' order, with the exercises
 * this browser solved (the same progress store the lessons write), then the pages that close it.
 */
export function CourseMap({ lessons }: { lessons: readonly LessonIndexEntry[] }) {
  const lang = useLang();
  const t = useStrings(courseStrings);
  const glossary = useStrings(glossaryStrings);
  const app = useStrings(appStrings);
  const progress = useProgress();
  const summary = courseProgress(
    lessons,
    progress,
    allQuizQuestionIds(
      QUIZ_QUESTIONS.map((question) => question.id),
      lessons,
    ),
  );

  useEffect(() => {
    document.title = `${t.mapTitle} — ${app.appName}`;
  }, [t, app]);

  return (
    <div className="course-page" data-testid="course-map">
      <header className="course-header">
        <h1>{t.mapTitle}</h1>
        <p className="lead">{t.mapIntro}</p>
        <p className="course-total" data-testid="course-total" data-done={summary.done} data-total={summary.total}>
          {t.mapTotal(summary.done, summary.total)}
        </p>
        <p>
          <a href={`#${MY_PROGRESS_ID}`} data-testid="my-progress-link">
            {t.myProgressLink}
          </a>
        </p>
      </header>
      <ol className="course-map">
        {summary.lessons.map(({ lesson, done, total }, index) => (
          <li
            key={lesson.slug}
            className={`course-stop ${total > 0 && done === total ? 'is-complete' : ''}`}
            data-testid="course-lesson"
            data-slug={lesson.slug}
            data-done={done}
            data-total={total}
          >
            <span className="course-stop-number" aria-hidden="true">
              {index + 1}
            </span>
            <Link href={`/${lang}/${lesson.slug}`} className="course-stop-title">
              {lesson.headline[lang].title}
            </Link>
            <span className="course-stop-summary">{lessonSummaries[lesson.slug]?.[lang]}</span>
            <span className="course-stop-progress">
              <span className="progress-bar" aria-hidden="true">
                <span style={{ width: total ? `${(100 * done) / total}%` : 0 }} />
              </span>
              {t.exercisesDone(done, total)}
            </span>
          </li>
        ))}
      </ol>
      <h2 className="course-after">{t.afterLessons}</h2>
      <ul className="course-extras">
        <li>
          <Link href={`/${lang}/matrix`} data-testid="course-matrix-link">
            {t.matrixTitle}
          </Link>
          <span>{t.matrixBlurb}</span>
        </li>
        <li data-testid="course-quiz" data-done={summary.quiz.done} data-total={summary.quiz.total}>
          <Link href={`/${lang}/quiz`} data-testid="course-quiz-link">
            {t.quizTitle}
          </Link>
          <span>{t.quizBlurb}</span>
          <span className="course-stop-progress">{t.questionsDone(summary.quiz.done, summary.quiz.total)}</span>
        </li>
        <li>
          {/* the comparison lab is a page of its own (another part of issue 11) */}
          <a href={`/${lang}/compare`} data-testid="course-compare-link">
            {t.compareTitle}
          </a>
          <span>{t.compareBlurb}</span>
        </li>
        <li>
          <Link href={`/${lang}/glossary`} data-testid="course-glossary-link">
            {glossary.title}
          </Link>
          <span>{glossary.lead}</span>
        </li>
      </ul>
      <MyProgress />
    </div>
  );
}
