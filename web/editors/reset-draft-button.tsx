import { useStrings } from '../kit/lang-context.ts';
import { editorStrings } from './strings.ts';

/** A cell's "Reset": back to the lesson's text, which also drops the copy kept across reloads. */
export function ResetDraftButton({ changed, onReset, disabled = false }: { changed: boolean; onReset(): void; disabled?: boolean }) {
  const t = useStrings(editorStrings);
  return (
    <button type="button" className="button button-quiet" onClick={onReset} disabled={disabled || !changed} title={t.resetDraftHint} data-testid="cell-reset">
      {t.resetDraft}
    </button>
  );
}
