import { importAgain } from '../../shared/import-again.ts';
import { lazy, Suspense, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { INSPECTOR_ID, OPEN_INSPECTOR_EVENT } from '../kit/inspector-events.ts';
import { Link, navigate, usePathname } from '../kit/router.tsx';
import { parseRoute, pathInLang } from '../kit/routes.ts';
import { bootSession, resetSandbox, useSession } from '../kit/session.ts';
import { appStrings } from '../kit/strings.ts';
import lessonIndex from 'virtual:wirelab-lesson-index';
import { usePageSettled, usePageShown } from '../kit/page-shown.ts';
import { useChunk } from '../kit/use-chunk.ts';

// The theme is already right before the first paint (theme-boot.js): its select, no part of
// reading, comes once the page's content is on screen, off the lesson page's script budget.
const ThemeSwitch = lazy(() => importAgain(() => import('./theme/theme-switch.tsx')).then((module) => ({ default: module.ThemeSwitch })));

export function AppHeader() {
  const t = useStrings(appStrings);
  const lang = useLang();
  const other = lang === 'ru' ? 'en' : 'ru';
  const pathname = usePathname();
  const route = parseRoute(pathname);
  // the pages that dock an inspector beside their text (web/lessons/inspector-dock.tsx); an
  // unknown lesson is the not-found page, which has none
  const hasInspector =
    (route.kind === 'lesson' && lessonIndex.some((entry) => entry.slug === route.slug)) || (route.kind === 'course' && route.page === 'quiz');
  const pageShown = usePageShown();

  // The hash names the heading being read (the reader keeps it current), so switching keeps the place;
  // the query (a join link's code, a join card's class) goes along.
  const switchLanguage = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(pathInLang(window.location.pathname, other) + window.location.search + window.location.hash);
  };
  // Not through the URL's hash: on a lesson the hash names the heading being read.
  const skipToContent = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById('content')?.focus();
  };
  const skipToInspector = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    window.dispatchEvent(new Event(OPEN_INSPECTOR_EVENT));
  };

  return (
    <header className="app-header">
      <div className="skip-links">
        <a className="skip-link" href="#content" data-testid="skip-to-content" onClick={skipToContent}>
          {hasInspector ? t.skipToLesson : t.skipToContent}
        </a>
        {hasInspector && (
          <a className="skip-link" href={`#${INSPECTOR_ID}`} data-testid="skip-to-inspector" onClick={skipToInspector}>
            {t.skipToInspector}
          </a>
        )}
      </div>
      <Link className="brand" href={`/${lang}/`}>
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">{t.appName}</span>
      </Link>
      <HeaderMenu pathname={pathname}>
        <nav className="header-nav" aria-label={t.mainNavigation}>
          <Link href={`/${lang}/`}>{t.lessons}</Link>
          <Link href={`/${lang}/course`} data-testid="header-course-map">
            {t.courseMap}
          </Link>
          <Link href={`/${lang}/class`} data-testid="nav-class">
            {t.classroom}
          </Link>
          <Link href={`/${lang}/compare`} data-testid="nav-compare">
            {t.compareLab}
          </Link>
          <Link href={`/${lang}/my-server`} data-testid="nav-my-server">
            {t.myServer}
          </Link>
        </nav>
        <div className="header-tools">
          <SearchBoxLater />
          <SessionIndicator />
          <Suspense fallback={null}>{pageShown && <ThemeSwitch />}</Suspense>
          <ResetData />
        </div>
      </HeaderMenu>
      <a
        className="lang-switch"
        data-testid="lang-switch"
        href={pathInLang(window.location.pathname, other) + window.location.search}
        hrefLang={other}
        lang={other}
        // the visible «Русский»/“English” is the link's name (WCAG 2.5.3, axe label-content-name-mismatch); the longer hint is its title
        title={t.switchLanguageLabel}
        onClick={switchLanguage}
      >
        {t.switchLanguage}
      </a>
    </header>
  );
}

/**
 * The header's links and tools: in the header's row on a wide screen; on a narrow one (app.css,
 * ≤ 880 px: five links do not fit beside the tools) behind a Menu button, a disclosure that closes on Esc, on a click elsewhere and when
 * the page changes.
 */
function HeaderMenu({ pathname, children }: { pathname: string; children: ReactNode }) {
  const t = useStrings(appStrings);
  const [open, setOpen] = useState(false);
  const [lastPathname, setLastPathname] = useState(pathname);
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // a page change closes the menu in the render that shows the new page (a link followed from it,
  // Back, the teacher's move): as an effect, a render later, a loaded machine showed it still open
  // once the address had changed (keyboard-and-small-screens)
  if (lastPathname !== pathname) {
    setLastPathname(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !toggle.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);

  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !open) return;
    event.preventDefault();
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <>
      <button
        ref={toggle}
        type="button"
        className="button button-quiet menu-toggle"
        data-testid="nav-menu"
        aria-expanded={open}
        aria-controls="header-menu"
        onClick={() => setOpen(!open)}
        onKeyDown={closeOnEscape}
      >
        <span className="menu-icon" aria-hidden="true" />
        {t.menu}
      </button>
      <div ref={panel} id="header-menu" className={`header-menu${open ? ' is-open' : ''}`} data-testid="header-menu" onKeyDown={closeOnEscape}>
        {children}
      </div>
    </>
  );
}

// The search box (web/search/search-box.tsx) comes once the page is settled, like the class bar:
// nothing of it is on the way to a lesson's text or its first editor.
const loadSearchBox = () => importAgain(() => import('../search/search-box.tsx')).then((module) => module.SearchBox);

function SearchBoxLater() {
  const SearchBox = useChunk(loadSearchBox, usePageSettled());
  return SearchBox ? <SearchBox /> : null;
}

function SessionIndicator() {
  const t = useStrings(appStrings);
  const session = useSession();
  if (session.status === 'loading') {
    return <span className="session session-loading">{t.sessionLoading}</span>;
  }
  if (session.status === 'failed') {
    return (
      <span className="session session-failed" role="alert">
        {t.sessionFailed}{' '}
        <button type="button" className="link-button" onClick={() => bootSession()}>
          {t.retry}
        </button>
      </span>
    );
  }
  const { name, recording } = session.info;
  return (
    <span className="session" title={`${t.sessionTitle} ${name}`}>
      <span className={`recording-dot ${recording ? 'is-on' : ''}`} aria-hidden="true" />
      {t.sessionReady} <code>{name.slice('room.'.length, 'room.'.length + 6)}</code>
      <span className="visually-hidden">, {recording ? t.recordingOn : t.recordingOff}</span>
    </span>
  );
}

type ResetState = 'idle' | 'confirming' | 'resetting' | 'done' | { error: string };

function ResetData() {
  const t = useStrings(appStrings);
  const [state, setState] = useState<ResetState>('idle');

  useEffect(() => {
    if (state !== 'done') return;
    const timer = setTimeout(() => setState('idle'), 5000);
    return () => clearTimeout(timer);
  }, [state]);

  const reset = async () => {
    setState('resetting');
    try {
      await resetSandbox();
      setState('done');
    } catch (error) {
      setState({ error: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <div className="reset-data">
      <button
        type="button"
        className="button button-quiet"
        data-testid="reset-data"
        aria-expanded={state === 'confirming'}
        onClick={() => setState(state === 'confirming' ? 'idle' : 'confirming')}
      >
        {t.resetData}
      </button>
      {state === 'confirming' && (
        <div
          className="popover"
          role="dialog"
          aria-label={t.resetData}
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            // the popover's own Esc: the menu around it stays open
            event.preventDefault();
            setState('idle');
          }}
        >
          <p>{t.resetQuestion}</p>
          <div className="popover-actions">
            <button type="button" className="button button-danger" data-testid="reset-data-confirm" onClick={reset} autoFocus>
              {t.resetConfirm}
            </button>
            <button type="button" className="button" onClick={() => setState('idle')}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      {state === 'resetting' && (
        <p className="popover" role="status">
          {t.resetting}
        </p>
      )}
      {state === 'done' && (
        <p className="popover popover-success" role="status" data-testid="reset-data-done">
          {t.resetDone}
        </p>
      )}
      {typeof state === 'object' && (
        <p className="popover popover-error" role="alert">
          {t.resetFailed} {state.error}{' '}
          <button type="button" className="link-button" onClick={() => setState('idle')}>
            {t.cancel}
          </button>
        </p>
      )}
    </div>
  );
}
