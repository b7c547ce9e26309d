import { useState, type FormEvent } from 'react';
import lessonIndex from 'virtual:wirelab-lesson-index';
import exerciseTitles from 'virtual:wirelab-exercise-titles';
import { useLang, useStrings } from '../kit/lang-context.ts';
import type { ClassAssignment } from '../../contracts/class-channel/messages.ts';
import { exerciseChoices, exerciseName } from './exercise-names.ts';
import { classroomStrings } from './strings.ts';

/**
 * "Everyone: exercise 3 now": the teacher picks an exercise of the course (titles in the
 * teacher's language); every student's page links to it, and the board turns to its column.
 */
export function AssignmentPanel({ assignment, assign }: { assignment: ClassAssignment | null; assign(lesson: string | null, exercise: string | null): void }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const [choice, setChoice] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [lesson, exercise] = choice.split('/');
    if (lesson && exercise) assign(lesson, exercise);
  };
  return (
    <form className="class-inline-form" onSubmit={submit} data-testid="class-assignment">
      <label htmlFor="class-assign-exercise">{t.assignLabel}</label>
      <select id="class-assign-exercise" data-testid="class-assign-exercise" value={choice} onChange={(event) => setChoice(event.target.value)} required>
        <option value="">{t.assignPick}</option>
        {exerciseChoices(lessonIndex, exerciseTitles, lang).map((group) => (
          <optgroup key={group.lesson} label={group.title}>
            {group.exercises.map((exercise) => (
              <option key={exercise.id} value={`${group.lesson}/${exercise.id}`}>
                {exercise.title}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <button type="submit" className="button" data-testid="class-assign-send">
        {t.assignSend}
      </button>
      {assignment && (
        <span className="class-notice-current" data-testid="class-assignment-current" data-exercise={`${assignment.lesson}/${assignment.exercise}`}>
          {t.assignShown} «{exerciseName(lessonIndex, exerciseTitles, lang, assignment.lesson, assignment.exercise)}»{' '}
          <button type="button" className="button button-quiet" data-testid="class-assign-clear" onClick={() => assign(null, null)}>
            {t.assignClear}
          </button>
        </span>
      )}
    </form>
  );
}
