import { useEffect, useState, type FormEvent } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import { formatCode } from './class-protocol.ts';
import { joinClass, leaveClass, useStudentClass } from './student-class.ts';
import { classroomStrings, type ClassErrorCode } from './strings.ts';
import './classroom.css';

/** `/en/class`: a student joins with the class code and a name (the join link fills the code in). */
export function JoinPage() {
  const t = useStrings(classroomStrings);
  const app = useStrings(appStrings);
  const lang = useLang();
  const student = useStudentClass();
  const [code, setCode] = useState(() => new URLSearchParams(window.location.search).get('code') ?? '');
  const [name, setName] = useState('');
  const [rejoinCode, setRejoinCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClassErrorCode | null>(null);

  useEffect(() => {
    document.title = `${t.joinTitle} — ${app.appName}`;
  }, [t, app]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await joinClass(code, name, rejoinCode);
    setBusy(false);
    if (!result.ok) setError(result.error);
  };

  const membership = student.membership;
  return (
    <div className="class-page">
      <h1>{t.joinTitle}</h1>
      {membership ? (
        <div className="class-joined" data-testid="class-joined">
          <p>{t.joinedAs(membership.name, membership.title)}</p>
          <p>
            {t.rejoinCodeIs}{' '}
            <code className="class-rejoin-code" data-testid="class-rejoin-code">
              {formatCode(membership.rejoinCode)}
            </code>
          </p>
          <p className="class-actions">
            <Link className="button button-primary" href={`/${lang}/`}>
              {t.toLessons}
            </Link>
            <button type="button" className="button button-quiet" onClick={() => leaveClass()}>
              {t.leaveClass}
            </button>
          </p>
        </div>
      ) : (
        <form className="class-form" onSubmit={submit} data-testid="class-join-form">
          <p>{t.joinIntro}</p>
          <p className="muted" data-testid="class-attempts-notice">
            {t.attemptsNotice}
          </p>
          <label htmlFor="class-code">{t.codeLabel}</label>
          <input
            id="class-code"
            data-testid="class-code-input"
            className="class-code-input"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={12}
            required
          />
          <label htmlFor="class-name">{t.nameLabel}</label>
          <input
            id="class-name"
            data-testid="class-name-input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="nickname"
            maxLength={40}
            required
          />
          <label htmlFor="class-rejoin">{t.rejoinLabel}</label>
          <input
            id="class-rejoin"
            data-testid="class-rejoin-input"
            value={rejoinCode}
            onChange={(e) => setRejoinCode(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={12}
          />
          <button type="submit" className="button button-primary" data-testid="class-join" disabled={busy}>
            {busy ? t.joining : t.joinButton}
          </button>
          {error && (
            <p className="cell-message cell-message-error" role="alert" data-testid="class-join-error" data-error={error}>
              {t.errors[error]}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
