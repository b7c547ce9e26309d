import { useEffect } from 'react';
import lessonSummaries from 'virtual:wirelab-lesson-summaries';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import type { LessonIndexEntry } from './lesson-types.ts';
import { useProgress } from './progress.ts';
import { lessonStrings } from './strings.ts';
import './lessons.css';

export function LessonList({ lessons }: { lessons: LessonIndexEntry[] }) {
  const lang = useLang();
  const t = useStrings(lessonStrings);
  const app = useStrings(appStrings);
  const progress = useProgress();

  useEffect(() => {
    document.title = `${t.lessonsTitle} — ${app.appName}`;
  }, [t, app]);

  return (
    <div className="lesson-list-page">
      <header className="lesson-list-header">
        <h1>{t.lessonsTitle}</h1>
        <p className="lead">{t.lessonsIntro}</p>
        {/* the header's links fold away on a narrow screen: the map stays one tap away here */}
        <p>
          <Link href={`/${lang}/course`} data-testid="lesson-list-course-map">
            {app.courseMap} →
          </Link>
        </p>
      </header>
      {lessons.length === 0 && <p>{t.noLessons}</p>}
      <ol className="lesson-list">
        {lessons.map((lesson, index) => {
          const done = lesson.exercises.filter((id) => progress[lesson.slug]?.[id]).length;
          const total = lesson.exercises.length;
          const complete = total > 0 && done === total;
          return (
            <li key={lesson.slug} className={`lesson-card ${complete ? 'is-complete' : ''}`}>
              <Link href={`/${lang}/${lesson.slug}`} className="lesson-card-link">
                <span className="lesson-number">{t.lessonNumber(index + 1)}</span>
                <span className="lesson-title">{lesson.headline[lang].title}</span>
                <span className="lesson-summary">{lessonSummaries[lesson.slug]?.[lang]}</span>
                <span className="lesson-progress">
                  <span className="progress-bar" aria-hidden="true">
                    <span style={{ width: total ? `${(100 * done) / total}%` : 0 }} />
                  </span>
                  {complete && <span aria-hidden="true">✓ </span>}
                  {t.exercisesDone(done, total)}
                </span>
              </Link>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
