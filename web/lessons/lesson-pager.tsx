import lessonIndex from 'virtual:wirelab-lesson-index';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { lessonStrings } from './strings.ts';

/** The previous and the next lesson at a lesson's end (the course's order: the lesson list's). */
export function LessonPager({ slug }: { slug: string }) {
  const lang = useLang();
  const t = useStrings(lessonStrings);
  const index = lessonIndex.findIndex((entry) => entry.slug === slug);
  if (index < 0) return null;
  const previous = lessonIndex[index - 1];
  const next = lessonIndex[index + 1];
  return (
    <nav className="lesson-pager" aria-label={t.pagerLabel} data-testid="lesson-pager">
      {previous ? (
        <Link className="lesson-pager-link is-previous" rel="prev" href={`/${lang}/${previous.slug}`} data-testid="lesson-previous">
          <span className="lesson-pager-direction">← {t.previousLesson(index)}</span>
          <span className="lesson-pager-title">{previous.headline[lang].title}</span>
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link className="lesson-pager-link is-next" rel="next" href={`/${lang}/${next.slug}`} data-testid="lesson-next">
          <span className="lesson-pager-direction">{t.nextLesson(index + 2)} →</span>
          <span className="lesson-pager-title">{next.headline[lang].title}</span>
        </Link>
      ) : (
        <Link className="lesson-pager-link is-next" href={`/${lang}/course`} data-testid="lesson-all">
          <span className="lesson-pager-direction">{t.courseDone}</span>
          <span className="lesson-pager-title">{t.allLessons} →</span>
        </Link>
      )}
    </nav>
  );
}
