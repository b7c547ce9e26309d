import lessonIndex from 'virtual:wirelab-lesson-index';
import exerciseTitles from 'virtual:wirelab-exercise-titles';
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode, type RefObject } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import type { ClassAssignment, ClassTimer, TeacherNavigation } from '../../contracts/class-channel/messages.ts';
import { exerciseHref, exerciseName } from './exercise-names.ts';
import { bringBackNotice, dismissNotice, goWhereTheTeacherIs, useStudentClass, type FollowPauseReason, type StudentState } from './student-class.ts';
import { shareStrings } from '../inspector/share-strings.ts';
import { classroomStrings } from './strings.ts';
import { timeLeftText } from './timer-text.ts';
import { useTimeLeft } from './use-time-left.ts';

/** Narrower than this, one notice is pinned (one line) and the rest wait behind the badge. */
const PHONE_QUERY = '(max-width: 640px)';

/**
 * Under a student's class bar: the server restarting, the class has ended, where the teacher is
 * while following waits, the teacher's message (as text, never HTML), the assignment, the freeze,
 * the timer, a data reset — as the server keeps them, so a page that joins or reconnects later
 * shows the same. Pinned under the header wherever the student has scrolled (following moves them
 * far below the bar) and announced to screen readers. Each can be closed and brought back (the
 * badge); on a phone only the first is pinned, in one line, the rest behind the badge. The pinned
 * height goes to `--class-notices-height`: the page scrolls a heading (the teacher's section)
 * below the notices, not under them.
 */
export function StudentClassNotices() {
  const t = useStrings(classroomStrings);
  const student = useStudentClass();
  const phone = useMediaQuery(PHONE_QUERY);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  usePinnedHeight(box);
  const all = student.membership ? studentNotices(student) : [];
  const closed = all.filter((notice) => student.dismissedNotices[notice.id] === notice.version);
  const active = all.filter((notice) => student.dismissedNotices[notice.id] !== notice.version);
  const pinned = phone && !open ? active.slice(0, 1) : active;
  const behind = all.length - pinned.length;
  const badge =
    behind > 0 || open ? (
      <button
        type="button"
        className="button button-quiet class-notices-badge"
        data-testid="class-notices-badge"
        aria-expanded={open}
        aria-label={open ? t.noticesFewer : t.noticesMore(behind)}
        title={open ? t.noticesFewer : t.noticesMore(behind)}
        data-count={open ? undefined : behind}
        onClick={() => setOpen(!open)}
      />
    ) : null;
  return (
    <div className={`class-notices ${phone ? 'is-phone' : ''} ${open ? 'is-open' : ''}`} aria-live="polite" data-testid="class-notices" ref={box}>
      {pinned.map((notice, index) => (
        <NoticeLine key={notice.id} notice={notice} badge={index === 0 ? badge : null} />
      ))}
      {pinned.length === 0 && badge && (
        <div className="class-notice is-badge-only">
          <span className="class-notice-text muted">{t.noticesClosed}</span>
          {badge}
        </div>
      )}
      {open &&
        closed.map((notice) => (
          <div key={notice.id} className="class-notice is-closed" data-testid="class-notice-closed" data-notice={notice.id}>
            <span className="class-notice-text">{notice.body}</span>
            <button type="button" className="button button-quiet" data-testid="class-notice-bring-back" onClick={() => bringBackNotice(notice.id)}>
              {t.noticeBringBack}
            </button>
          </div>
        ))}
    </div>
  );
}

interface Notice {
  /** which notice: one of each at most */
  id: string;
  /** closing hides this version; a new one (another message, a new move) shows again */
  version: string;
  testId: string;
  tone?: 'warn';
  role?: 'status' | 'timer';
  attributes?: Record<string, string | number>;
  body: ReactNode;
  action?: ReactNode;
}

/** The student's notices, the most pressing first (on a phone the first is the one pinned). */
function studentNotices(student: StudentState): Notice[] {
  const status = student.classStatus;
  const notices: Array<Notice | null> = [
    student.channel !== 'open' && student.serverRestarting
      ? { id: 'restarting', version: 'restarting', testId: 'class-restarting-notice', tone: 'warn', body: <RestartingText /> }
      : null,
    status && status.endedMs !== null
      ? { id: 'ended', version: String(status.endedMs), testId: 'class-ended-notice', tone: 'warn', body: <EndedText /> }
      : null,
    student.followPaused ? followPausedNotice(student.followPaused.navigation, student.followPaused.reason) : null,
    status?.notice
      ? {
          id: 'notice',
          version: String(status.notice.sentMs),
          testId: 'class-notice',
          body: <TeacherMessage text={status.notice.text} />,
        }
      : null,
    status?.assignment ? assignmentNotice(status.assignment) : null,
    status && status.frozenMs !== null
      ? { id: 'frozen', version: String(status.frozenMs), testId: 'class-frozen-notice', tone: 'warn', body: <FrozenText /> }
      : null,
    status?.timer
      ? {
          id: 'timer',
          version: String(status.timer.startedMs),
          testId: 'class-timer',
          role: 'timer',
          body: <TimerText timer={status.timer} offset={student.serverClockOffset} />,
        }
      : null,
    student.dataResetMs !== null ? { id: 'data-reset', version: String(student.dataResetMs), testId: 'class-data-reset', body: <DataResetText /> } : null,
  ];
  return notices.filter((notice): notice is Notice => notice !== null);
}

function followPausedNotice(navigation: TeacherNavigation, reason: FollowPauseReason): Notice {
  return {
    id: 'follow-paused',
    version: `${JSON.stringify(navigation)} ${reason}`,
    testId: 'class-follow-paused',
    attributes: { 'data-reason': reason },
    body: <FollowPausedText navigation={navigation} reason={reason} />,
    action: <FollowGo />,
  };
}

function assignmentNotice(assignment: ClassAssignment): Notice {
  return {
    id: 'assignment',
    version: String(assignment.sentMs),
    testId: 'class-assignment-notice',
    attributes: { 'data-exercise': `${assignment.lesson}/${assignment.exercise}` },
    body: <AssignmentText assignment={assignment} />,
  };
}

function NoticeLine({ notice, badge }: { notice: Notice; badge: ReactNode }) {
  const t = useStrings(classroomStrings);
  return (
    <div
      className={`class-notice ${notice.tone === 'warn' ? 'is-ended' : ''} ${notice.id === 'timer' ? 'class-timer' : ''}`}
      role={notice.role ?? 'status'}
      data-testid={notice.testId}
      {...notice.attributes}
    >
      <span className="class-notice-text">{notice.body}</span>
      {notice.action}
      <button
        type="button"
        className="button button-quiet class-notice-close"
        data-testid={notice.id === 'notice' ? 'class-notice-dismiss' : 'class-notice-close'}
        aria-label={t.dismiss}
        title={t.dismiss}
        onClick={() => dismissNotice(notice.id, notice.version)}
      />
      {badge}
    </div>
  );
}

function RestartingText() {
  return <>{useStrings(classroomStrings).serverRestartingNotice}</>;
}

function EndedText() {
  return <>{useStrings(classroomStrings).classEndedForStudent}</>;
}

function FrozenText() {
  return <>{useStrings(classroomStrings).frozenForStudent}</>;
}

function DataResetText() {
  return <>{useStrings(classroomStrings).dataResetForStudent}</>;
}

function TeacherMessage({ text }: { text: string }) {
  const t = useStrings(classroomStrings);
  return (
    <>
      <strong>{t.noticeFromTeacher}:</strong> <span data-testid="class-notice-text">{text}</span>
    </>
  );
}

/** The heading's own text: without the `#` anchor the lesson puts after it. */
function headingText(id: string): string {
  const heading = document.getElementById(id);
  if (!heading) return '';
  const copy = heading.cloneNode(true) as HTMLElement;
  for (const anchor of copy.querySelectorAll('.heading-anchor')) anchor.remove();
  return copy.textContent?.trim() ?? '';
}

/** The place the teacher is at: the lesson's title, and the heading's text when this page shows it; or the capture shown to the class. */
function placeName(navigation: TeacherNavigation, lang: 'en' | 'ru'): string {
  // a shared capture: its page's title, as the follower's language names it
  const lesson = 'capture' in navigation ? undefined : lessonIndex.find((entry) => entry.slug === navigation.lesson);
  const title = 'capture' in navigation ? shareStrings[lang].sharedTitle : lesson ? lesson.headline[lang].title : '';
  const heading = 'section' in navigation && navigation.section ? headingText(navigation.section) : '';
  return (
    [title && (lang === 'ru' ? `«${title}»` : `“${title}”`), heading && `§\u00a0${heading}`].filter(Boolean).join(', ') ||
    (lang === 'ru' ? 'список уроков' : 'the lesson list')
  );
}

/** Following waits (a check runs, the student types…): where the teacher is. */
function FollowPausedText({ navigation, reason }: { navigation: TeacherNavigation; reason: FollowPauseReason }) {
  const t = useStrings(classroomStrings);
  return <>{t.followPaused(placeName(navigation, useLang()), reason)}</>;
}

function FollowGo() {
  const t = useStrings(classroomStrings);
  return (
    <button type="button" className="button button-quiet" data-testid="class-follow-go" onClick={goWhereTheTeacherIs}>
      {t.followGo}
    </button>
  );
}

/** The exercise the teacher assigned, named and linked in the student's own language. */
function AssignmentText({ assignment }: { assignment: ClassAssignment }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  return (
    <>
      <strong>{t.assignedForStudent}</strong>{' '}
      <Link href={exerciseHref(lang, assignment.lesson, assignment.exercise)} data-testid="class-assignment-link">
        {exerciseName(lessonIndex, exerciseTitles, lang, assignment.lesson, assignment.exercise)}
      </Link>
    </>
  );
}

function TimerText({ timer, offset }: { timer: ClassTimer; offset: number }) {
  const t = useStrings(classroomStrings);
  const left = useTimeLeft(timer, offset);
  return (
    <span className={left <= 0 ? 'is-up' : ''} data-testid="class-timer-left" data-left-ms={Math.max(0, left)}>
      {left > 0 ? t.timerLeft(timeLeftText(left)) : t.timerUp}
    </span>
  );
}

function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/** The pinned notices' height as `--class-notices-height` on the page (its scroll padding keeps headings below them). */
function usePinnedHeight(box: RefObject<HTMLDivElement | null>): void {
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--class-notices-height', `${element.offsetHeight}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--class-notices-height');
    };
  }, [box]);
}
