// The form that starts a suite: the protocol (every suite the server has: CHECKED_PROTOCOLS, the
// one list), the student's host:port, Wirelab's own address on a loopback page, Run and Cancel.
// The page `/…/my-server` and the lesson cell `own-server` both show it; ids come from useId, so
// several forms on one lesson page keep their radio groups and labels apart.
import { useId, type FormEvent } from 'react';
import { CHECKED_PROTOCOLS } from '../../contracts/own-server/check-result.ts';
import { useStrings } from '../kit/lang-context.ts';
import type { Choice } from './remembered-choice.ts';
import { wirelabItself } from './report-view.ts';
import { ownServerStrings } from './strings.ts';
import type { CheckRun } from './use-check-run.ts';
import './own-server.css';

export interface CheckFormProps {
  choice: Choice;
  onChange(next: Partial<Choice>): void;
  checkRun: CheckRun;
  onRun(): void;
}

export function CheckForm({ choice, onChange, checkRun, onRun }: CheckFormProps) {
  const t = useStrings(ownServerStrings);
  const id = useId();
  const { isRunning } = checkRun;
  const itself = wirelabItself(window.location);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRun();
  };
  return (
    <form className="own-server-form" onSubmit={submit}>
      <fieldset disabled={isRunning}>
        <legend>{t.protocolLegend}</legend>
        {CHECKED_PROTOCOLS.map((protocol) => (
          <label key={protocol} className="own-server-protocol">
            <input
              type="radio"
              name={`${id}-protocol`}
              value={protocol}
              data-testid="own-server-protocol"
              checked={choice.protocol === protocol}
              onChange={() => onChange({ protocol })}
            />
            <span>
              <strong>{t.protocolNames[protocol]}</strong> <span className="muted">— {t.protocolPaths[protocol]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="own-server-target">
        <span>{t.targetLabel}</span>
        <input
          type="text"
          data-testid="own-server-target"
          value={choice.target}
          onChange={(event) => onChange({ target: event.target.value })}
          disabled={isRunning}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${id}-target-hint`}
          required
        />
        <span id={`${id}-target-hint`} className="muted">
          {t.targetHint}
        </span>
      </label>
      {itself && (
        <p className="muted own-server-itself">
          {t.tryWirelab}{' '}
          <button type="button" className="link-button" data-testid="own-server-itself" disabled={isRunning} onClick={() => onChange({ target: itself })}>
            {itself}
          </button>
        </p>
      )}
      <div className="own-server-actions">
        <button type="submit" className="button button-primary" data-testid="own-server-run" disabled={isRunning}>
          {t.run}
        </button>
        {isRunning && (
          <button type="button" className="button" data-testid="own-server-cancel" ref={checkRun.cancelButton} onClick={checkRun.cancel}>
            {t.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
