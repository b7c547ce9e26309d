import { useRef, useState } from 'react';
import { useStrings } from '../../kit/lang-context.ts';
import { freshCurlToken, useSession } from '../../kit/session.ts';
import { AsCodePanel } from './as-code-panel.tsx';
import type { AsCodeSpec } from './spec.ts';
import { asCodeStrings } from './strings.ts';
import './as-code.css';

/**
 * "As code", beside Run: opens a dialog with the cell as it is now, as a program. A native modal
 * <dialog>: keyboard reachable, Escape closes it and focus comes back to the button.
 * `spec` is read when the dialog opens (a function, so the cell computes it only then).
 */
export function AsCodeButton({ spec }: { spec: () => AsCodeSpec | null }) {
  const t = useStrings(asCodeStrings);
  const session = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const [shown, setShown] = useState<{ spec: AsCodeSpec | null; token: string } | null>(null);

  const open = async () => {
    const token = await freshCurlToken();
    setShown({ spec: spec(), token });
    dialog.current?.showModal();
  };

  return (
    <>
      <button
        type="button"
        className="button button-quiet"
        onClick={open}
        disabled={session.status !== 'ready'}
        title={t.asCodeHint}
        data-testid="as-code"
        aria-haspopup="dialog"
      >
        {'</>'} {t.asCode}
      </button>
      <dialog ref={dialog} className="as-code-dialog" aria-label={t.title} onClose={() => setShown(null)}>
        <div className="as-code-head">
          <h3>{t.title}</h3>
          <button type="button" className="button button-quiet" onClick={() => dialog.current?.close()} data-testid="as-code-close">
            {t.close}
          </button>
        </div>
        {shown && (shown.spec ? <AsCodePanel spec={shown.spec} token={shown.token} origin={window.location.origin} /> : <p>{t.unavailable}</p>)}
      </dialog>
    </>
  );
}
