import { useEffect, useMemo, useState } from 'react';
import { useLang, useStrings, type Lang } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import { formatCode } from './class-protocol.ts';
import { cardClassCode, cardLangs, JOIN_CARD_STEPS, joinUrl, studentOrigins } from './join-card.ts';
import { NoTeacherKey } from './no-teacher-key.tsx';
import { QrCode } from './qr-code.tsx';
import { forgetTeacherKey, takeTeacherKey, TeacherChannel, useTeacherChannel } from './teacher-class.ts';
import { classroomStrings } from './strings.ts';
import './classroom.css';
import './join-card.css';

/**
 * `/en/class/card?class=K7FM3Q`: a class's join card to print (or show) for a room of students.
 * The address names the class only: the title and the addresses come over the teacher's channel
 * with the teacher key this browser keeps, so the key is never in the card's URL and nobody
 * without it can make the server's page show a card with someone else's address.
 */
export function JoinCardPage() {
  const t = useStrings(classroomStrings);
  const [key] = useState(takeTeacherKey);
  const code = useMemo(() => cardClassCode(window.location.search), []);
  if (!key) return <NoTeacherKey title={t.cardTitle} />;
  return <JoinCardLoader teacherKey={key} code={code} />;
}

function JoinCardLoader({ teacherKey, code }: { teacherKey: string; code: string | null }) {
  const t = useStrings(classroomStrings);
  const app = useStrings(appStrings);
  const lang = useLang();
  const channel = useMemo(() => new TeacherChannel(teacherKey), [teacherKey]);
  const state = useTeacherChannel(channel);
  useEffect(() => {
    channel.start();
    return () => channel.stop();
  }, [channel]);
  useEffect(() => {
    if (state.status === 'refused') forgetTeacherKey();
  }, [state.status]);
  const found = state.classes.find((entry) => entry.code === code);
  useEffect(() => {
    document.title = `${t.cardTitle}${found ? ` — ${found.title}` : ''} — ${app.appName}`;
  }, [t, app, found]);

  const back = (
    <Link className="button button-quiet" href={`/${lang}/class/teach${code ? `?class=${code}` : ''}`} data-testid="join-card-back">
      {t.backToDesk}
    </Link>
  );
  // a card once shown stays while the channel reconnects (the classes are the last the server sent)
  if (state.status === 'refused' || !found) {
    const message = state.status === 'refused' ? t.keyRefused : state.status === 'ready' ? t.cardNoClass : t.connecting;
    return (
      <div className="class-page" data-testid="join-card-page" data-status={state.status}>
        <h1>{t.cardTitle}</h1>
        <p
          className={state.status === 'ready' || state.status === 'refused' ? 'cell-message cell-message-warning' : 'muted'}
          role="status"
          data-testid="join-card-missing"
        >
          {message}
        </p>
        <p>{back}</p>
      </div>
    );
  }
  const origins = studentOrigins({
    publicOrigin: state.publicOrigin,
    lanOrigins: state.lanOrigins,
    pageOrigin: window.location.origin,
    pageHostname: window.location.hostname,
  });
  return (
    <div className="join-card-page" data-testid="join-card-page" data-status={state.status}>
      <p className="join-card-tools">
        <button type="button" className="button button-primary" data-testid="join-card-print" onClick={() => window.print()}>
          {t.print}
        </button>
        {back}
      </p>
      <JoinCard title={found.title} code={found.code} origins={origins} />
    </div>
  );
}

/** The card itself: what a student in the back row needs, in both languages of the room. */
function JoinCard({ title, code, origins }: { title: string; code: string; origins: string[] }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const link = joinUrl(origins[0], code);
  const [first, second] = cardLangs(lang);
  return (
    <article className="join-card" data-testid="join-card" aria-labelledby="join-card-title">
      <h1 id="join-card-title" className="join-card-title">
        {title}
      </h1>
      <div className="join-card-main">
        <div className="join-card-join">
          <p className="join-card-label">
            <span lang={first}>{JOIN_CARD_STEPS[first].codeLabel}</span> · <span lang={second}>{JOIN_CARD_STEPS[second].codeLabel}</span>
          </p>
          <p className="join-card-code" data-testid="join-card-code" data-code={code}>
            {formatCode(code)}
          </p>
        </div>
        <QrCode text={link} label={t.cardQrLabel(link)} className="join-card-qr" testId="join-card-qr" />
      </div>
      <p className="join-card-url" data-testid="join-card-url">
        {link}
      </p>
      {origins.length > 1 && (
        <p className="join-card-more" data-testid="join-card-more">
          <span lang={first}>{JOIN_CARD_STEPS[first].otherAddresses}</span> / <span lang={second}>{JOIN_CARD_STEPS[second].otherAddresses}</span>{' '}
          {origins
            .slice(1)
            .map((origin) => joinUrl(origin, code))
            .join(' · ')}
        </p>
      )}
      <div className="join-card-steps">
        <JoinCardStepsIn lang={first} />
        <JoinCardStepsIn lang={second} />
      </div>
    </article>
  );
}

function JoinCardStepsIn({ lang }: { lang: Lang }) {
  const steps = JOIN_CARD_STEPS[lang];
  return (
    <section lang={lang} className="join-card-lang" data-testid="join-card-steps" data-lang={lang} aria-label={steps.heading}>
      <h2>{steps.heading}</h2>
      <ol>
        <li>
          {steps.scan} {steps.orOpen}.
        </li>
        <li>{steps.enter}</li>
      </ol>
      <p>{steps.noAccount}</p>
    </section>
  );
}
