import { useEffect } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link, usePathname } from '../kit/router.tsx';
import { streamingCallsNotRelayedOn } from './follower-limits.ts';
import { formatCode } from './class-protocol.ts';
import { dismissLeftNotice, startStudentClass, setFollowing, useStudentClass } from './student-class.ts';
import { startLeadingIfAsked, stopLeading, useLeading } from './teacher-class.ts';
import { classroomStrings } from './strings.ts';
import { StudentClassNotices } from './class-notices.tsx';
import './classroom.css';

/**
 * Under the header, on every page: a student's class and the follow switch; or, in the
 * teacher's tabs, which class this tab leads.
 */
export function ClassBar() {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const student = useStudentClass();
  const leading = useLeading();
  const pathname = usePathname();

  useEffect(() => {
    startStudentClass();
    startLeadingIfAsked();
  }, []);

  if (leading.code) {
    return (
      <div className="class-bar is-teacher" data-testid="class-bar-teacher" data-status={leading.status} role="status">
        <span className={`class-dot ${leading.status === 'open' ? 'is-on' : ''}`} aria-hidden="true" />
        <span>{t.leading(formatCode(leading.code))}</span>
        {leading.followers && (
          <strong data-testid="class-lead-followers" data-follow={leading.followers.follow} data-waiting={leading.followers.waiting}>
            {t.leadFollowers(leading.followers.follow, leading.followers.online, leading.followers.waiting)}
          </strong>
        )}
        {leading.serverRestarting && (
          <span className="muted" data-testid="class-lead-restarting">
            {t.serverRestarting}
          </span>
        )}
        <span className="toolbar-spacer" />
        <Link className="button button-quiet" href={`/${lang}/class/teach`}>
          {t.board}
        </Link>
        <button type="button" className="button button-quiet" onClick={stopLeading}>
          {t.stopLeading}
        </button>
      </div>
    );
  }

  const membership = student.membership;
  if (!membership && student.leftBecause) {
    return (
      <div className="class-bar is-left" data-testid="class-left" data-because={student.leftBecause} role="alert">
        <span>{t.leftBecause[student.leftBecause]}</span>
        <span className="toolbar-spacer" />
        <Link className="button button-quiet" href={`/${lang}/class`}>
          {t.classLink}
        </Link>
        <button type="button" className="button button-quiet" onClick={dismissLeftNotice}>
          {t.dismiss}
        </button>
      </div>
    );
  }
  if (!membership) return null;
  return (
    <>
      <div className={`class-bar ${student.following ? 'is-following' : ''}`} data-testid="class-bar" data-following={student.following} role="status">
        <strong>{t.barClass(formatCode(membership.code))}</strong>
        <span className="class-bar-name" data-testid="class-bar-name">
          {membership.name}
        </span>
        <span className="muted" title={t.rejoinCodeIs}>
          {t.rejoinCode}: <code data-testid="class-bar-rejoin-code">{formatCode(membership.rejoinCode)}</code>
        </span>
        <span className={`class-dot ${student.channel === 'open' ? 'is-on' : ''}`} aria-hidden="true" />
        <span data-testid="class-follow-state">{student.following ? t.following : t.notFollowing}</span>
        {student.channel !== 'open' && (
          <span className="muted" data-testid="class-channel-down" data-restarting={student.serverRestarting}>
            {student.serverRestarting ? t.serverRestarting : t.channelDown}
          </span>
        )}
        <span className="toolbar-spacer" />
        <button
          type="button"
          className={`button ${student.following ? 'button-quiet' : 'button-primary'}`}
          data-testid="class-follow-toggle"
          onClick={() => setFollowing(!student.following)}
        >
          {student.following ? t.stopFollowing : t.follow}
        </button>
        <Link className="button button-quiet" href={`/${lang}/class`}>
          {t.classLink}
        </Link>
      </div>
      {student.following && streamingCallsNotRelayedOn(pathname) && (
        <p className="muted" data-testid="class-streaming-not-relayed">
          {t.streamingNotRelayed}
        </p>
      )}
      <StudentClassNotices />
    </>
  );
}
