import { useStrings } from '../../kit/lang-context.ts';
import { PRESENTER_SHORTCUTS } from './presenter-keys.ts';
import { Keys, ShortcutsHelp } from './shortcuts-help.tsx';
import { projectorStrings } from './strings.ts';
import { usePresenterActions } from './use-presenter-actions.ts';
import './projector.css';

/**
 * The presenter's controls on a lesson page: the projector-mode toggle, the key legend and the
 * "?" help, and the keyboard flow itself. Projector mode marks <html data-projector> while a
 * lesson is open (projector-attribute.ts; projector.css does the rest; the editors and the hex
 * view read the setting).
 */
export function PresenterControls() {
  const t = useStrings(projectorStrings);
  const { projector, helpRef, announcement, toggleProjector, openHelp } = usePresenterActions();

  return (
    <>
      <div className="presenter-bar" role="group" aria-label={t.presenterTools} data-testid="presenter-bar">
        <button
          type="button"
          className="button button-quiet presenter-toggle"
          data-testid="projector-toggle"
          aria-pressed={projector}
          aria-keyshortcuts="Alt+P"
          title={t.projectorModeHint}
          onClick={toggleProjector}
        >
          <span className="presenter-toggle-icon" aria-hidden="true" />
          {t.projectorMode}
        </button>
        <button
          type="button"
          className="button button-quiet presenter-help-button"
          data-testid="presenter-help-button"
          aria-label={t.keyboardShortcuts}
          aria-keyshortcuts="?"
          title={t.keyboardShortcuts}
          onClick={openHelp}
        >
          ?
        </button>
        {projector && (
          <ul className="presenter-legend" aria-label={t.legendLabel} data-testid="presenter-legend">
            {PRESENTER_SHORTCUTS.map(({ action, keys }) => (
              <li key={action}>
                <Keys keys={keys} /> {t.legend[action]}
              </li>
            ))}
          </ul>
        )}
      </div>
      <ShortcutsHelp dialogRef={helpRef} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
