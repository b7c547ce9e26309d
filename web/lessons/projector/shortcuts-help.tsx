import { Fragment, type RefObject } from 'react';
import { useStrings } from '../../kit/lang-context.ts';
import { PRESENTER_SHORTCUTS } from './presenter-keys.ts';
import { projectorStrings } from './strings.ts';

/** The "?" help: every presenter shortcut and what it does, in a modal dialog (`dialogRef` opens it). */
export function ShortcutsHelp({ dialogRef }: { dialogRef: RefObject<HTMLDialogElement | null> }) {
  const t = useStrings(projectorStrings);
  return (
    <dialog ref={dialogRef} className="presenter-help" data-testid="presenter-help" aria-labelledby="presenter-help-title">
      <h2 id="presenter-help-title">{t.shortcutsTitle}</h2>
      <p>{t.shortcutsIntro}</p>
      <dl className="presenter-help-keys">
        {PRESENTER_SHORTCUTS.map(({ action, keys }) => (
          <Fragment key={action}>
            <dt>
              <Keys keys={keys} />
            </dt>
            <dd>{t.actions[action]}</dd>
          </Fragment>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" className="button" data-testid="presenter-help-close" autoFocus>
          {t.close}
        </button>
      </form>
    </dialog>
  );
}

/** A shortcut's keys, as "Alt+P". */
export function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <span className="presenter-keys">
      {keys.map((key, index) => (
        <Fragment key={key}>
          {index > 0 && '+'}
          <kbd>{key}</kbd>
        </Fragment>
      ))}
    </span>
  );
}
