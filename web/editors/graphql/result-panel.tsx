import { useLang, useStrings } from '../../kit/lang-context.ts';
import type { HttpExchange } from '../../../wire/types.ts';
import type { RunResult } from './graphql-client.ts';
import { viewOfBody, viewOfResult, type ResultView } from './result-view.ts';
import { graphqlEditorStrings } from './strings.ts';
import { LookAgainButton } from '../look-again-button.tsx';

interface ResultPanelProps {
  run: RunResult;
  capture: 'none' | 'waiting' | 'missing' | HttpExchange;
  /** after a miss: a click looks for the bytes again */
  lookAgain?: () => Promise<HttpExchange | null>;
  onShowExchange?(exchange: HttpExchange): void;
}

export function ResultPanel({ run, capture, lookAgain, onShowExchange }: ResultPanelProps) {
  const t = useStrings(graphqlEditorStrings);
  const lang = useLang();
  const view: ResultView = run.sent
    ? viewOfBody(run.sent.body, lang)
    : viewOfResult({ data: run.result?.data ?? null, ...(run.result?.extensions ? { extensions: run.result.extensions } : {}) }, lang);
  if (!run.sent && run.result?.error) view.errors.push(...run.result.error.graphQLErrors.map((error) => ({ message: error.message })));
  const status = run.sent?.status;
  const statusClass = status === undefined ? 'status-cache' : `status-${Math.floor(status / 100)}xx`;
  return (
    <section className="graphql-result" aria-label={t.data} aria-live="polite" data-testid="graphql-result" data-source={run.source}>
      <header className="graphql-result-summary">
        {run.sent ? (
          <>
            <span className={`graphql-status ${statusClass}`} data-testid="graphql-status" title={t.status}>
              {status}
            </span>
            <span className="graphql-result-meta" data-testid="graphql-source">
              {t.fromNetwork(run.sent.method, shorten(run.sent.target))} · {t.time} {Math.round(run.sent.durationMs)} {t.ms}
            </span>
          </>
        ) : (
          <span className="graphql-result-meta graphql-from-cache" data-testid="graphql-source">
            {t.fromCache}
          </span>
        )}
        <span className="toolbar-spacer" />
        {typeof capture === 'object' && onShowExchange && (
          <button type="button" className="link-button" onClick={() => onShowExchange(capture)}>
            {t.showBytes}
          </button>
        )}
      </header>
      {capture === 'missing' && (
        <p className="cell-message cell-message-warning" data-testid="capture-missing">
          {t.notCaptured} {lookAgain && <LookAgainButton lookAgain={lookAgain} />}
        </p>
      )}
      {typeof capture === 'object' && run.sent && capture.response && capture.response.status !== run.sent.status && (
        <p className="cell-message cell-message-info" data-testid="graphql-revalidated">
          {t.revalidated(capture.response.status, run.sent.status)}
        </p>
      )}
      {view.extensionRows.length > 0 && (
        <div className="graphql-extensions" data-testid="graphql-extensions">
          <h4>
            {t.extensions}: {t.costTitle}
          </h4>
          <dl>
            {view.extensionRows.map(([key, value]) => (
              <div key={key} className="graphql-extension-row">
                <dt>{key}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      {view.errors.length > 0 && (
        <div className="graphql-errors" data-testid="graphql-errors">
          <h4>{t.errors(view.errors.length)}</h4>
          <ul>
            {view.errors.map((error, index) => (
              <li key={index} data-testid="graphql-error" data-code={error.code ?? ''}>
                <span className="graphql-error-message">{error.message}</span>
                {error.original && <span className="graphql-error-original"> ({error.original})</span>}
                {error.code && (
                  <span className="graphql-error-detail">
                    {' '}
                    · {t.errorCode} <code>{error.code}</code>
                  </span>
                )}
                {error.path && (
                  <span className="graphql-error-detail">
                    {' '}
                    · {t.errorPath} <code>{error.path}</code>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {'data' in view && (
        <div className="graphql-data">
          <h4>{t.data}</h4>
          <pre data-testid="graphql-data" tabIndex={0}>
            {JSON.stringify(view.data, null, 2)}
          </pre>
        </div>
      )}
      {run.sent && (view.notGraphql || view.data === undefined) && (
        <details className="graphql-raw" open={view.notGraphql}>
          <summary>{t.rawBody}</summary>
          <pre data-testid="graphql-raw">{run.sent.body}</pre>
        </details>
      )}
    </section>
  );
}

function shorten(target: string): string {
  return target.length > 90 ? `${target.slice(0, 90)}…` : target;
}
