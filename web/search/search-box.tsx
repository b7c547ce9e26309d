import { importAgain } from '../../shared/import-again.ts';
import { useState, type FormEvent } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link, navigate } from '../kit/router.tsx';
import { SEARCH_SLUG } from '../kit/routes.ts';
import { searchStrings } from './strings.ts';

/** The results page's chunk (and with it nothing of the index yet) starts loading when the box gets focus. */
const preloadSearchPage = () => {
  // a preload only: the results page imports its chunk itself, and fails there if it must
  importAgain(() => import('./search-page.tsx')).catch(() => undefined);
};

/**
 * The header's search box: a form that opens `/<lang>/search?q=…`. It holds no index: the
 * lessons' text and the glossary load on the results page, so no page but that one carries them.
 * Where the header's row has no room for a box (app.css: below 1600 px, above the menu's
 * 880 px), a link to the results page, whose own box takes the words, stands in its place.
 */
export function SearchBox() {
  const lang = useLang();
  const t = useStrings(searchStrings);
  const [query, setQuery] = useState('');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigate(`/${lang}/${SEARCH_SLUG}?q=${encodeURIComponent(query.trim())}`);
  };
  return (
    <>
      <Link className="search-link" href={`/${lang}/${SEARCH_SLUG}`} data-testid="search-link">
        <span className="search-icon" aria-hidden="true" />
        <span className="visually-hidden">{t.title}</span>
      </Link>
      <form className="search-box" role="search" aria-label={t.label} action={`/${lang}/${SEARCH_SLUG}`} onSubmit={submit} data-testid="search-box">
        <label className="visually-hidden" htmlFor="header-search">
          {t.label}
        </label>
        <input
          id="header-search"
          type="search"
          name="q"
          value={query}
          placeholder={t.placeholder}
          autoComplete="off"
          onFocus={preloadSearchPage}
          onChange={(event) => setQuery(event.target.value)}
          data-testid="search-input"
        />
      </form>
    </>
  );
}
