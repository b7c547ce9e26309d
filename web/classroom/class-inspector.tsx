import { useEffect, useState } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { useCaptures } from '../inspector/capture-store.ts';
import type { DockInspectorProps } from '../kit/classroom-parts.ts';
import { Inspector } from '../inspector/inspector.tsx';
import { latestTeacherRun } from './latest-teacher-run.ts';
import { useStudentClass } from './student-class.ts';
import { teacherCaptures } from './teacher-captures.ts';
import { classroomStrings } from './strings.ts';
import './classroom.css';

/**
 * The teacher's run this page last brought forward (or saw while not following). It outlives the
 * component: the dock mounts the inspector once the page has settled, and a run that reached the
 * page before that must still come forward when it mounts.
 */
let runBroughtForward: string | null = null;

/**
 * The inspector of the lesson dock, in class: the student's own captures, and — once the teacher
 * ran something — the teacher's, decoded by the same inspector, read-only and marked as the
 * teacher's. A new teacher run brings the teacher's view forward while following; the student's
 * own run brings their own back.
 */
export function ClassAwareInspector({ focus, onSelectionChange, onPick }: DockInspectorProps) {
  const t = useStrings(classroomStrings);
  const student = useStudentClass();
  const teacher = useCaptures(teacherCaptures);
  const [showTeacher, setShowTeacher] = useState(false);
  const latestRun = latestTeacherRun(teacher);

  useEffect(() => {
    if (latestRun === runBroughtForward) return;
    runBroughtForward = latestRun;
    if (latestRun !== null && student.following) setShowTeacher(true);
  }, [latestRun, student.following]);
  useEffect(() => {
    if (focus) setShowTeacher(false);
  }, [focus]);

  const available = Boolean(student.membership) && (student.teacherTraffic || teacher.connections.length > 0);
  if (!available) return <Inspector focus={focus} onSelectionChange={onSelectionChange} onPick={onPick} />;
  const teacherShown = showTeacher;
  return (
    <>
      <div className="wire-switch" role="group">
        <button
          type="button"
          className={`button button-quiet ${teacherShown ? '' : 'is-current'}`}
          aria-pressed={!teacherShown}
          data-testid="wire-mine"
          onClick={() => setShowTeacher(false)}
        >
          {t.myWire}
        </button>
        <button
          type="button"
          className={`button button-quiet ${teacherShown ? 'is-current' : ''}`}
          aria-pressed={teacherShown}
          data-testid="wire-teacher"
          onClick={() => setShowTeacher(true)}
        >
          {t.teacherWire}
        </button>
      </div>
      {teacherShown ? (
        <div className="teacher-wire" data-testid="teacher-wire">
          <p className="teacher-wire-note">{t.teacherWireNote}</p>
          <Inspector store={teacherCaptures} readOnly />
        </div>
      ) : (
        <Inspector focus={focus} onSelectionChange={onSelectionChange} onPick={onPick} />
      )}
    </>
  );
}
