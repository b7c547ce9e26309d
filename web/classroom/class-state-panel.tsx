import type { ClassStatus } from '../../contracts/class-channel/messages.ts';
import { AssignmentPanel } from './assignment-panel.tsx';
import type { ClassStateActions } from './class-state-actions.ts';
import { ClassEndControl, FreezeControl, ResetDataControl } from './class-state-controls.tsx';
import { NoticeForm, TimerForm } from './class-state-forms.tsx';

export type { ClassStateActions } from './class-state-actions.ts';

/**
 * The class's state on the teacher's desk: end or reopen the class (ending asks first), the
 * message every student's page shows, and the timer — each as the board last said.
 * `serverClockOffset`: the server's clock minus this browser's, from the board.
 */
export function ClassStatePanel({ status, serverClockOffset, actions }: { status: ClassStatus; serverClockOffset: number; actions: ClassStateActions }) {
  return (
    <div className="class-state" data-testid="class-state" data-ended={status.endedMs !== null}>
      <ClassEndControl status={status} actions={actions} />
      <ResetDataControl actions={actions} />
      <FreezeControl status={status} actions={actions} />
      <NoticeForm status={status} actions={actions} />
      <AssignmentPanel assignment={status.assignment} assign={actions.assign} />
      <TimerForm status={status} serverClockOffset={serverClockOffset} actions={actions} />
    </div>
  );
}
