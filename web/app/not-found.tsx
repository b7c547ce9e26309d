import { useEffect } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';

export function NotFound() {
  const t = useStrings(appStrings);
  const lang = useLang();
  useEffect(() => {
    document.title = `${t.notFoundTitle} — ${t.appName}`;
  }, [t]);
  return (
    <section className="not-found">
      <p className="not-found-code" aria-hidden="true">
        404
      </p>
      <h1>{t.notFoundTitle}</h1>
      <p>{t.notFoundText}</p>
      <p>
        <Link className="button button-primary" href={`/${lang}/`}>
          {t.backToLessons}
        </Link>
      </p>
    </section>
  );
}
