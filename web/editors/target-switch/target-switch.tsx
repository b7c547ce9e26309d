import type { Bilingual } from '../../../shared/bilingual.ts';
import { useId } from 'react';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { setOwnTarget, useOwnTarget } from './own-target.ts';
import { targetSwitchStrings } from './strings.ts';
import './target-switch.css';

/**
 * "Send to / Connect to: Wirelab's server · My server (host:port)": one choice for every cell and
 * console, remembered in this browser (own-target.ts). No prop is required; `verb` only picks the
 * legend (a request is sent, a console connects).
 */
export function TargetSwitch({ verb = 'send' }: { verb?: 'send' | 'connect' }) {
  const t = useStrings(targetSwitchStrings);
  const target = useOwnTarget();
  const name = useId();
  const addressId = useId();
  return (
    <fieldset className="own-target" data-testid="own-target">
      <legend>{verb === 'send' ? t.legendSend : t.legendConnect}</legend>
      <label>
        <input
          type="radio"
          name={name}
          value="wirelab"
          data-testid="own-target-mode"
          checked={target.mode === 'wirelab'}
          onChange={() => setOwnTarget({ ...target, mode: 'wirelab' })}
        />{' '}
        {t.wirelab}
      </label>
      <label>
        <input
          type="radio"
          name={name}
          value="mine"
          data-testid="own-target-mode"
          checked={target.mode === 'mine'}
          onChange={() => setOwnTarget({ ...target, mode: 'mine' })}
        />{' '}
        {t.mine}
      </label>
      {target.mode === 'mine' && (
        <>
          <label className="visually-hidden" htmlFor={addressId}>
            {t.address}
          </label>
          <input
            id={addressId}
            className="own-target-address"
            data-testid="own-target-address"
            value={target.address}
            spellCheck={false}
            autoComplete="off"
            placeholder="127.0.0.1:8000"
            title={t.address}
            onChange={(event) => setOwnTarget({ ...target, address: event.target.value })}
          />
        </>
      )}
    </fieldset>
  );
}

/**
 * For a console with no counterpart among the student's servers (Socket.IO, the pipeline lab):
 * says so while "my server" is chosen, instead of pretending to follow the switch.
 */
export function WirelabOnlyNote({ what }: { what: Bilingual }) {
  const t = useStrings(targetSwitchStrings);
  const lang = useLang();
  const target = useOwnTarget();
  if (target.mode !== 'mine') return null;
  return (
    <div className="rt-row">
      <p className="rt-note own-target-wirelab-only" data-testid="own-target-wirelab-only">
        {t.wirelabOnly(what[lang])}
      </p>
    </div>
  );
}
