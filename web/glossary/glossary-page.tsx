import { useEffect, useMemo } from 'react';
import lessonIndex from 'virtual:wirelab-lesson-index';
import { useLang, useStrings, type Lang } from '../kit/lang-context.ts';
import { appStrings } from '../kit/strings.ts';
import { Link, scrollToHash } from '../kit/router.tsx';
import { GLOSSARY, type GlossaryTerm } from './glossary-terms.ts';
import { glossaryStrings } from './strings.ts';
import './glossary.css';

/** A definition's `code` marks as <code>; the rest as text. */
export function DefinitionText({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/(`[^`]+`)/)
        .map((part, index) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? <code key={index}>{part.slice(1, -1)}</code> : part))}
    </>
  );
}

/** The first letter a term is filed under (ё with е, anything not a letter under #). */
function letterOf(name: string): string {
  const first = name.trim()[0]?.toUpperCase() ?? '#';
  if (first === 'Ё') return 'Е';
  return /\p{L}/u.test(first) ? first : '#';
}

// Sorted once a language, with one collator: `localeCompare(other, lang, options)` builds a new
// collator at every comparison — 87 terms sorted took 24 ms (ru) against 0.14 ms with one
// Intl.Collator (Node 22, 27 Nov), and every lesson page sorts them for its terms (lesson-terms.tsx).
const sortedByLang = new Map<Lang, readonly GlossaryTerm[]>();

/** The terms in the page's language's alphabetical order; Russian first-letter groups go after Latin ones. */
export function sortedTerms(lang: Lang): readonly GlossaryTerm[] {
  let sorted = sortedByLang.get(lang);
  if (!sorted) {
    const name = (term: GlossaryTerm) => (lang === 'ru' ? term.ru : term.en);
    const collator = new Intl.Collator(lang, { sensitivity: 'base' });
    sorted = [...GLOSSARY].sort((a, b) => collator.compare(name(a), name(b)));
    sortedByLang.set(lang, sorted);
  }
  return sorted;
}

/** `/en/glossary`, `/ru/glossary`: every term with its anchor, its other name, its definition and its lessons. */
export function GlossaryPage() {
  const lang = useLang();
  const t = useStrings(glossaryStrings);
  const app = useStrings(appStrings);
  const terms = useMemo(() => sortedTerms(lang), [lang]);
  const letters = useMemo(() => [...new Set(terms.map((term) => letterOf(lang === 'ru' ? term.ru : term.en)))], [terms, lang]);
  const titles = useMemo(() => new Map(lessonIndex.map((entry) => [entry.slug, entry.headline[lang].title])), [lang]);

  useEffect(() => {
    document.title = `${t.title} — ${app.appName}`;
  }, [t, app]);
  // a link to a term (from a lesson, or the search) lands on it once the list is drawn
  useEffect(() => {
    if (window.location.hash) scrollToHash(window.location.hash);
  }, []);

  const other: Lang = lang === 'ru' ? 'en' : 'ru';
  return (
    <div className="glossary-page" data-testid="glossary-page">
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <nav className="glossary-letters" aria-label={t.letters}>
        {letters.map((letter) => {
          const first = terms.find((term) => letterOf(lang === 'ru' ? term.ru : term.en) === letter)!;
          return (
            <a key={letter} href={`#${first.id}`}>
              {letter}
            </a>
          );
        })}
      </nav>
      <div className="glossary-terms">
        {terms.map((term) => {
          const also = (lang === 'ru' ? term.alsoRu : term.alsoEn) ?? [];
          const wrong = (lang === 'ru' ? term.wrongRu : term.wrongEn) ?? [];
          return (
            <section
              key={term.id}
              id={term.id}
              className="glossary-term"
              data-testid="glossary-term"
              data-term-id={term.id}
              aria-labelledby={`${term.id}-name`}
            >
              <h2 id={`${term.id}-name`}>
                <a className="glossary-anchor" href={`#${term.id}`}>
                  {lang === 'ru' ? term.ru : term.en}
                </a>{' '}
                <span className="glossary-other" lang={other}>
                  <span className="visually-hidden">{t.otherName}: </span>
                  {other === 'ru' ? term.ru : term.en}
                </span>
              </h2>
              <p>
                <DefinitionText text={term.definition[lang]} />
              </p>
              {also.length > 0 && (
                <p className="glossary-note">
                  {t.alsoCalled} {also.join(', ')}
                </p>
              )}
              {wrong.length > 0 && (
                <p className="glossary-note" data-testid="glossary-wrong">
                  {t.notWritten} <s>{wrong.join(', ')}</s>
                </p>
              )}
              {term.lessons.length > 0 && (
                <p className="glossary-lessons">
                  {t.usedIn}{' '}
                  {term.lessons.map((slug, index) => (
                    <span key={slug}>
                      {index > 0 && ', '}
                      <Link href={`/${lang}/${slug}`} data-testid="glossary-lesson-link">
                        {titles.get(slug) ?? slug}
                      </Link>
                    </span>
                  ))}
                </p>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}
