import lessonIndex from 'virtual:wirelab-lesson-index';
import exerciseTitles from 'virtual:wirelab-exercise-titles';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import type { ClassAssignment, ClassTimer } from '../../contracts/class-channel/messages.ts';
import { exerciseHref, exerciseName } from './exercise-names.ts';
import type { Navigation } from './class-protocol.ts';
import { dismissDataReset, dismissTeacherNotice, goWhereTheTeacherIs, useStudentClass, type FollowPauseReason } from './student-class.ts';
import { classroomStrings } from './strings.ts';
import { timeLeftText } from './timer-text.ts';
import { useTimeLeft } from './use-time-left.ts';

/**
 * Under a student's class bar: the class has ended, the teacher's message (as text, never HTML;
 * until closed or replaced) and the teacher's timer — as the server keeps them, so a page that
 * joins or reconnects later shows the same. Pinned under the header wherever the student has
 * scrolled (following moves them far below the bar) and announced to screen readers.
 */
export function StudentClassNotices() {
  const lines = <StudentClassNoticeLines />;
  return (
    <div className="class-notices" aria-live="polite" data-testid="class-notices">
      {lines}
    </div>
  );
}

function StudentClassNoticeLines() {
  const t = useStrings(classroomStrings);
  const student = useStudentClass();
  const status = student.classStatus;
  if (!student.membership) return null;
  const dataReset =
    student.dataResetMs !== null ? (
      <div className="class-notice" role="status" data-testid="class-data-reset">
        <span>{t.dataResetForStudent}</span>
        <span className="toolbar-spacer" />
        <button type="button" className="button button-quiet" onClick={dismissDataReset}>
          {t.dismiss}
        </button>
      </div>
    ) : null;
  const paused = student.followPaused ? <FollowPausedLine {...student.followPaused} /> : null;
  if (!status) {
    return (
      <>
        {paused}
        {dataReset}
      </>
    );
  }
  const notice = status.notice && status.notice.sentMs !== student.dismissedNoticeMs ? status.notice : null;
  return (
    <>
      {status.endedMs !== null && (
        <div className="class-notice is-ended" role="status" data-testid="class-ended-notice">
          {t.classEndedForStudent}
        </div>
      )}
      {notice && (
        <div className="class-notice" role="status" data-testid="class-notice">
          <strong>{t.noticeFromTeacher}:</strong> <span data-testid="class-notice-text">{notice.text}</span>
          <span className="toolbar-spacer" />
          <button type="button" className="button button-quiet" data-testid="class-notice-dismiss" onClick={dismissTeacherNotice}>
            {t.dismiss}
          </button>
        </div>
      )}
      {status.frozenMs !== null && (
        <div className="class-notice is-ended" role="status" data-testid="class-frozen-notice">
          {t.frozenForStudent}
        </div>
      )}
      {status.assignment && <AssignmentLine assignment={status.assignment} />}
      {status.timer && <TimerLine timer={status.timer} offset={student.serverClockOffset} />}
      {dataReset}
      {paused}
    </>
  );
}

/** The place the teacher is at: the lesson's title, and the heading's text when this page shows it. */
function placeName(navigation: Navigation, lang: 'en' | 'ru'): string {
  const lesson = lessonIndex.find((entry) => entry.slug === navigation.lesson);
  const title = lesson ? lesson.headline[lang].title : '';
  const heading = navigation.section ? document.getElementById(navigation.section)?.textContent?.trim() : '';
  return (
    [title && (lang === 'ru' ? `«${title}»` : `“${title}”`), heading && `§\u00a0${heading}`].filter(Boolean).join(', ') ||
    (lang === 'ru' ? 'список уроков' : 'the lesson list')
  );
}

/** Following waits (a check runs, the student types…): where the teacher is, and a way there. */
function FollowPausedLine({ navigation, reason }: { navigation: Navigation; reason: FollowPauseReason }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  return (
    <div className="class-notice" role="status" data-testid="class-follow-paused" data-reason={reason}>
      <span>{t.followPaused(placeName(navigation, lang), reason)}</span>
      <span className="toolbar-spacer" />
      <button type="button" className="button button-quiet" data-testid="class-follow-go" onClick={goWhereTheTeacherIs}>
        {t.followGo}
      </button>
    </div>
  );
}

/** The exercise the teacher assigned, named and linked in the student's own language. */
function AssignmentLine({ assignment }: { assignment: ClassAssignment }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  return (
    <div className="class-notice" role="status" data-testid="class-assignment-notice" data-exercise={`${assignment.lesson}/${assignment.exercise}`}>
      <strong>{t.assignedForStudent}</strong>{' '}
      <Link href={exerciseHref(lang, assignment.lesson, assignment.exercise)} data-testid="class-assignment-link">
        {exerciseName(lessonIndex, exerciseTitles, lang, assignment.lesson, assignment.exercise)}
      </Link>
    </div>
  );
}

function TimerLine({ timer, offset }: { timer: ClassTimer; offset: number }) {
  const t = useStrings(classroomStrings);
  const left = useTimeLeft(timer, offset);
  return (
    <div className={`class-notice class-timer ${left <= 0 ? 'is-up' : ''}`} role="timer" data-testid="class-timer" data-left-ms={Math.max(0, left)}>
      {left > 0 ? t.timerLeft(timeLeftText(left)) : t.timerUp}
    </div>
  );
}
