import { useEffect, useRef, useState, type FormEvent } from 'react';
import { CHECKED_PROTOCOLS, type CheckReport } from '../../contracts/own-server/check-result.ts';
import { useLang, useStrings } from '../app/lang-context.ts';
import { sessionReady } from '../app/session.ts';
import { appStrings } from '../app/strings.ts';
import { rememberChoice, rememberedChoice, type Choice } from './remembered-choice.ts';
import { CHECKS_PATH, checkCommand, checkRows, readAnswer, starterCommand, summary, wirelabItself, type CheckRow } from './report-view.ts';
import { ownServerStrings } from './strings.ts';
import './own-server.css';

/** The last run as it stands: kept raw, so switching the language shows it in the other one. */
type RunState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'cancelled' }
  | { kind: 'network-error' }
  | { kind: 'answered'; status: number; body: unknown };

/** `/en/my-server`: "check my server" — Wirelab runs one protocol's suite against the student's own server. */
export function OwnServerPage() {
  const t = useStrings(ownServerStrings);
  const app = useStrings(appStrings);
  const [choice, setChoice] = useState<Choice>(rememberedChoice);
  const [run, setRun] = useState<RunState>({ kind: 'idle' });
  const running = useRef<AbortController | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const result = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = `${t.title} — ${app.appName}`;
  }, [t, app]);
  // Leaving the page stops the check: its fetch is aborted, so the server closes the suite's connections.
  useEffect(() => () => running.current?.abort(), []);

  // The focused Run button is disabled while a run goes on: keyboard focus moves to Cancel, then
  // to the result, instead of falling back to the top of the page.
  useEffect(() => {
    if (run.kind === 'running') cancelButton.current?.focus();
    else if (run.kind !== 'idle') result.current?.focus();
  }, [run.kind]);

  const change = (next: Partial<Choice>) => {
    const updated = { ...choice, ...next };
    setChoice(updated);
    rememberChoice(updated);
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (running.current) return;
    const controller = new AbortController();
    running.current = controller;
    setRun({ kind: 'running' });
    try {
      await sessionReady();
      const response = await fetch(CHECKS_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
        body: JSON.stringify({ protocol: choice.protocol, target: choice.target.trim() }),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: controller.signal,
      });
      const body: unknown = await response.json().catch(() => null);
      setRun({ kind: 'answered', status: response.status, body });
    } catch {
      setRun(controller.signal.aborted ? { kind: 'cancelled' } : { kind: 'network-error' });
    } finally {
      running.current = null;
    }
  };

  const isRunning = run.kind === 'running';
  const itself = wirelabItself(window.location);
  return (
    <div className="own-server" data-testid="own-server-page">
      <h1>{t.title}</h1>
      <p className="own-server-intro">{t.intro}</p>
      <aside className="own-server-allowed" aria-labelledby="own-server-allowed-title">
        <h2 id="own-server-allowed-title">{t.allowedTitle}</h2>
        <p>{t.allowed}</p>
      </aside>

      <form className="own-server-form" onSubmit={start}>
        <fieldset disabled={isRunning}>
          <legend>{t.protocolLegend}</legend>
          {CHECKED_PROTOCOLS.map((protocol) => (
            <label key={protocol} className="own-server-protocol">
              <input type="radio" name="own-server-protocol" value={protocol} data-testid="own-server-protocol" checked={choice.protocol === protocol} onChange={() => change({ protocol })} />
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
            onChange={(event) => change({ target: event.target.value })}
            disabled={isRunning}
            spellCheck={false}
            autoComplete="off"
            aria-describedby="own-server-target-hint"
            required
          />
          <span id="own-server-target-hint" className="muted">
            {t.targetHint}
          </span>
        </label>
        {itself && (
          <p className="muted own-server-itself">
            {t.tryWirelab}{' '}
            <button type="button" className="link-button" data-testid="own-server-itself" disabled={isRunning} onClick={() => change({ target: itself })}>
              {itself}
            </button>
          </p>
        )}
        <div className="own-server-actions">
          <button type="submit" className="button button-primary" data-testid="own-server-run" disabled={isRunning}>
            {t.run}
          </button>
          {isRunning && (
            <button type="button" className="button" data-testid="own-server-cancel" ref={cancelButton} onClick={() => running.current?.abort()}>
              {t.cancel}
            </button>
          )}
        </div>
      </form>

      <div ref={result} tabIndex={-1} className="own-server-result" data-testid="own-server-result">
        <RunView run={run} />
      </div>
      <Help choice={choice} />
    </div>
  );
}

function RunView({ run }: { run: RunState }) {
  const t = useStrings(ownServerStrings);
  const lang = useLang();
  if (run.kind === 'idle') return null;
  if (run.kind === 'running') return <p role="status" className="own-server-note" data-testid="own-server-running">{t.running}</p>;
  if (run.kind === 'cancelled') return <p role="status" className="own-server-note" data-testid="own-server-cancelled">{t.cancelled}</p>;
  if (run.kind === 'network-error') return <p role="alert" className="own-server-error" data-testid="own-server-error">{t.networkError}</p>;
  const answer = readAnswer(run.status, run.body, lang);
  if (answer.kind === 'refused') {
    return (
      <p role="alert" className="own-server-error" data-testid="own-server-error" data-status={answer.status}>
        {t.failedRequest} {answer.message}
      </p>
    );
  }
  return <ReportView report={answer.report} />;
}

function ReportView({ report }: { report: CheckReport }) {
  const t = useStrings(ownServerStrings);
  const lang = useLang();
  if (!report.reachable) {
    return (
      <section className="own-server-error" role="alert" data-testid="own-server-refusal" data-reason={report.reason}>
        <h2>{t.refusedTitle}</h2>
        <p>{report.refusal?.[lang]}</p>
      </section>
    );
  }
  return (
    <section className="own-server-report" aria-labelledby="own-server-summary">
      <h2 id="own-server-summary" role="status" data-testid="own-server-summary">
        {t.protocolNames[report.protocol]} · {report.target}: {summary(report.results, lang)}
      </h2>
      <ol className="own-server-checks">
        {checkRows(report.results, lang).map((row) => (
          <CheckRowView key={row.id} row={row} />
        ))}
      </ol>
    </section>
  );
}

function CheckRowView({ row }: { row: CheckRow }) {
  const t = useStrings(ownServerStrings);
  return (
    <li className={`own-server-check is-${row.outcome}`} data-testid="own-server-check" data-id={row.id} data-outcome={row.outcome}>
      <div className="own-server-check-head">
        <span className={`own-server-outcome is-${row.outcome}`} data-testid="own-server-outcome">
          {row.outcomeLabel}
        </span>
        <strong>{row.name}</strong> <code className="muted">{row.id}</code>
      </div>
      <dl>
        <dt>{t.expected}</dt>
        <dd>{row.expected}</dd>
        <dt>{t.why}</dt>
        <dd>
          <cite>{row.clause}</cite>: {row.reason}
        </dd>
        {row.difference && (
          <>
            <dt>{t.difference}</dt>
            <dd data-testid="own-server-difference">{row.difference}</dd>
          </>
        )}
      </dl>
      <details data-testid="own-server-transcript">
        <summary>{t.transcript}</summary>
        <h3>{t.sent}</h3>
        <pre data-testid="own-server-sent">{row.sent}</pre>
        <h3>{t.got}</h3>
        <pre data-testid="own-server-got">{row.got}</pre>
      </details>
    </li>
  );
}

function Help({ choice }: { choice: Choice }) {
  const t = useStrings(ownServerStrings);
  return (
    <section className="own-server-help">
      <h2>{t.startersTitle}</h2>
      <p>{choice.protocol === 'mqtt' ? t.startersMqtt : t.starters}</p>
      <pre data-testid="own-server-starter-command">{starterCommand(choice.protocol, choice.target)}</pre>
      <h2>{t.cliTitle}</h2>
      <p>{t.cli}</p>
      <pre data-testid="own-server-cli-command">{checkCommand(choice.protocol, choice.target)}</pre>
    </section>
  );
}
