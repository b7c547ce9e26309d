import { importAgain } from '../../shared/import-again.ts';
import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useLang, useStrings, type Lang } from '../kit/lang-context.ts';
import { appStrings } from '../kit/strings.ts';
import { Link, navigate } from '../kit/router.tsx';
import { SEARCH_SLUG } from '../kit/routes.ts';
import { LoadingNote } from '../kit/loading-note.tsx';
import type { SearchIndex } from './search-index.ts';
import { searchStrings } from './strings.ts';
import './search.css';

/** The index of each language, built once per page load from the lessons' text and the glossary. */
const indexes = new Map<Lang, Promise<{ index: SearchIndex; search: typeof import('./search-index.ts').search }>>();

function loadIndex(lang: Lang) {
  let loading = indexes.get(lang);
  if (!loading) {
    loading = Promise.all([
      importAgain(() => import('virtual:wirelab-search-lessons')),
      importAgain(() => import('../glossary/glossary-terms.ts')),
      importAgain(() => import('./search-index.ts')),
    ]).then(([sections, glossary, searching]) => ({ index: searching.buildSearchIndex(lang, glossary.GLOSSARY, sections.default), search: searching.search }));
    indexes.set(lang, loading);
  }
  return loading;
}

// The query lives in the URL (?q=): the same page gets a new one without a new pathname.
function subscribeToLocation(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener('wirelab:navigated', onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener('wirelab:navigated', onChange);
  };
}
function useQueryParameter(): string {
  return useSyncExternalStore(subscribeToLocation, () => new URLSearchParams(window.location.search).get('q') ?? '');
}

type Loaded = Awaited<ReturnType<typeof loadIndex>>;

/** `/en/search?q=…`: the results of a search over the lessons and the glossary, in the page's language. */
export function SearchPage() {
  const lang = useLang();
  const t = useStrings(searchStrings);
  const app = useStrings(appStrings);
  const query = useQueryParameter();
  const [typed, setTyped] = useState(query);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => setTyped(query), [query]);
  // come without words (the header's search link): the box is where they go
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!query.trim()) input.current?.focus();
  }, [query]);
  useEffect(() => {
    document.title = `${query ? `${query} — ` : ''}${t.title} — ${app.appName}`;
  }, [query, t, app]);
  useEffect(() => {
    let alive = true;
    setLoaded(null);
    loadIndex(lang).then((value) => alive && setLoaded(value));
    return () => {
      alive = false;
    };
  }, [lang]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigate(`/${lang}/${SEARCH_SLUG}?q=${encodeURIComponent(typed.trim())}`);
  };
  const answer = loaded && query.trim() ? loaded.search(loaded.index, query) : null;

  return (
    <div className="search-page" data-testid="search-page">
      <h1 ref={heading} id="search-page-title">
        {t.title}
      </h1>
      {/* named apart from the header's search landmark, which is on this page too (axe's landmark-unique) */}
      <form role="search" aria-labelledby="search-page-title" className="search-page-form" action={`/${lang}/${SEARCH_SLUG}`} onSubmit={submit}>
        <label htmlFor="search-page-input">{t.label}</label>
        <div className="search-page-row">
          <input
            ref={input}
            id="search-page-input"
            type="search"
            name="q"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            data-testid="search-page-input"
          />
          <button type="submit" className="button">
            {t.submit}
          </button>
        </div>
      </form>
      {!loaded && query.trim() && <LoadingNote />}
      {!query.trim() && <p>{t.empty}</p>}
      {answer && (
        <div aria-live="polite" data-testid="search-results" data-count={answer.results.length}>
          <p className="search-summary" data-testid="search-summary">
            {answer.results.length === 0 ? t.nothing(query) : t.found(answer.results.length, query)}
          </p>
          {answer.partial && answer.results.length > 0 && <p className="search-note">{t.partial}</p>}
          <ol className="search-results">
            {answer.results.map((result) => (
              <li key={result.doc.href} className="search-result" data-testid="search-result" data-href={result.doc.href} data-kind={result.doc.kind}>
                <Link href={result.doc.href} className="search-result-title">
                  {result.doc.title}
                </Link>
                <span className="search-result-kind">
                  {result.doc.kind === 'glossary' ? t.glossary : t.lesson}
                  {result.doc.context && ` · ${result.doc.context}`}
                </span>
                <p className="search-result-snippet">
                  {result.snippet.map((part, index) => (part.mark ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
                </p>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
