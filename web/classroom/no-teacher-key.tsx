import { useStrings } from '../kit/lang-context.ts';
import { classroomStrings } from './strings.ts';

/** A teacher's page opened without the key from the printed link: what to do instead. */
export function NoTeacherKey({ title }: { title: string }) {
  const t = useStrings(classroomStrings);
  return (
    <div className="class-page">
      <h1>{title}</h1>
      <p className="cell-message cell-message-warning" data-testid="class-no-key">
        {t.noKey}
      </p>
    </div>
  );
}
