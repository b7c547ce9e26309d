import lessonIndex from 'virtual:wirelab-lesson-index';
import exerciseTitles from 'virtual:wirelab-exercise-titles';
import { useLang, useStrings } from '../kit/lang-context.ts';
import type { ClassAction } from '../../contracts/class-channel/messages.ts';
import { exerciseName } from './exercise-names.ts';
import { classroomStrings } from './strings.ts';

/** Actions whose line names a student: while names are hidden (the projector) they say "a student". */
const NAMING_ACTIONS: ReadonlySet<ClassAction['kind']> = new Set(['removed', 'renamed']);

/**
 * The board's history: what the teacher did to the class, newest first, with the time of each;
 * with `namesHidden`, no line names a student.
 */
export function ClassHistoryPanel({ history, namesHidden }: { history: ClassAction[]; namesHidden: boolean }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const time = (ms: number) => new Date(ms).toLocaleTimeString(lang === 'ru' ? 'ru-RU' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (
    <details className="class-history" data-testid="class-history" open>
      <summary>{t.historyTitle}</summary>
      {history.length === 0 ? (
        <p className="muted">{t.historyEmpty}</p>
      ) : (
        <ol>
          {history.map((action, index) => (
            <li key={`${action.ms}-${index}`} data-testid="class-history-entry" data-kind={action.kind}>
              <time dateTime={new Date(action.ms).toISOString()}>{time(action.ms)}</time>{' '}
              <span>
                {namesHidden && NAMING_ACTIONS.has(action.kind)
                  ? t.historyNameHidden[action.kind as 'removed' | 'renamed']
                  : t.history[action.kind](
                      action,
                      action.lesson && action.exercise ? exerciseName(lessonIndex, exerciseTitles, lang, action.lesson, action.exercise) : '',
                    )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
