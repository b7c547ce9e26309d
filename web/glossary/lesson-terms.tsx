import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { sortedTerms } from './glossary-page.tsx';
import { glossaryStrings } from './strings.ts';
import './glossary.css';

/** Under a lesson's text: the glossary's terms the lesson uses, each a link to its definition. */
export function LessonTerms({ slug }: { slug: string }) {
  const lang = useLang();
  const t = useStrings(glossaryStrings);
  const terms = sortedTerms(lang).filter((term) => term.lessons.includes(slug));
  if (terms.length === 0) return null;
  return (
    <nav className="lesson-terms" aria-labelledby="lesson-terms-title" data-testid="lesson-terms">
      <h2 id="lesson-terms-title">{t.termsInLesson}</h2>
      <ul>
        {terms.map((term) => (
          <li key={term.id}>
            <Link href={`/${lang}/glossary#${term.id}`} data-testid="lesson-term-link" title={term.definition[lang].replace(/`/g, '')}>
              {lang === 'ru' ? term.ru : term.en}
            </Link>
          </li>
        ))}
      </ul>
      <p>
        <Link href={`/${lang}/glossary`}>{t.allTerms}</Link>
      </p>
    </nav>
  );
}
