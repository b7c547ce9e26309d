// What a run shows where its result goes: running, cancelled, a refused request, a target where
// no check ran, or the report — one row per check with what was sent and what came back. The page
// `/…/my-server` and the lesson cell `own-server` both show it; `headingLevel` fits it under the
// page's h1 (2) or inside a lesson's section (3).
import { useId } from 'react';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import type { OwnServerExerciseVerdict } from '../../contracts/exercise-checks/own-server-fixed.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { OPEN_INSPECTOR_EVENT } from '../kit/inspector-events.ts';
import type { Selection } from '../inspector/exchange-sections.ts';
import type { ConnectionKeys } from '../inspector/connection-keys.ts';
import { checkRows, exerciseVerdictView, inspectorSelection, readAnswer, runAnnouncement, summary, type CheckRow } from './report-view.ts';
import { ownServerStrings } from './strings.ts';
import type { CheckRun, RunState } from './use-check-run.ts';
import './own-server.css';

type HeadingLevel = 2 | 3;

/** Shows a selection in the page's inspector (the page's dock, a lesson's); absent: no links to the bytes. */
type OnInspect = (selection: Selection) => void;

/** The result's place: focusable, so keyboard focus lands on it when a run ends. */
export function RunResult({ checkRun, headingLevel, onInspect }: { checkRun: CheckRun; headingLevel: HeadingLevel; onInspect?: OnInspect }) {
  const lang = useLang();
  return (
    <div ref={checkRun.result} tabIndex={-1} className="own-server-result" data-testid="own-server-result">
      {/* the run's one live region, there before any run: what it says is announced as it changes */}
      <p className="visually-hidden" role="status" data-testid="own-server-announcement">
        {runAnnouncement(checkRun.run, lang)}
      </p>
      <RunView run={checkRun.run} headingLevel={headingLevel} onInspect={onInspect} />
    </div>
  );
}

function RunView({ run, headingLevel, onInspect }: { run: RunState; headingLevel: HeadingLevel; onInspect?: OnInspect }) {
  const t = useStrings(ownServerStrings);
  const lang = useLang();
  if (run.kind === 'idle') return null;
  if (run.kind === 'running')
    return (
      <p className="own-server-note" data-testid="own-server-running">
        {t.running}
      </p>
    );
  if (run.kind === 'cancelled')
    return (
      <p className="own-server-note" data-testid="own-server-cancelled">
        {t.cancelled}
      </p>
    );
  if (run.kind === 'network-error')
    return (
      <p role="alert" className="own-server-error" data-testid="own-server-error">
        {t.networkError}
      </p>
    );
  const answer = readAnswer(run.status, run.body, lang);
  if (answer.kind === 'refused') {
    return (
      <p role="alert" className="own-server-error" data-testid="own-server-error" data-status={answer.status}>
        {t.failedRequest} {answer.message}
      </p>
    );
  }
  return (
    <>
      <ReportView report={answer.report} connectionKey={run.connectionKey} headingLevel={headingLevel} onInspect={onInspect} />
      {answer.exercise && <ExerciseVerdictNote verdict={answer.exercise} report={answer.report} />}
    </>
  );
}

function ReportView({
  report,
  connectionKey,
  headingLevel,
  onInspect,
}: {
  report: CheckReport;
  connectionKey: ConnectionKeys;
  headingLevel: HeadingLevel;
  onInspect?: OnInspect;
}) {
  const t = useStrings(ownServerStrings);
  const lang = useLang();
  const summaryId = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  if (!report.reachable) {
    return (
      <section className="own-server-error" role="alert" data-testid="own-server-refusal" data-reason={report.reason}>
        <Heading>{t.refusedTitle}</Heading>
        <p>{report.refusal?.[lang]}</p>
      </section>
    );
  }
  return (
    <section className="own-server-report" aria-labelledby={summaryId}>
      {/* announced by the result's status region (RunResult) */}
      <Heading id={summaryId} data-testid="own-server-summary">
        {t.protocolNames[report.protocol]} · {report.target}: {summary(report.results, lang)}
      </Heading>
      {report.targetIsWirelab && (
        <p className="own-server-note" data-testid="own-server-wirelab-itself">
          {t.wirelabItselfNote}
        </p>
      )}
      <ol className="own-server-checks">
        {checkRows(report.results, lang, connectionKey).map((row) => (
          <CheckRowView key={row.id} row={row} headingLevel={headingLevel} onInspect={onInspect} />
        ))}
      </ol>
    </section>
  );
}

/**
 * The server's verdict on this run for the lesson's exercise (its run history decides, the page
 * only shows it): at once, under the report, where the exercise card hears of the run only when
 * its captured exchange comes back, which can be late. The result's status region announces it.
 */
function ExerciseVerdictNote({ verdict, report }: { verdict: OwnServerExerciseVerdict; report: CheckReport }) {
  const lang = useLang();
  const view = exerciseVerdictView(verdict, report.results, lang);
  return (
    <div className="own-server-exercise" data-testid="own-server-exercise" data-passed={String(view.passed)}>
      <p>
        <strong>{view.label}</strong> <span data-testid="own-server-exercise-note">{view.note}</span>
      </p>
      {view.fixed.length > 0 && (
        <>
          <p>{view.fixedLabel}</p>
          <ul className="own-server-fixed">
            {view.fixed.map((check) => (
              <li key={check.id} data-testid="own-server-fixed" data-id={check.id}>
                {check.name} <code className="muted">{check.id}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function CheckRowView({ row, headingLevel, onInspect }: { row: CheckRow; headingLevel: HeadingLevel; onInspect?: OnInspect }) {
  const t = useStrings(ownServerStrings);
  const Subheading = headingLevel === 2 ? 'h3' : 'h4';
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
        {row.failingRequest && (
          <>
            <dt>{t.failingRequest}</dt>
            <dd data-testid="own-server-failing-request">
              <code>{row.failingRequest}</code>
            </dd>
          </>
        )}
      </dl>
      {onInspect && row.connections.length > 0 && <BytesLinks row={row} onInspect={onInspect} />}
      <details data-testid="own-server-transcript">
        <summary>{t.transcript}</summary>
        {row.failingRequestBytes && (
          <>
            <Subheading>{t.failingRequestBytes}</Subheading>
            <pre data-testid="own-server-failing-request-bytes">{row.failingRequestBytes}</pre>
          </>
        )}
        <Subheading>{t.sent}</Subheading>
        <pre data-testid="own-server-sent">{row.sent}</pre>
        <Subheading>{t.got}</Subheading>
        <pre data-testid="own-server-got">{row.got}</pre>
      </details>
    </li>
  );
}

/** One button per connection the check opened: the inspector opens (and takes the focus) at its bytes. */
function BytesLinks({ row, onInspect }: { row: CheckRow; onInspect: OnInspect }) {
  const t = useStrings(ownServerStrings);
  const total = row.connections.length;
  const open = (index: number) => {
    onInspect(inspectorSelection(row.connections[index]));
    window.dispatchEvent(new Event(OPEN_INSPECTOR_EVENT));
  };
  return (
    <p className="own-server-bytes">
      {row.connections.map((connection, index) => (
        <button
          key={connection.id}
          type="button"
          className="button button-quiet"
          data-testid="own-server-open-bytes"
          data-conn={connection.id}
          onClick={() => open(index)}
        >
          {total === 1 ? t.openInInspector : t.openConnection(index + 1, total)}
        </button>
      ))}
    </p>
  );
}
