import lessonIndex from 'virtual:wirelab-lesson-index';
import exerciseTitles from 'virtual:wirelab-exercise-titles';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { MAX_ATTEMPTS_KEPT, type AttemptMiss, type BoardMember, type MemberAttempts } from '../../contracts/class-channel/messages.ts';
import { missWhat } from '../../contracts/exercise-checks/miss-reason.ts';
import { attemptGroups } from './attempt-groups.ts';
import { presenceOf } from './board-rows.ts';
import { PanelHeader } from './panel-header.tsx';
import { classroomStrings } from './strings.ts';

/**
 * One student's attempts, opened from their name on the board: per exercise (its title in the
 * teacher's language), each attempt's time, passed or missed, and what a miss was about — never
 * the student's cookies or tokens (the page sends only the check's verdict and the request's
 * method and path). The student's presence comes from the live board.
 */
export function MemberAttemptsPanel({
  attempts,
  member,
  shownName,
  serverNow,
  onClose,
}: {
  attempts: MemberAttempts;
  member: BoardMember | undefined;
  /** the name the board shows: "Student 4821" while names are hidden (the projector) */
  shownName: string;
  serverNow: number;
  onClose(): void;
}) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const groups = attemptGroups(attempts.attempts);
  const presence = member ? presenceOf(member, Math.max(0, Math.floor((serverNow - member.lastActiveMs) / 60_000))) : 'offline';
  const time = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

  return (
    <section
      className="class-attempts"
      data-testid="member-attempts"
      data-member-id={attempts.memberId}
      aria-labelledby="member-attempts-title"
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <PanelHeader
        titleId="member-attempts-title"
        title={t.attemptsOf(shownName)}
        focusKey={String(attempts.memberId)}
        closeTestId="member-attempts-close"
        onClose={onClose}
      >
        <span className="class-board-presence" data-testid="member-attempts-presence" data-presence={presence}>
          <span className={`class-dot is-${presence}`} aria-hidden="true" /> {t.presence[presence]}
          {presence !== 'offline' && member && <span className="muted"> · {member.following ? t.followingShort : t.notFollowingShort}</span>}
        </span>
      </PanelHeader>
      {groups.length === 0 && <p className="muted">{t.noAttempts}</p>}
      {groups.map((group) => {
        const lesson = lessonIndex.find((entry) => entry.slug === group.lesson);
        return (
          <div
            key={`${group.lesson}/${group.exercise}`}
            className="class-attempts-exercise"
            data-testid="member-attempts-exercise"
            data-exercise={`${group.lesson}/${group.exercise}`}
          >
            <h4>
              {exerciseTitles[group.lesson]?.[lang][group.exercise] ?? group.exercise}{' '}
              <span className="muted">· {lesson?.headline[lang].title ?? group.lesson}</span>
            </h4>
            <ol className="class-attempts-list">
              {group.attempts.map((attempt, index) => (
                <li key={index} data-testid="member-attempt" data-passed={attempt.passed}>
                  <time dateTime={new Date(attempt.ms).toISOString()}>{time.format(attempt.ms)}</time>{' '}
                  <span className={attempt.passed ? 'class-attempt-passed' : 'class-attempt-missed'}>
                    {attempt.passed ? `✓ ${t.attemptPassed}` : `✗ ${t.attemptMissed}`}
                  </span>
                  {attempt.miss && <MissDetails miss={attempt.miss} />}
                </li>
              ))}
            </ol>
          </div>
        );
      })}
      {attempts.attempts.length >= MAX_ATTEMPTS_KEPT && <p className="muted">{t.attemptsKept(MAX_ATTEMPTS_KEPT)}</p>}
    </section>
  );
}

/** The board's tooltip and CSV say the same reason in the same words (contracts/exercise-checks/miss-reason.ts). */
function MissDetails({ miss }: { miss: AttemptMiss }) {
  const lang = useLang();
  return (
    <span className="class-attempt-miss" data-testid="member-attempt-miss" data-kind={miss.kind}>
      {' — '}
      {missWhat(miss)[lang]}
      {miss.request && (
        <>
          {' · '}
          <code>{miss.request}</code>
        </>
      )}
      {miss.status !== undefined && <> → {miss.status}</>}
      {miss.answer !== undefined && (
        <>
          {' · '}
          <code>{miss.answer}</code>
        </>
      )}
    </span>
  );
}
