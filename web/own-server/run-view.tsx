// What a run shows where its result goes: running, cancelled, a refused request, a target where
// no check ran, or the report — one row per check with what was sent and what came back. The page
// `/…/my-server` and the lesson cell `own-server` both show it; `headingLevel` fits it under the
// page's h1 (2) or inside a lesson's section (3).
import { useId } from 'react';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import { useLang, useStrings } from '../app/lang-context.ts';
import { checkRows, readAnswer, summary, type CheckRow } from './report-view.ts';
import { ownServerStrings } from './strings.ts';
import type { CheckRun, RunState } from './use-check-run.ts';
import './own-server.css';

type HeadingLevel = 2 | 3;

/** The result's place: focusable, so keyboard focus lands on it when a run ends. */
export function RunResult({ checkRun, headingLevel }: { checkRun: CheckRun; headingLevel: HeadingLevel }) {
  return (
    <div ref={checkRun.result} tabIndex={-1} className="own-server-result" data-testid="own-server-result">
      <RunView run={checkRun.run} headingLevel={headingLevel} />
    </div>
  );
}

function RunView({ run, headingLevel }: { run: RunState; headingLevel: HeadingLevel }) {
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
  return <ReportView report={answer.report} headingLevel={headingLevel} />;
}

function ReportView({ report, headingLevel }: { report: CheckReport; headingLevel: HeadingLevel }) {
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
      {/* a live region around the heading (a heading may not take the role status itself): the summary is announced when it comes */}
      <div role="status">
        <Heading id={summaryId} data-testid="own-server-summary">
          {t.protocolNames[report.protocol]} · {report.target}: {summary(report.results, lang)}
        </Heading>
      </div>
      {report.targetIsWirelab && (
        <p className="own-server-note" data-testid="own-server-wirelab-itself">
          {t.wirelabItselfNote}
        </p>
      )}
      <ol className="own-server-checks">
        {checkRows(report.results, lang).map((row) => (
          <CheckRowView key={row.id} row={row} headingLevel={headingLevel} />
        ))}
      </ol>
    </section>
  );
}

function CheckRowView({ row, headingLevel }: { row: CheckRow; headingLevel: HeadingLevel }) {
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
      </dl>
      <details data-testid="own-server-transcript">
        <summary>{t.transcript}</summary>
        <Subheading>{t.sent}</Subheading>
        <pre data-testid="own-server-sent">{row.sent}</pre>
        <Subheading>{t.got}</Subheading>
        <pre data-testid="own-server-got">{row.got}</pre>
      </details>
    </li>
  );
}
