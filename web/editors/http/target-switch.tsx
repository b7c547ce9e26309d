import { useId } from 'react';
import { useStrings } from '../../app/lang-context.ts';
import { setHttpTarget, useHttpTarget } from './http-target.ts';
import { httpEditorStrings } from './strings.ts';

/** "Send to: Wirelab's server / my server (host:port)", one choice for every HTTP cell, remembered in this browser. */
export function TargetSwitch() {
  const t = useStrings(httpEditorStrings);
  const target = useHttpTarget();
  const name = useId();
  const addressId = useId();
  return (
    <fieldset className="http-cell-target" data-testid="http-target">
      <legend>{t.targetLegend}</legend>
      <label>
        <input type="radio" name={name} value="wirelab" data-testid="http-target-mode" checked={target.mode === 'wirelab'} onChange={() => setHttpTarget({ ...target, mode: 'wirelab' })} />{' '}
        {t.targetWirelab}
      </label>
      <label>
        <input type="radio" name={name} value="mine" data-testid="http-target-mode" checked={target.mode === 'mine'} onChange={() => setHttpTarget({ ...target, mode: 'mine' })} />{' '}
        {t.targetMine}
      </label>
      {target.mode === 'mine' && (
        <>
          <label className="visually-hidden" htmlFor={addressId}>
            {t.targetAddress}
          </label>
          <input
            id={addressId}
            className="http-cell-target-address"
            data-testid="http-target-address"
            value={target.address}
            spellCheck={false}
            autoComplete="off"
            placeholder="127.0.0.1:8000"
            title={t.targetAddress}
            onChange={(event) => setHttpTarget({ ...target, address: event.target.value })}
          />
        </>
      )}
    </fieldset>
  );
}
