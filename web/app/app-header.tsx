import { useEffect, useState, type MouseEvent } from 'react';
import { useLang, useStrings } from './lang-context.ts';
import { Link, navigate } from './router.tsx';
import { pathInLang } from './routes.ts';
import { bootSession, resetSandbox, useSession } from './session.ts';
import { appStrings } from './strings.ts';

export function AppHeader() {
  const t = useStrings(appStrings);
  const lang = useLang();
  const other = lang === 'ru' ? 'en' : 'ru';

  // The hash names the heading being read (the reader keeps it current), so switching keeps the place.
  const switchLanguage = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(pathInLang(window.location.pathname, other) + window.location.hash);
  };

  return (
    <header className="app-header">
      <a className="skip-link" href="#content">
        {t.skipToContent}
      </a>
      <Link className="brand" href={`/${lang}/`}>
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">{t.appName}</span>
      </Link>
      <nav className="header-nav">
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
        <SessionIndicator />
        <ResetData />
        <a
          className="lang-switch"
          data-testid="lang-switch"
          href={pathInLang(window.location.pathname, other)}
          hrefLang={other}
          lang={other}
          aria-label={t.switchLanguageLabel}
          onClick={switchLanguage}
        >
          {t.switchLanguage}
        </a>
      </div>
    </header>
  );
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
  const { session: id, recording } = session.info;
  return (
    <span className="session" title={`${t.sessionTitle} ${id}`}>
      <span className={`recording-dot ${recording ? 'is-on' : ''}`} aria-hidden="true" />
      {t.sessionReady} <code>{id.slice(0, 6)}</code>
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
          onKeyDown={(event) => event.key === 'Escape' && setState('idle')}
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
