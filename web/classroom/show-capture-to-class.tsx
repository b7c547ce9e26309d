import { sharedCapturePagePath } from '../../contracts/shared-capture/shared-capture.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { navigate } from '../kit/router.tsx';
import { classroomStrings } from './strings.ts';
import { showCaptureToClass, useLeading } from './teacher-class.ts';
import './classroom.css';

/**
 * «Показать классу» / "Show to the class" (README.md, "A shared capture on the class's screens"):
 * in a tab that leads a class, one click puts this shared capture on every following student's
 * screen, in their own language. From the Share panel (`openHere`) the tab goes to the capture's
 * page first: the projector shows what the students see, and the teacher's next move in the
 * lessons takes everyone back. Nothing in a tab that leads no class.
 */
export function ShowCaptureToClass({ captureId, openHere = false }: { captureId: string; openHere?: boolean }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const leading = useLeading();
  if (!leading.code) return null;
  const shown = leading.shownCapture?.id === captureId ? leading.shownCapture.state : null;
  const show = () => {
    if (leading.status !== 'open') return;
    // the page first: this tab's place must not take the class back to the lesson it leaves
    if (openHere) navigate(sharedCapturePagePath(lang, captureId));
    showCaptureToClass(captureId);
  };
  return (
    <span className="class-show-capture" data-testid="class-show-capture-bar" data-state={shown ?? 'none'}>
      <button
        type="button"
        className="insp-button"
        data-testid="class-show-capture"
        title={t.showCaptureHint}
        disabled={leading.status !== 'open' || shown === 'asked'}
        onClick={show}
      >
        {shown === 'asked' ? t.showingCapture : t.showCapture}
      </button>
      {shown === 'shown' && (
        <span role="status" data-testid="class-capture-shown">
          {t.captureShown}
        </span>
      )}
      {shown === 'refused' && (
        <span role="alert" data-testid="class-capture-refused">
          {t.errors.NO_SUCH_CAPTURE}
        </span>
      )}
    </span>
  );
}
